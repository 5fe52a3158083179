"""The preview's web page is built after the window's first screen is up, not with the window.

Creating the first page starts QtWebEngine's browser side (40-60 ms on this machine), which the
first screen does not need: the pane shows a placeholder of the page's paper colour in the
view's place and builds the page once that has painted (or at once when a render, a script or
the view itself needs it). Nothing moves and no other colour shows when the view comes in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor
from PySide6.QtWebEngineCore import QWebEnginePage

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.gui.preview import PreviewPane, PreviewView
from tests.gui.helpers import deliver_background_results

PAPER = QColor("#f4ecd8")
ROOT = Path(__file__).resolve().parents[2]


def test_building_the_window_builds_no_web_page(qtbot, library_root: Path) -> None:
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    try:
        assert win.preview.findChildren(QWebEnginePage) == []
        assert not win.preview.has_page
        assert win.preview_pane.placeholder.isVisibleTo(win)
        assert not win.preview.isVisibleTo(win)
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

    # no render, no script: the paint alone brings the page in, in the placeholder's place,
    # and the placeholder goes once the view has drawn
    qtbot.waitUntil(lambda: view.has_page, timeout=10_000)
    qtbot.waitUntil(lambda: not pane.placeholder.isVisible(), timeout=10_000)
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


# Run in its own process on a real X server: offscreen windows are never made again.
_ON_X = """
import json, sys
from pathlib import Path
import PySide6.QtWebEngineWidgets
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
window = MainWindow(Settings(), Path(sys.argv[1]))
window.show()
ids = {"shown": int(window.winId())}
def page_loaded(_ok):
    QTimer.singleShot(500, finish)  # the view's first frames
def finish():
    ids["page"] = int(window.winId())
    ids["built_after_show"] = built_after_show
    print(json.dumps(ids), flush=True)
    app.quit()
built_after_show = not window.preview.has_page
window.preview.page_loaded.connect(page_loaded)
QTimer.singleShot(60_000, app.quit)
app.exec()
window.deleteLater()
"""


def test_the_window_is_not_made_again_when_the_view_comes_in(tmp_path: Path) -> None:
    # A shown window that gains its first child drawn through Qt's RHI (the web view) is
    # destroyed and made again by Qt: on screen it vanishes for a frame.
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (scripts/system-packages.sh TEST_PACKAGES)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as display_number:
            display = display_number.readline().strip()
        env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
        env.update(
            DISPLAY=f":{display}", QTWEBENGINE_DISABLE_SANDBOX="1",
            DRAFTPRESS_CONFIG_DIR=str(tmp_path / "config"),
            DRAFTPRESS_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT),
        )
        (tmp_path / "library").mkdir()
        ran = subprocess.run(
            [sys.executable, "-c", _ON_X, str(tmp_path / "library")], env=env, cwd=ROOT,
            capture_output=True, text=True, timeout=90,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    ids = json.loads(ran.stdout.strip().splitlines()[-1])
    assert ids["built_after_show"]
    assert ids["page"] == ids["shown"]
