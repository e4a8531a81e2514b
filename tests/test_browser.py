"""Open the whole report in headless Chromium from file://, with every other request blocked.

Runs wherever Debian's Chromium is installed (``/usr/bin/chromium``; `.ci/run` installs it);
elsewhere it is skipped with a message saying so. Asserts that no network request was even
attempted, every image loaded, every link resolves and the console shows no error.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis.report import build_report
from tests.conftest import BUNDLED, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from phoning home on start (component updates, sync, QUIC).
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium not found: install Debian's `chromium` package to run the offline browser test",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report"
    build_report(BUNDLED, out, params_file=str(ROOT / "notebooks" / "params" / "smoke.yaml"),
                 log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _visit(browser, url: str):
    """Open `url`; return (attempted non-file requests, console errors, page errors, images, links)."""
    ctx = browser.new_context()
    attempted: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    console, errors = [], []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.src.slice(0, 60), i.complete && i.naturalWidth > 0])")
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    ctx.close()
    return attempted, console, errors, images, links


def test_every_page_opens_offline_with_images_and_links(report, browser):
    pages = [report / "index.html", *sorted((report / "notebooks").glob("*.html"))]
    assert len(pages) >= 2
    for page in pages:
        attempted, console, errors, images, links = _visit(browser, page.as_uri())
        assert attempted == [], f"{page.name} attempted network requests: {attempted}"
        assert console == [] and errors == [], f"{page.name}: console errors {console} {errors}"
        assert all(ok for _, ok in images), f"{page.name}: images not loaded: {images}"
        for link in links:
            parsed = urlparse(link)
            if parsed.scheme == "file":
                target = Path(unquote(parsed.path))
                assert target.exists(), f"{page.name}: broken link {link}"
            else:
                assert parsed.scheme in ("", "about") or link.startswith("#"), f"{page.name}: external link {link}"


def test_index_links_every_notebook_page(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    for nb in (report / "notebooks").glob("*.html"):
        assert f'href="notebooks/{nb.name}' in html
