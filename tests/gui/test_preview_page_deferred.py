"""The preview's web page is built after the window's first screen is up, not with the window.

Creating the first page starts QtWebEngine's browser side (40-60 ms on this machine), which the
first screen does not need: the pane shows a placeholder of the page's paper colour in the
view's place and builds the page once that has painted (or at once when a render, a script or
the view itself needs it). Nothing moves and no other colour shows when the view comes in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor
from PySide6.QtWebEngineCore import QWebEnginePage

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.gui.preview import PreviewPane, PreviewView
from tests.gui.helpers import deliver_background_results

PAPER = QColor("#f4ecd8")


def test_building_the_window_builds_no_web_page(qtbot, library_root: Path) -> None:
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    try:
        assert win.preview.findChildren(QWebEnginePage) == []
        assert not win.preview.has_page
        assert win.preview_pane.stack.currentWidget() is win.preview_pane.placeholder
    finally:
        deliver_background_results()
        win.close()
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_page_is_built_once_its_place_has_painted_without_moving(qtbot) -> None:
    view = PreviewView()
    view.set_paper(PAPER)
    pane = PreviewPane(view)
    qtbot.addWidget(pane)
    pane.resize(600, 500)
    pane.show()
    qtbot.waitExposed(pane)
    placed = pane.placeholder.geometry()
    assert pane.placeholder.grab().toImage().pixelColor(20, 20) == PAPER

    # no render, no script: the paint alone brings the page in, in the placeholder's place
    qtbot.waitUntil(lambda: view.has_page, timeout=10_000)
    assert pane.stack.currentWidget() is view
    assert view.isVisible()
    assert view.geometry() == placed
    assert view.page().backgroundColor() == PAPER
    assert view.findChildren(QWebEnginePage) == [view.page()]  # ours, not Qt's default page
    with qtbot.waitSignal(view.page_loaded, timeout=30_000):
        pass


def test_a_view_shown_on_its_own_gets_its_own_page_not_qts(qtbot) -> None:
    view = PreviewView()
    view.setZoomFactor(1.5)  # before the page exists: kept for it
    qtbot.addWidget(view)
    view.show()
    assert view.has_page
    assert view.findChildren(QWebEnginePage) == [view.page()]
    assert view.page().profile().objectName() == "draftpress-preview"
    assert view.zoomFactor() == 1.5
