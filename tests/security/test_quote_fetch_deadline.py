"""Issue 18, finding 8: a quote page that trickles its headers can neither outlast the fetch's
deadline nor make File > Save wait behind it.

The hostile server is our own on 127.0.0.1: WordPress cannot be made to send one header line
every second. It answers the status line at once, then a header line every
`HEADER_INTERVAL_S`, and never ends its headers (until the test is over).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QDialog

from editor.gui.inserting.quote_dialog import QuoteDialog
from editor.gui.main_window import MainWindow
from editor.publish import page_fetch
from editor.publish.page_fetch import PageFetchError, cancel_page_fetches, fetch_page_metadata
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.local_page import PROXY_VARIABLES

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
__all__ = ["library_root", "make_window", "window"]
log = logging.getLogger(__name__)

HEADER_INTERVAL_S = 0.7  # each read gets a byte long before any per-read timeout


class TricklingServer:
    """Answers every GET with a status line, then one header line per interval, forever."""

    def __init__(self) -> None:
        self.requests = 0
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib)
                """Keep the test output quiet."""

            def do_GET(self) -> None:  # noqa: N802 (stdlib API)
                server.requests += 1
                with contextlib.suppress(OSError):  # the client hangs up, as it should
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                    self.wfile.flush()
                    line = 0
                    while not server.release.wait(HEADER_INTERVAL_S):
                        line += 1
                        self.wfile.write(f"X-Trickle-{line}: still coming\r\n".encode())
                        self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/article"

    def __enter__(self) -> TricklingServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def trickling(monkeypatch: pytest.MonkeyPatch) -> Iterator[TricklingServer]:
    """A trickling page server on 127.0.0.1, reached directly even where a proxy is set."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with TricklingServer() as server:
        yield server


def test_trickled_headers_end_at_the_total_deadline(trickling: TricklingServer) -> None:
    started = time.monotonic()
    with pytest.raises(PageFetchError, match=r"^The page did not answer in time\.$"):
        fetch_page_metadata(trickling.url, timeout=2.0)
    elapsed = time.monotonic() - started
    assert 1.9 <= elapsed < 3.0, f"the fetch took {elapsed:.1f} s for a 2 s deadline"
    assert trickling.requests == 1
    # The connection was cut, not left trickling on an abandoned thread.
    for thread in threading.enumerate():
        if thread.name == "draftpress-page-fetch":
            thread.join(1.0)
            assert not thread.is_alive(), "the abandoned fetch still reads from the server"


def test_quitting_ends_trickling_fetches_at_once(trickling: TricklingServer) -> None:
    # The window calls cancel_page_fetches when the application is about to quit.
    errors: list[Exception] = []

    def fetch() -> None:
        try:
            fetch_page_metadata(trickling.url, timeout=30.0)
        except PageFetchError as error:
            errors.append(error)

    fetcher = threading.Thread(target=fetch)
    fetcher.start()
    # Wait until the request is in (a condition, no fixed sleep).
    while trickling.requests == 0 and fetcher.is_alive():
        fetcher.join(0.02)
    started = time.monotonic()
    cancel_page_fetches()
    fetcher.join(5)
    assert not fetcher.is_alive() and len(errors) == 1
    assert time.monotonic() - started < 1.0


def test_file_save_completes_while_quote_fetches_hang(
    qtbot, window: MainWindow, library_root: Path, trickling: TricklingServer, monkeypatch
) -> None:
    # A short deadline keeps the test short; the real one (FETCH_TIMEOUT_S) is 10 s.
    deadline_s = 4.0
    monkeypatch.setattr(page_fetch, "FETCH_TIMEOUT_S", deadline_s)
    path = library_root / "2026-05-01-quotes.md"
    path.write_text("---\ntitle: Quotes\n---\n\nFirst words.\n", encoding="utf-8")
    open_and_wait(qtbot, window, path)

    # As the reviewer did: paste the address, press Fill from page, close the dialog; again.
    # As many fetches as the shared pool has threads (two on the 2-core machine).
    dialogs: list[QuoteDialog] = []

    def fetch_then_close(dialog: QuoteDialog) -> int:
        dialogs.append(dialog)
        dialog.url_edit.setText(trickling.url)
        dialog.fetch_button.click()
        dialog.reject()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QuoteDialog, "exec", fetch_then_close)
    fetches = max(2, QThreadPool.globalInstance().maxThreadCount())
    started = time.monotonic()
    for _ in range(fetches):
        window.menu_actions["insert_quote"].trigger()
    qtbot.waitUntil(lambda: trickling.requests == fetches, timeout=5000)

    window.editor.appendPlainText("Saved while the pages trickle.")
    save_started = time.monotonic()
    with qtbot.waitSignal(window.document.saved, timeout=2000):
        window.menu_actions["save"].trigger()
    save_took = time.monotonic() - save_started
    assert "Saved while the pages trickle." in path.read_text(encoding="utf-8")

    message = "The page did not answer in time. Fill in the author and title yourself."
    qtbot.waitUntil(
        lambda: all(dialog.message.text() == message for dialog in dialogs),
        timeout=int((deadline_s + 3) * 1000),
    )
    ended_after = time.monotonic() - started
    assert ended_after >= deadline_s - 0.1
    assert all(dialog.fetch_button.isEnabled() for dialog in dialogs)
    log.info("save: %.0f ms; %d fetches ended after %.1f s", save_took * 1e3, fetches, ended_after)
