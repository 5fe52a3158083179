"""GUI test set-up: QtWebEngine must be imported before the QApplication exists.

The `window` fixture gives a real main window on a fresh library holding the welcome post;
`make_window` builds further windows (e.g. a second run on the same config dir). Neither uses
qtbot.addWidget: its close would prompt about unsaved changes. Each window is closed once its
document is marked unmodified, then deleted at once so that its web page is gone before the
application's web profile is released.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede QApplication creation)
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

from editor.core.library import ensure_library
from editor.core.settings import Settings
from editor.gui.document.disk_conflict_dialog import DiskConflictDialog
from editor.gui.document.encoding_ui import EncodingDialog
from editor.gui.main_window import MainWindow
from editor.gui.preview import PreviewView
from editor.gui.workers import network_pool
from tests.gui.helpers import deliver_background_results


@pytest.fixture
def library_root(isolated_home: Path) -> Path:
    """The drafts library of the test, created with its welcome post."""
    root = isolated_home / "library"
    ensure_library(root)
    return root


@pytest.fixture(autouse=True)
def no_hanging_file_questions(monkeypatch) -> list[str]:
    """Answer the file questions that may come up at any time with "decide later" (Escape).

    Another program's change to the open file may be noticed in any test; its modal dialog
    must not block a test that is not about it. Tests about it patch `exec` themselves.
    """
    asked: list[str] = []

    def escape(dialog) -> int:
        asked.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(DiskConflictDialog, "exec", escape)
    monkeypatch.setattr(EncodingDialog, "exec", escape)
    return asked


@pytest.fixture
def make_window(qtbot, library_root: Path, monkeypatch) -> Iterator[Callable[..., MainWindow]]:
    """Build shown main windows on the test's library; all are closed and deleted afterwards.

    It asks for `monkeypatch` so that a test's stand-ins for modal dialogs stay in place until
    the windows are gone: a background result delivered during teardown must not open a modal.
    """
    made: list[MainWindow] = []

    def make(settings: Settings | None = None) -> MainWindow:
        win = MainWindow(settings or Settings(preview_debounce_ms=20), library_root)
        made.append(win)
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    # Let background reads, saves and listings report while their windows still exist.
    for _ in range(10):
        deliver_background_results()
        pools = (QThreadPool.globalInstance(), network_pool())
        if all(pool.activeThreadCount() == 0 for pool in pools):
            break
    for win in made:
        win.editor.document().setModified(False)
        win.close()
        win.deleteLater()
    # Delete them now: their web pages must be gone before the app's web profile is released.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def preview(qtbot) -> Iterator[PreviewView]:
    """A real preview view on its own (no window), shown offscreen; deleted afterwards."""
    view = PreviewView()
    view.resize(800, 700)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    """A real main window on a fresh library holding the welcome post."""
    return make_window()
