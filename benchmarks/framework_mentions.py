"""How much of the prose a reader sees talks about frameworks other than the one selected.

For each framework view of the built site (`_build/site/<lang>/`), the visible prose is the
article's text outside code cells and outputs, taking from every framework tab set only the tab
of the selected framework (a tab set without that framework is hidden, as the page's script
hides it). The script counts, in that prose, the mentions of the *other* frameworks' names and
APIs, per language, and prints them beside the figures this script gave before framework-specific
prose existed. The goal: at most 40% of those.

    .venv/bin/python benchmarks/framework_mentions.py [--lang en]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.config import load_config  # noqa: E402
from scripts.book_ext.panels import join_page  # noqa: E402

# The words that name a framework or its libraries, as the prose writes them.
NAMES = {
    "pytorch": r"PyTorch|\btorch\b",
    "tensorflow": r"TensorFlow|Keras|\btf\.|\bkeras\.",
    "jax": r"\bJAX\b|Flax|\bjnp\b|optax|\bjax\.",
    "mxnet": r"MXNet|Gluon|\bnpx\b|\bmx\.",
}
# Measured with this script on the site as it stood before framework-specific prose (all pages).
BEFORE = {
    "en": {"pytorch": 623, "tensorflow": 575, "jax": 574, "mxnet": 616},
    "pt_BR": {"pytorch": 623, "tensorflow": 575, "jax": 574, "mxnet": 616},
    "zh_CN": {"pytorch": 626, "tensorflow": 578, "jax": 575, "mxnet": 618},
    "ja": {"pytorch": 543, "tensorflow": 493, "jax": 579, "mxnet": 533},
}


def visible_prose(html: str, framework: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    for cell in article.select("div.cell, div.highlight, script, style, a.headerlink, p.book-provenance"):
        cell.decompose()
    for tab_set in article.select("div.sd-tab-set"):
        labels = tab_set.find_all("label", recursive=False)
        frameworks = [label.get("data-sync-id") for label in labels]
        if framework not in frameworks:
            tab_set.decompose()
            continue
        for label in labels:
            if label.get("data-sync-id") != framework:
                content = label.find_next_sibling("div", class_="sd-tab-content")
                if content is not None:
                    content.decompose()
        for label in labels:  # the tab bar is navigation, not prose
            label.decompose()
    return article.get_text(" ")


def count(site: Path, lang: str, pages: list[str], framework: str) -> int:
    others = "|".join(pattern for name, pattern in NAMES.items() if name != framework)
    total = 0
    for page in pages:
        html = join_page(site / lang / f"{page}.html")
        total += len(re.findall(others, visible_prose(html, framework)))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append")
    args = parser.parse_args()
    config = load_config(ROOT)
    site = config.build_dir / "site"
    languages = args.lang or list(config.languages)
    print(f"{'language':8} {'view':11} {'mentions of the other frameworks':>33} {'before':>7} {'ratio':>6}")
    for lang in languages:
        for fw in config.framework_names:
            now = count(site, lang, config.sections(), fw)
            before = BEFORE.get(lang, {}).get(fw)
            ratio = f"{now / before:.0%}" if before else "-"
            print(f"{lang:8} {fw:11} {now:>33} {before or '-':>7} {ratio:>6}")


if __name__ == "__main__":
    main()
