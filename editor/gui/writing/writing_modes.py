"""The View menu's writing modes, remembered in the settings: focus, typewriter, full screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QWidget

from editor.core.settings import Settings
from editor.gui.writing.distraction_free import DistractionFree
from editor.gui.writing.focus_mode import MODES, OFF, FocusMode
from editor.gui.writing.typewriter import TypewriterScrolling


class WritingModes(QObject):
    """Focus mode, typewriter scrolling and distraction-free writing for one editor."""

    def __init__(
        self,
        window: QMainWindow,
        editor: QPlainTextEdit,
        text_column: QWidget,
        panes: Iterable[QWidget],
        settings: Settings,
        save: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.settings = settings
        self._save = save
        self.focus = FocusMode(editor)
        self.typewriter = TypewriterScrolling(editor)
        self.distraction_free = DistractionFree(window, text_column, panes, editor)
        self.focus.set_mode(settings.focus_mode)
        self.typewriter.set_on(settings.typewriter_scrolling)

    def set_focus_mode(self, mode: str) -> None:
        """Dim all but the paragraph or the sentence (or nothing), and remember it."""
        self.settings.focus_mode = mode if mode in MODES else OFF
        self.focus.set_mode(self.settings.focus_mode)
        self._save()

    def set_typewriter(self, on: bool) -> None:
        """Turn typewriter scrolling on or off, and remember it."""
        self.settings.typewriter_scrolling = on
        self.typewriter.set_on(on)
        self._save()
