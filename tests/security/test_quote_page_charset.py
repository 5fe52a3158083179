"""Issue 18, Low: a quote page that declares its charset only in <meta> came out garbled.

A page is decoded by its byte order mark, then the HTTP charset, then its <meta charset> or
<meta http-equiv=content-type>, then as UTF-8 if it is UTF-8, else by charset-normalizer's
guess. The pages come from a server of our own on 127.0.0.1: each needs exact bytes and an
exact Content-Type header.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from editor.core.quote_snippet import QuoteFields
from editor.gui.inserting.quote_dialog import QuoteDialog
from editor.publish.page_fetch import fetch_page_metadata
from tests.local_page import PROXY_VARIABLES

TITLE = "Crème brûlée – “the” 50 € dessert"  # – “ ” € exist in Windows-1252, not Latin-1
AUTHOR = "Zoë Façade"


def page(meta: str = "", *, title: str = TITLE, author: str = AUTHOR) -> str:
    """A page's head with an optional charset declaration."""
    return (
        f"<!doctype html><html><head>{meta}<title>{title}</title>"
        f'<meta name="author" content="{author}"></head><body><p>Text</p></body></html>'
    )


# path: (Content-Type header, body bytes)
PAGES: dict[str, tuple[str, bytes]] = {
    "/meta-charset": ("text/html", page('<meta charset="windows-1252">').encode("cp1252")),
    "/meta-http-equiv": (
        "text/html",
        page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode(
            "cp1252"
        ),
    ),
    "/meta-after-a-long-head": (
        "text/html",
        page(
            "<style>" + "p { margin: 0 }\n" * 400 + '</style><meta charset="windows-1252">'
        ).encode("cp1252"),
    ),
    "/header-wins-over-meta": (
        "text/html; charset=utf-8",
        page('<meta charset="windows-1252">').encode("utf-8"),
    ),
    "/bom-wins-over-header": (
        "text/html; charset=iso-8859-1",
        codecs.BOM_UTF8 + page().encode("utf-8"),
    ),
    "/utf16-with-bom": ("text/html", page().encode("utf-16")),
    "/meta-says-utf16": ("text/html", page('<meta charset="utf-16">').encode("utf-8")),
    "/latin1-label-means-windows-1252": (
        "text/html",
        page('<meta charset="iso-8859-1">').encode("cp1252"),
    ),
    "/unknown-charset-then-utf8": (
        "text/html; charset=x-no-such-thing",
        page('<meta charset="nor-this">').encode("utf-8"),
    ),
    "/undeclared-utf8": ("text/html", page().encode("utf-8")),
    "/undeclared-windows-1252": (
        "text/html",
        page(
            title="Les “vrais” cafés – déjà vu à l’été, 12 € le crème brûlée",
            author="Zoë Façade",
        ).encode("cp1252"),
    ),
}


@pytest.fixture(scope="module")
def url() -> Iterator[Callable[[str], str]]:
    """A server on 127.0.0.1 answering PAGES with their exact header and bytes."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib)
            """Keep the test output quiet."""

        def do_GET(self) -> None:  # noqa: N802 (stdlib API)
            kind, body = PAGES[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield lambda path: f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reach the local server directly even where a proxy is set."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "path",
    [
        "/meta-charset",
        "/meta-http-equiv",
        "/meta-after-a-long-head",
        "/header-wins-over-meta",
        "/bom-wins-over-header",
        "/utf16-with-bom",
        "/meta-says-utf16",
        "/latin1-label-means-windows-1252",
        "/unknown-charset-then-utf8",
        "/undeclared-utf8",
    ],
)
def test_the_title_and_author_read_as_the_page_declares_them(url, path: str) -> None:
    meta = fetch_page_metadata(url(path), timeout=5)
    assert (meta.title, meta.author) == (TITLE, AUTHOR)


def test_an_undeclared_windows_1252_page_is_read_by_charset_normalizers_guess(url) -> None:
    meta = fetch_page_metadata(url("/undeclared-windows-1252"), timeout=5)
    assert meta.title == "Les “vrais” cafés – déjà vu à l’été, 12 € le crème brûlée"
    assert meta.author == "Zoë Façade"


def test_the_quote_dialog_fills_a_windows_1252_page_declared_only_in_meta(qtbot, url) -> None:
    dialog = QuoteDialog(QuoteFields(text="Quoted words.", source_url=url("/meta-charset")))
    qtbot.addWidget(dialog)
    dialog.fetch_details(only_if_empty=True)
    qtbot.waitUntil(lambda: bool(dialog.title_edit.text()), timeout=10000)
    assert dialog.title_edit.text() == TITLE
    assert dialog.author_edit.text() == AUTHOR
