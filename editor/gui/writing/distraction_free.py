"""Distraction-free writing (F11): the text alone, full screen; F11 or Esc brings all back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget


class DistractionFree(QObject):
    """Hides every pane but `text` and shows the window full screen; restores it exactly.

    What was visible, the window's state (maximised, normal) and geometry, and the bars are
    remembered when it starts and put back when it ends. The window's actions stay reachable
    by their shortcuts while the menu bar is hidden.
    """

    toggled = Signal(bool)

    def __init__(
        self, window: QMainWindow, text: QWidget, panes: Iterable[QWidget], editor: QWidget
    ) -> None:
        super().__init__(window)
        self.window = window
        self.text = text  # the text's column: the editor and its find bar
        self.editor = editor
        self.panes = list(panes)
        self.active = False
        self._shown: list[QWidget] = []
        self._state = Qt.WindowState.WindowNoState
        self._geometry = QRect()
        self._splitters: dict[QSplitter, tuple[QByteArray, QSize]] = {}
        self._restoring: dict[QSplitter, tuple[QByteArray, QSize]] = {}
        editor.installEventFilter(self)  # Esc in the text leaves (in the find bar it closes it)

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
        for split in self._restoring:
            split.removeEventFilter(self)
        self._restoring = {}
        self._geometry = window.geometry()  # not saveGeometry: its restore fits it to the screen
        self._splitters = {
            split: (split.saveState(), split.size()) for split in window.findChildren(QSplitter)
        }
        self._shown = [w for w in self._chrome() if self._hides(w) and w.isVisible()]
        for widget in self._shown:
            widget.hide()
        self.active = True
        window.showFullScreen()
        self.editor.setFocus()
        self.toggled.emit(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Esc in the text leaves; a splitter gets its pane sizes back at its old size."""
        if (
            self.active
            and watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and cast(QKeyEvent, event).key() == Qt.Key.Key_Escape
        ):
            self.leave()
            return True
        split = watched
        if event.type() == QEvent.Type.Resize and isinstance(split, QSplitter):
            if split not in self._restoring:
                return False
            state, size = self._restoring[split]
            if split.size() == size:
                split.restoreState(state)
                split.removeEventFilter(self)
                del self._restoring[split]
        return False

    def _hides(self, widget: QWidget) -> bool:
        """Tell whether a child of the window is chrome to hide (not the text's column)."""
        return widget.isWindow() is False and not widget.isAncestorOf(self.text)

    def leave(self) -> None:
        """Show what was shown before, in the window state it had."""
        if not self.active:
            return
        self.active = False
        window = self.window
        for widget in self._shown:
            widget.show()
        self._shown = []
        # The pane sizes come back once each splitter has its old size again (the window
        # leaves full screen after this returns); at once too, in case the size is the same.
        self._restoring, self._splitters = self._splitters, {}
        for split, (state, _size) in self._restoring.items():
            split.restoreState(state)
            split.installEventFilter(self)
        if self._state & Qt.WindowState.WindowFullScreen:
            window.showFullScreen()
        elif self._state & Qt.WindowState.WindowMaximized:
            window.showMaximized()
        else:
            window.showNormal()
            window.setGeometry(self._geometry)
        self.editor.setFocus()
        self.toggled.emit(False)
