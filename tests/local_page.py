"""A real HTML page served from 127.0.0.1 by a thread of the test (for the quote tool's fetch)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


@contextlib.contextmanager
def serve_page(monkeypatch: pytest.MonkeyPatch, page: str, path: str) -> Iterator[str]:
    """Serve `page` as HTML for every GET; yield its address (ending in `path`)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    body = page.encode()

    class PageHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib API)
            """Keep the test output quiet."""

        def do_GET(self) -> None:  # noqa: N802 (stdlib API)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
