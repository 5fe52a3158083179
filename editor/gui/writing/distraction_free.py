"""Distraction-free writing (F11): the text alone, full screen; F11 or Esc brings all back."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget


class DistractionFree(QObject):
    """Hides every pane but `text` and shows the window full screen; restores it exactly.

    What was visible, the window's state (maximised, normal) and geometry, and the bars are
    remembered when it starts and put back when it ends. The window's actions stay reachable
    by their shortcuts while the menu bar is hidden.
    """

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, text: QWidget, panes: Iterable[QWidget]) -> None:
        super().__init__(window)
        self.window = window
        self.text = text
        self.panes = list(panes)
        self.active = False
        self._shown: list[QWidget] = []
        self._state = Qt.WindowState.WindowNoState
        self._geometry = QByteArray()
        self._splitters: dict[QSplitter, QByteArray] = {}
        self._leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._leave.setEnabled(False)
        self._leave.activated.connect(self.leave)

    def keep_shortcuts(self, actions: Iterable[QAction]) -> None:
        """Keep these actions' shortcuts working while the menu bar is hidden."""
        self.window.addActions(list(actions))

    def toggle(self) -> None:
        """Start or end distraction-free writing."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def _chrome(self) -> list[QWidget]:
        """Return everything that hides: the panes, the menu bar, toolbars and the status bar."""
        window = self.window
        bars: list[QWidget] = [window.menuBar(), window.statusBar()]
        bars += window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return [w for w in dict.fromkeys(self.panes + bars) if w is not self.window.centralWidget()]

    def enter(self) -> None:
        """Hide all but the text and go full screen."""
        if self.active:
            return
        window = self.window
        self._state = window.windowState()
        self._geometry = window.saveGeometry()
        self._splitters = {split: split.saveState() for split in window.findChildren(QSplitter)}
        self._shown = [w for w in self._chrome() if self._hides(w) and w.isVisible()]
        for widget in self._shown:
            widget.hide()
        self.active = True
        self._leave.setEnabled(True)
        window.showFullScreen()
        self.text.setFocus()
        self.toggled.emit(True)

    def _hides(self, widget: QWidget) -> bool:
        """Tell whether a child of the window is chrome to hide (not the text's column)."""
        return widget.isWindow() is False and not widget.isAncestorOf(self.text)

    def leave(self) -> None:
        """Show what was shown before, in the window state it had."""
        if not self.active:
            return
        self.active = False
        self._leave.setEnabled(False)
        window = self.window
        for widget in self._shown:
            widget.show()
        self._shown = []
        for split, state in self._splitters.items():
            split.restoreState(state)
        self._splitters = {}
        if self._state & Qt.WindowState.WindowFullScreen:
            window.showFullScreen()
        elif self._state & Qt.WindowState.WindowMaximized:
            window.showMaximized()
        else:
            window.showNormal()
            window.restoreGeometry(self._geometry)
        self.text.setFocus()
        self.toggled.emit(False)
