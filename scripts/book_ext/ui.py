"""The extension's own interface strings: English here, translated in locales/<lang>/LC_MESSAGES/ui.po."""

from __future__ import annotations

from sphinx.config import Config

# msgid -> translator comment. Keep the {placeholders} as they are.
MESSAGES = {
    "Language": "Label of the language menu in the page header.",
    "{percent} translated": "Front page of the site, on the card of this language's edition; {percent} is like 100%.",
    "Framework": "Screen-reader name of each group of framework tabs (PyTorch, TensorFlow, ...).",
    "Outputs on this page were computed with {runs}.": "{runs} is a list such as 'PyTorch 2.13.0 (CPU), TensorFlow 2.21.0 (CPU)'.",
    ", ": "Separator between the items of the {runs} list.",
    "Search this book...": "Placeholder of the search box.",
    "{framework} is retired upstream and no longer maintained; this tab is kept for readers of older material.": (
        "Shown in the first tab of a retired framework on each page."
    ),
    "Part of this page is not translated yet and is shown in English ({count} paragraphs).": (
        "Notice on a page whose catalog has untranslated or fuzzy entries; {count} is a number."
    ),
    "Read the English page.": "Link text of that notice, to the same page in English.",
    "Run this page as a notebook": "Tooltip of the launch menu in the page header.",
    "Search finished, found ${resultCount} page(s) matching the search query.": (
        "Search page, after a search; keep ${resultCount} (the number of pages found). Sphinx's own catalog leaves it blank for some languages."
    ),
    "This tab could not be loaded. Check the connection, then pick the tab again.": (
        "Shown in a framework tab whose code and outputs failed to download (the reader is offline, say)."
    ),
    "Copy": "Tooltip of the button that copies a code block.",
    "Copy to clipboard": "Screen-reader title of that button's icon.",
    "Copied!": "Tooltip of that button for a moment after a copy.",
    "Failed to copy": "Tooltip of that button when the browser refused the copy.",
    "Open in Colab ({framework})": "Launch menu entry; {framework} is PyTorch, TensorFlow, ...",
    "Download notebook ({framework})": "Download menu entry: the notebook of this page as a file.",
    "The book as a PDF ({framework})": "Download menu entry: the whole book, in this language, printed with this framework's code.",
    "{framework} does not run on Colab: download its notebook": "Launch menu entry for a framework Colab cannot install.",
}

# Labels of Sphinx and the themes (tooltips, screen-reader labels, the colour-mode menu) that their
# own catalogs leave in English for some of our languages. The build compiles their translations
# from ui.po into a `sphinx` message catalog, which Sphinx consults before its own.
THEME_LABELS = {
    "Link to this heading": "Tooltip of the link symbol after each heading.",
    "Toggle primary sidebar": "Tooltip of the button that shows or hides the navigation of the book.",
    "Toggle secondary sidebar": "Tooltip of the button that shows or hides the contents of the page.",
    "Color mode": "Tooltip of the light/dark switch.",
    "Light": "Colour mode.",
    "Dark": "Colour mode.",
    "System Settings": "Colour mode: follow the operating system.",
    "Back to top": "Button that appears when scrolling down.",
    "Skip to main content": "Link for keyboard and screen-reader users.",
    "Site navigation": "Screen-reader label of the navigation.",
    "On this page": "Screen-reader label of the page contents.",
    "Version warning": "Screen-reader label of the (unused) version banner.",
    "previous page": "Screen-reader label of the link to the previous page.",
    "next page": "Screen-reader label of the link to the next page.",
    "By": "Before the author's name in the footer (the author is translated too, as in 'By <author>').",
    "Main": "Screen-reader label of the book's navigation in the sidebar.",
    "Page": "Screen-reader label of the page's contents when printed.",
    "© Copyright %(copyright)s.": "Footer; %(copyright)s is the year. Keep %(copyright)s as it is.",
}


def ui_text(config: Config, msgid: str, **values: str) -> str:
    """The page language's text for one of MESSAGES (English where untranslated)."""
    return (config.book_ui.get(msgid) or msgid).format(**values)
