"""Start-up: logging, Qt's environment, the QApplication and the main window."""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from editor import __version__
from editor.core.library import ensure_library, library_dir
from editor.core.settings import load_settings

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def prepare_qt_environment() -> None:
    """Set what QtWebEngine needs before Qt starts (no sandbox as root, no GPU when headless)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root; a writer never runs as root, CI does.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")


def configure_logging(debug: bool) -> None:
    """Log to stderr; debug detail on request."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def run_app(file: Path | None = None, *, debug: bool = False, smoke_test: bool = False) -> int:
    """Open the main window (on `file` if given) and run until it closes.

    With `smoke_test`, open `file`, check that the preview shows it (see SmokeCheck), print
    the result as one line of JSON and exit: 0 passed, 1 failed, 2 timed out.
    """
    started = time.monotonic()
    configure_logging(debug)
    prepare_qt_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before the QApplication)
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from editor.gui.main_window import MainWindow
    from editor.publish.request_limits import allow_requests, stop_all_requests

    app = QApplication.instance() or QApplication(sys.argv[:1])
    allow_requests()
    app.aboutToQuit.connect(stop_all_requests)  # quitting never waits on a blog's answer
    app.setApplicationName("Draftpress")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Draftpress")
    app.setDesktopFileName("draftpress")
    settings = load_settings()
    root = library_dir(settings)
    try:
        created = ensure_library(root)
    except OSError as error:
        log.error("could not create the drafts library at %s: %s", root, error)
        created = False
    window = MainWindow(settings, root)
    window.show()
    if os.environ.get(STARTUP_PROBE_ENV):
        install_startup_probe(window, started, os.environ[STARTUP_PROBE_ENV] == "exit")
    smoke = SmokeCheck(window, file) if smoke_test and file is not None else None
    if smoke is not None:
        smoke.start()
    else:
        # Unsaved work left by a run that died comes first; the usual post opens after,
        # unless the writer restored something.
        window.recovery.offer_at_startup(lambda: _open_first_post(window, file, created))
        _start_test_typing(window, file)
    log.info("Draftpress %s started (library: %s)", __version__, root)
    status = app.exec()
    # Pages must be deleted before the app-wide web profile goes, or QtWebEngine crashes.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return status


def _open_first_post(window: MainWindow, file: Path | None, created: bool) -> None:
    """Open the post asked for, else the most recent one, else a new library's welcome post."""
    settings = window.settings
    if file is not None:
        window.document.open_path(file)
    elif settings.recent_files and Path(settings.recent_files[0]).is_file():
        window.document.open_path(Path(settings.recent_files[0]))
    elif created:
        window.document.open_path(window.library_root / "welcome-to-draftpress.md")


TEST_TYPE_ENV = "DRAFTPRESS_TEST_TYPE"


def _start_test_typing(window: MainWindow, file: Path | None) -> None:
    """For the crash-recovery test: type $DRAFTPRESS_TEST_TYPE into the editor as key presses.

    It types once the post given on the command line is open (or at once when there is none),
    through the real editor widget, like a writer would. Unset, it does nothing.
    """
    text = os.environ.get(TEST_TYPE_ENV)
    if not text:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest  # only in this test mode

    typed: list[bool] = []

    def type_text(*_args: object) -> None:
        if typed:
            return
        typed.append(True)
        window.editor.setFocus()
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        QTest.keyClicks(window.editor, text)
        log.info("typed %d characters for the test", len(text))

    if file is not None:
        window.document.opened.connect(type_text)
    else:
        QTimer.singleShot(0, type_text)


STARTUP_PROBE_ENV = "DRAFTPRESS_STARTUP_PROBE"


def install_startup_probe(window: MainWindow, started: float, then_exit: bool) -> None:
    """For benchmarks: print when the first render of a non-empty post reaches the preview."""

    def applied(_serial: int) -> None:
        result = window.live.last_result
        if result is None or not result.text:
            return
        window.preview.body_applied.disconnect(applied)
        seconds = round(time.monotonic() - started, 3)
        print(json.dumps({"startup_probe": "first_preview", "seconds": seconds}), flush=True)
        if then_exit:
            from PySide6.QtCore import QCoreApplication, QTimer

            QTimer.singleShot(0, QCoreApplication.quit)

    window.preview.body_applied.connect(applied)


