"""Start-up: logging, Qt's environment, the QApplication and the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from editor import __version__
from editor.core.library import ensure_library, library_dir
from editor.core.settings import load_settings

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


def run_app(file: Path | None = None, *, debug: bool = False) -> int:
    """Open the main window (on `file` if given) and run until it closes."""
    configure_logging(debug)
    prepare_qt_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before the QApplication)
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from editor.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
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
    if file is not None:
        window.document.open_path(file)
    elif settings.recent_files and Path(settings.recent_files[0]).is_file():
        window.document.open_path(Path(settings.recent_files[0]))
    elif created:
        window.document.open_path(root / "welcome-to-draftpress.md")
    log.info("Draftpress %s started (library: %s)", __version__, root)
    status = app.exec()
    # Pages must be deleted before the app-wide web profile goes, or QtWebEngine crashes.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return status
