"""What a reader downloads: the weight of the built site's pages, measured in a real browser.

Serves `_build/site/` on 127.0.0.1 and opens it in Chromium (Playwright) with an empty cache,
counting the bytes of every response body that comes over the network (uncompressed: the test
server does not compress). Prints, per language:

- first visit: the largest and the median weight of a content page opened with an empty cache,
  and its number of requests;
- next page: the largest weight of a page opened after another page of the same book, by a
  reader of each framework (the page and that framework's tab panels), which page that is, and
  the largest gzipped (the weight on the wire from a server that compresses, as GitHub Pages does);
- and once: switching language (the same page in another language, after the first), requests
  to any other host (must be 0), and the site's size on disk.

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import functools
import gzip
import statistics
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.book_ext.panels import FOLDER  # noqa: E402
from scripts.config import load_config  # noqa: E402


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Meter:
    """Bytes received over the network by one page (Chrome DevTools Protocol)."""

    def __init__(self, context, page, host: str) -> None:
        self.bytes = 0
        self.requests = 0
        self.external: list[str] = []
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.on("Network.requestWillBeSent", self._sent(host))
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, host: str):
        def record(event) -> None:
            url = event["request"]["url"]
            self.requests += 1
            if not url.startswith((host, "data:", "about:")):
                self.external.append(url)

        return record

    def _finished(self, event) -> None:
        self.bytes += event["encodedDataLength"]

    def visit(self, page, url: str) -> tuple[int, int]:
        self.bytes = self.requests = 0
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        return self.bytes, self.requests


def _gzipped(folder: Path, name: str, framework: str) -> int:
    """A page and its framework's panels (if they are not in the page), compressed as a server would."""
    files = [folder / f"{name}.html", folder / FOLDER / f"{name}.{framework}.js"]
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file())


def main() -> None:
    config = load_config(ROOT)
    site = config.build_dir / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{server.server_address[1]}"
    pages = config.sections()
    external = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"])
        print(f"{'language':8} {'first visit: max / median (KB)':>32} {'requests':>9} {'next page: max (KB)':>20} {'gzipped (KB)':>13}")
        for lang in config.languages:
            first, counts, following = [], [], []
            for page_name in pages:
                context = browser.new_context()  # an empty cache
                page = context.new_page()
                meter = Meter(context, page, host)
                size, requests = meter.visit(page, f"{host}/{lang}/{page_name}.html")
                first.append(size)
                counts.append(requests)
                external += meter.external
                context.close()
            for framework in config.framework_names:  # a reader of each framework, who picked it on the first page
                context = browser.new_context()
                page = context.new_page()
                meter = Meter(context, page, host)
                meter.visit(page, f"{host}/{lang}/{pages[0]}.html")
                page.evaluate(f"localStorage.setItem('{TAB_STORAGE}', '{framework}')")
                for page_name in pages[1:]:
                    size, _ = meter.visit(page, f"{host}/{lang}/{page_name}.html")
                    following.append((size, f"{page_name} ({framework})"))
                external += meter.external
                context.close()
            zipped = max(_gzipped(site / lang, name, framework) for name in pages for framework in config.framework_names)
            heaviest, which = max(following)
            print(f"{lang:8} {max(first) / 1000:>20.0f} / {statistics.median(first) / 1000:>8.0f} {max(counts):>9} {heaviest / 1000:>20.0f} {zipped / 1000:>13.0f}  {which}")
        context = browser.new_context()
        page = context.new_page()
        meter = Meter(context, page, host)
        meter.visit(page, f"{host}/{SOURCE}/{pages[1]}.html")
        switch = [meter.visit(page, f"{host}/{lang}/{pages[1]}.html")[0] for lang in config.languages if lang != SOURCE]
        context.close()
        browser.close()
    server.shutdown()
    on_disk = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    print(f"switching language ({pages[1]}): at most {max(switch) / 1000:.0f} KB")
    print(f"requests to other hosts: {len(external)}{': ' + ', '.join(sorted(set(external))[:5]) if external else ''}")
    print(f"site on disk: {on_disk / 1e6:.1f} MB")


SOURCE = "en"
TAB_STORAGE = "builders-guide-tab-framework"  # where book.js reads the reader's framework

if __name__ == "__main__":
    main()
