from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from tests.gui.helpers import open_and_wait

def test_scratch(qtbot, window, make_window, library_root):
    open_and_wait(qtbot, window, library_root / "welcome-to-draftpress.md")
    qtbot.waitUntil(lambda: "Welcome" in window.windowTitle())
    print(window.windowTitle())
    qtbot.keyClicks(window.editor, "x")
    with qtbot.waitSignal(window.document.saved):
        window.document.save()
    print(window.windowTitle())
    window.resize(700, 500)
    window.splitter.setSizes([200, 300, 200])
    print(window.size(), window.splitter.sizes(), window.geometry())
    s = window.splitter.sizes()
    window.close()
    w2 = make_window()
    print(w2.size(), w2.splitter.sizes(), w2.geometry())
