"""CJK fonts for the PDFs: Noto CJK cut down to a document's characters, with TrueType outlines.

Debian's Noto CJK fonts have CFF (cubic) outlines, and Chromium embeds such a font not as a font
but as hundreds of Type 3 fonts, one picture per glyph: a Chinese or Japanese PDF was 3.6 times
the size of the English one, and some viewers draw Type 3 text blurred. So each CJK document gets
its own fonts: fontTools keeps the glyphs of the document's characters and converts their outlines
to quadratic ones (cu2qu), which Chromium embeds as subset TrueType fonts, like the Latin ones.
Each converted font is kept in the PDF cache, named by its source and the characters it covers.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from .errors import PipelineError

SCRIPTS = {"zh_CN": "SC", "ja": "JP"}  # the Noto CJK variant whose glyph shapes each language uses
# (family in the print style sheet, weight) -> fontconfig pattern of the Noto CJK face it is cut from
FACES = {
    ("Book CJK", 400): "Noto Sans CJK {script}:style=Regular",
    ("Book CJK", 700): "Noto Sans CJK {script}:style=Bold",
    ("Book CJK Mono", 400): "Noto Sans Mono CJK {script}:style=Regular",
}


def font_faces(lang: str, text: str, cache: Path) -> str:
    """The @font-face rules of *lang*'s CJK families, covering the characters of *text*; empty
    for a language written without CJK characters."""
    script = SCRIPTS.get(lang)
    if script is None:
        return ""
    rules = []
    for (family, weight), pattern in FACES.items():
        path, index = _locate(pattern.format(script=script))
        ttf = _truetype_subset(path, index, text, cache)
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{ttf.as_uri()}"); }}')
    return "\n".join(rules)


def _locate(pattern: str) -> tuple[Path, int]:
    """The font file and collection index fontconfig has for *pattern*, which must be Noto CJK."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        raise PipelineError(f"cannot look up the font {pattern} with fc-match: {err}") from err
    file, index, family = found.split("\t", 2)
    wanted = pattern.split(":")[0]
    if wanted not in family.split(","):
        raise PipelineError(f"the PDFs need the font {wanted} (Debian's fonts-noto-cjk; `make pdf` installs it), fontconfig offers {family}")
    return Path(file), int(index)


def _truetype_subset(path: Path, index: int, text: str, cache: Path) -> Path:
    chars = "".join(sorted(set(text)))
    key = hashlib.sha256(f"{path}\0{index}\0{path.stat().st_size}\0{chars}\0".encode() + Path(__file__).read_bytes()).hexdigest()[:20]
    target = cache / "fonts" / f"{key}.ttf"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        _convert(path, index, chars, part)
        part.rename(target)
    return target


def _convert(path: Path, index: int, chars: str, target: Path) -> None:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(path), fontNumber=index)
    options = subset.Options(layout_features=["*"], name_IDs=["*"], hinting=False, desubroutinize=True, notdef_outline=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)

    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for cff_only in ("CFF ", "VORG"):
        if cff_only in font:
            del font[cff_only]
    font["maxp"] = maxp = newTable("maxp")  # version 1.0, as TrueType outlines need; counts recomputed on save
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(target))
