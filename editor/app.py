"""Start-up: logging, Qt's environment, the QApplication and the main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from editor import __version__

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

log = logging.getLogger(__name__)

PAGE_COLLECTION_FLAG = "--js-flags=--expose-gc"  # lets our preview script call gc()
# How long a Python thread may keep the interpreter lock while another waits for it. The live
# preview renders in a Python thread beside the GUI thread; with Python's default (5 ms) a key
# event or a paint waits for such hand-overs (benchmarks/gil_handover.py).
SWITCH_INTERVAL_S = 0.001


def prepare_qt_environment() -> None:
    """Set what QtWebEngine needs before Qt starts (no root sandbox, no GPU headless, gc)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root; a writer never runs as root, CI does.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    # Our script in the preview asks the page to collect its garbage when typing pauses
    # (editor/gui/preview/page_memory.py); without it the page grows with every keystroke.
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--js-flags" not in flags:  # V8 flags someone chose are left as they are
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {PAGE_COLLECTION_FLAG}".strip()


def share_the_interpreter() -> None:
    """Let the GUI thread take the interpreter lock back from a render thread within 1 ms.

    Process-wide, but a hand-over happens only while another thread waits for the lock: a
    thread running alone (a render while the writer pauses) is not slowed. While both run, the
    render thread does fewer edits a second; the GUI thread's waits are what the writer feels.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def configure_logging(debug: bool) -> None:
    """Log to stderr; debug detail on request."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def run_app(
    file: Path | None = None,
    *,
    debug: bool = False,
    smoke_test: bool = False,
    after_start: Callable[[MainWindow], None] | None = None,
) -> int:
    """Open the main window (on `file` if given) and run until it closes.

    With `smoke_test`, open `file`, check that the preview shows it (editor/smoke_check.py,
    imported only then), print the result as one line of JSON and exit: 0 passed, 1 failed,
    2 timed out. `after_start` is called with the shown window once the first post is on its
    way (benchmarks and tests drive the real start-up through it; the app never sets it).
    """
    configure_logging(debug)
    prepare_qt_environment()
    share_the_interpreter()
    from editor.render.live_render_process import shared_render_process

    # The live render child's start (a new interpreter, the renderer's imports, a warm-up render:
    # about 0.4 s) overlaps Qt's and the window's; a post opened at launch finds it ready.
    shared_render_process().prepare()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before the QApplication)
    from PySide6.QtCore import QCoreApplication, QEvent, QLocale
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Draftpress")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Draftpress")
    app.setDesktopFileName("draftpress")
    from editor.core.library import ensure_library, library_dir
    from editor.core.settings import load_settings
    from editor.core.spelling import preload_speller

    settings = load_settings()
    if settings.spelling_enabled:  # Enchant's dictionary is read meanwhile, on its own thread
        preload_speller(settings.spelling_language, QLocale.system().name())
    from editor.gui.main_window import MainWindow
    from editor.publish.request_stop import allow_requests, stop_all_requests

    allow_requests()
    app.aboutToQuit.connect(stop_all_requests)  # quitting never waits on a blog's answer
    root = library_dir(settings)
    try:
        created = ensure_library(root)
    except OSError as error:
        log.error("could not create the drafts library at %s: %s", root, error)
        created = False
    window = MainWindow(settings, root)
    window.show()
    if smoke_test and file is not None:
        from editor.smoke_check import SmokeCheck

        SmokeCheck(window, file).start()
    else:
        # Unsaved work left by a run that died comes first; the usual post opens after,
        # unless the writer restored something.
        window.recovery.offer_at_startup(lambda: _open_first_post(window, file, created))
    if after_start is not None:
        after_start(window)
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
