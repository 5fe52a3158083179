"""Fetching a page's head for the quote tool from a real server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from editor.publish.page_fetch import MAX_PAGE_BYTES, PageFetchError, fetch_page_metadata
from tests.core.test_page_metadata import ARTICLE

# -- fetching from a real server ------------------------------------------------------------

HEAD = (
    "<!doctype html><html><head><title>Local &amp; Slow</title>"
    '<meta name="author" content="Server Author"></head>'
)
BIG_BODY = 8 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    """Serves the test pages; `release` lets blocked answers finish at teardown."""

    release: threading.Event
    served: list[str]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib API)
        """Keep the test output quiet."""

    def _start(self, status: int, kind: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 (stdlib API)
        self.served.append(self.path)
        # The client may stop reading early, as it should for big pages.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        if self.path == "/post":
            body = ARTICLE.encode()
            self._start(200, "text/html; charset=utf-8", len(body))
            self.wfile.write(body)
        elif self.path == "/latin1":
            body = "<head><title>Crème brûlée</title></head>".encode("latin-1")
            self._start(200, "text/html; charset=iso-8859-1", len(body))
            self.wfile.write(body)
        elif self.path == "/old-address":
            self.send_response(301)
            self.send_header("Location", "/post")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/huge-body":
            head = HEAD.encode()
            self._start(200, "text/html", len(head) + BIG_BODY)
            self.wfile.write(head)
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            for _ in range(BIG_BODY // len(chunk)):
                self.wfile.write(chunk)
            self.wfile.write(b" " * (BIG_BODY % len(chunk)))
        elif self.path == "/endless-head":
            self._start(200, "text/html")
            self.wfile.write(b"<html><head><title>Never ends</title>")
            filler = b'<link rel="preload" href="/asset.css">' * 2000
            for _ in range(MAX_PAGE_BYTES // len(filler) + 30):
                self.wfile.write(filler)
        elif self.path == "/picture":
            self._start(200, "image/png", 8)
            self.wfile.write(b"\x89PNG\r\n\x1a\n")
        elif self.path == "/slow":
            self.release.wait(30)  # answers only once the test is over
        elif self.path == "/trickle":
            self._start(200, "text/html", 10_000_000)
            self.wfile.write(b"<html><head><title>")
            for _ in range(80):  # a byte every 50 ms for 4 s, never the end of the head
                if self.release.wait(0.05):
                    break
                self.wfile.write(b"a")
                self.wfile.flush()
        else:
            body = b"<h1>Not here</h1>"
            self._start(404, "text/html", len(body))
            self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[tuple[Callable[[str], str], list[str]]]:
    """A real HTTP server on 127.0.0.1 (any free port) in a thread; yields url(path) and hits."""
    release = threading.Event()
    served: list[str] = []
    handler = type("Handler", (_Handler,), {"release": release, "served": served})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    yield (lambda path: f"http://127.0.0.1:{port}{path}"), served
    release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Talk to the local server directly even where the environment names a proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_a_normal_page_gives_its_title_and_author(server) -> None:
    url, _ = server
    meta = fetch_page_metadata(url("/post"), timeout=5)
    assert meta.title == 'Notes on "finishing" & shipping'
    assert meta.author == "Jane Example"
    assert meta.site_name == "Example Journal"
    assert meta.url == url("/post")


def test_a_redirect_is_followed_and_the_final_address_is_reported(server) -> None:
    url, _ = server
    meta = fetch_page_metadata(url("/old-address"), timeout=5)
    assert meta.url == url("/post")
    assert meta.author == "Jane Example"


def test_the_pages_declared_charset_is_used(server) -> None:
    url, _ = server
    assert fetch_page_metadata(url("/latin1"), timeout=5).title == "Crème brûlée"


def test_a_page_with_a_huge_body_is_read_only_up_to_the_end_of_its_head(server) -> None:
    # The body is four times the size limit: reading it would end in "too large".
    url, _ = server
    meta = fetch_page_metadata(url("/huge-body"), timeout=5)
    assert meta.title == "Local & Slow"
    assert meta.author == "Server Author"


def test_a_page_whose_head_never_ends_is_given_up_as_too_large(server) -> None:
    url, _ = server
    with pytest.raises(PageFetchError, match="too large"):
        fetch_page_metadata(url("/endless-head"), timeout=5)


def test_an_address_that_is_not_a_web_page_is_refused(server) -> None:
    url, _ = server
    with pytest.raises(PageFetchError, match=r"not a web page \(it is image/png\)"):
        fetch_page_metadata(url("/picture"), timeout=5)


def test_a_missing_page_reports_the_error_status(server) -> None:
    url, _ = server
    with pytest.raises(PageFetchError, match="error 404"):
        fetch_page_metadata(url("/nothing-here"), timeout=5)


def test_a_server_that_does_not_answer_times_out(server) -> None:
    url, served = server
    with pytest.raises(PageFetchError, match="did not answer in time"):
        fetch_page_metadata(url("/slow"), timeout=0.5)
    assert served == ["/slow"]  # it really reached the server, which kept quiet


def test_a_server_trickling_bytes_forever_still_times_out(server) -> None:
    url, _ = server
    with pytest.raises(PageFetchError, match="did not answer in time"):
        fetch_page_metadata(url("/trickle"), timeout=0.5)


def test_a_closed_port_is_reported_as_unreachable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and is not listened on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PageFetchError, match="could not be reached"):
        fetch_page_metadata(f"http://127.0.0.1:{port}/", timeout=2)


@pytest.mark.parametrize("text", ["not a url", "", "ftp://example.com/x", "example.com/post"])
def test_text_that_is_not_a_web_address_is_refused_without_a_request(text: str) -> None:
    with pytest.raises(PageFetchError, match="not a web address"):
        fetch_page_metadata(text)


def test_the_error_messages_are_one_line(server) -> None:
    url, _ = server
    for address in (url("/picture"), url("/nothing-here"), "nope"):
        with pytest.raises(PageFetchError) as error:
            fetch_page_metadata(address, timeout=5)
        assert "\n" not in str(error.value) and str(error.value).endswith(".")


@pytest.mark.parametrize("text", ["http://[::1", "https://a\x00b.example/"])
def test_a_malformed_web_address_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(PageFetchError, match=r"^That is not a valid web address\.$"):
        fetch_page_metadata(text, timeout=2)