SMOKE_TIMEOUT_MS = 30_000
# Read in the preview once the post's body is in: what the smoke test checks, as JSON.
_SMOKE_PROBE = """JSON.stringify((function () {
  var content = document.getElementById('content');
  var images = Array.from(document.images);
  var figures = Array.from(document.querySelectorAll('#content figure'));
  var sheets = Array.from(document.styleSheets);
  return {
    elements: content ? content.children.length : 0,
    figure_with_image_and_caption: figures.some(function (f) {
      return f.querySelector('img') && f.querySelector('figcaption'); }),
    quote: !!document.querySelector('#content blockquote'),
    highlighted_code: !!document.querySelector('#content .codehilite span'),
    styles: sheets.length > 0 && sheets.every(function (s) { return s.cssRules.length > 0; }),
    images: images.length,
    images_done: images.every(function (i) { return i.complete; }),
    broken_images: images.filter(function (i) { return i.complete && !i.naturalWidth; })
      .map(function (i) { return i.getAttribute('src'); })
  };
})())"""
_SMOKE_CHECKS = {  # what the preview must show, and what to say when it does not
    "figure_with_image_and_caption": "the preview has no <figure> with <img> and <figcaption>",
    "quote": "the preview has no <blockquote>",
    "highlighted_code": "the preview has no highlighted code (.codehilite spans)",
    "styles": "the preview page has no theme or code CSS",
}


class SmokeCheck:
    """The hidden `--smoke-test FILE`: is the window up and does the preview show the post?

    Waits on the window's signals (the post opened, the preview body applied), then reads the
    preview's DOM; polls only for images to finish loading, which no signal reports.
    """

    def __init__(self, window: MainWindow, file: Path) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.file = file
        self.stage = "opening the post"
        self.opened = False
        self.done = False
        self.started = time.monotonic()
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)

    def start(self) -> None:
        """Open the post and start the clock."""
        self.window.document.opened.connect(self._opened)
        self.window.document.failed.connect(lambda message: self._finish(1, [message]))
        self.window.preview.body_applied.connect(self._body_applied)
        self.timer.start(SMOKE_TIMEOUT_MS)
        if not self.file.is_file():
            self._finish(1, [f"no such file: {self.file}"])
            return
        self.window.document.open_path(self.file)

    def _opened(self, _post: object) -> None:
        """The post is read: wait for its render to reach the preview."""
        self.opened = True
        self.stage = "rendering the preview"

    def _body_applied(self, _serial: int) -> None:
        """A render reached the preview: read it if it is the post's."""
        if self.opened and not self.done:
            self._probe()

    def _probe(self) -> None:
        """Ask the preview what it shows."""
        self.window.preview.run_script(_SMOKE_PROBE, self._probed)

    def _probed(self, result: object) -> None:
        """Judge what the preview shows, or wait for more (the post's body, its images)."""
        if self.done:
            return
        try:
            page = json.loads(str(result))
        except ValueError:
            self._finish(1, [f"the preview could not be read ({result!r})"])
            return
        if not page["elements"]:
            return  # the empty page shown before the post: its render comes next
        if page["images"] and not page["images_done"]:
            from PySide6.QtCore import QTimer

            self.stage = "loading the images"
            QTimer.singleShot(100, self._probe)
            return
        failed = [message for key, message in _SMOKE_CHECKS.items() if not page[key]]
        if not page["images"]:
            failed.append("the preview has no image")
        failed += [f"image did not load: {src}" for src in page["broken_images"]]
        if not self.window.isVisible():
            failed.append("the window is not visible")
        self._finish(1 if failed else 0, failed, page)

    def _timed_out(self) -> None:
        """Give up waiting."""
        self._finish(2, [f"timed out after {SMOKE_TIMEOUT_MS // 1000} s {self.stage}"])

    def _finish(self, status: int, failed: list[str], page: dict | None = None) -> None:
        """Print the result as one line of JSON and leave the event loop with `status`."""
        if self.done:
            return
        self.done = True
        self.timer.stop()
        from PySide6.QtCore import QCoreApplication, QTimer, qVersion

        from editor.resource_locator import resources_dir

        result = {
            "ok": status == 0,
            "failed": failed,
            "file": str(self.file),
            "window_title": self.window.windowTitle().replace("[*]", ""),
            "seconds": round(time.monotonic() - self.started, 2),
            "version": __version__,
            "qt": qVersion(),
            "python": platform.python_version(),
            "frozen": bool(getattr(sys, "frozen", False)),
            "resources": str(resources_dir()),
            "preview": page,
        }
        print(json.dumps(result), flush=True)
        # Deferred: a failure reported before the event loop runs must still end it.
        QTimer.singleShot(0, lambda: QCoreApplication.exit(status))
