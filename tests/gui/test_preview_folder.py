"""A window's preview keeps its pages in a private temporary folder that goes with the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from tests.gui.helpers import deliver_background_results


def test_closing_a_window_removes_its_preview_folder(qtbot, library_root: Path) -> None:
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    win.show()
    qtbot.waitExposed(win)
    preview = win.preview  # held on purpose: the folder must go with the widget, not with GC
    folder = preview._page_folder.path
    assert folder.is_dir() and folder.name.startswith("draftpress-preview-")

    deliver_background_results()  # the library listing reports to a window still there
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert not folder.exists()
