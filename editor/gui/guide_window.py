"""Help > Markdown Guide: the bundled guide rendered like a post, in a window of its own.

The guide is rendered off the GUI thread by the same renderer and page as the preview, and its
shortcut table is read from the window's menus when it opens.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from editor.core.markdown_guide import GUIDE_TITLE, MenuShortcut, guide_markdown
from editor.gui.preview import PreviewView
from editor.gui.workers import run_in_background
from editor.render.markdown_renderer import render_markdown
from editor.resource_locator import resource_path

log = logging.getLogger(__name__)

NativeText = QKeySequence.SequenceFormat.NativeText


def _plain(text: str) -> str:
    """Return a menu text without its mnemonic marks (`&Save` is Save; `&&` is one &)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def menu_shortcuts(window: QMainWindow) -> list[MenuShortcut]:
    """Return every command of the window's menus that has a shortcut, in menu order."""
    found: list[MenuShortcut] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} > {_plain(submenu.title())}")
                continue
            shortcuts = [key for key in action.shortcuts() if not key.isEmpty()]
            keys = tuple(key.toString(NativeText) for key in shortcuts)
            if keys and not action.isSeparator():
                found.append(MenuShortcut(path, _plain(action.text()), keys))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    return found


def _render_guide(shortcuts: list[MenuShortcut]) -> str:
    """Return the guide's HTML (on a worker thread)."""
    return render_markdown(guide_markdown(shortcuts))


class GuideWindow(QWidget):
    """A window showing the Markdown guide in the preview's style."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("markdown_guide")
        self.setWindowTitle(f"{GUIDE_TITLE} — Draftpress")
        self.resize(820, max(600, window.height() - 60))
        self.view = PreviewView(self)
        appearance = getattr(window, "appearance", None)  # the writer's theme and zoom
        if appearance is not None:
            self.view.preview_page.loadFinished.connect(
                lambda _ok: appearance.style_view(self.view)
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Close)):
            QShortcut(keys, self, self.close)
        self.refresh(window)

    def refresh(self, window: QMainWindow) -> None:
        """Render the guide again with the window's current shortcuts."""
        run_in_background(
            _render_guide,
            menu_shortcuts(window),
            on_success=self._rendered,
            on_failure=lambda error: log.warning("the Markdown guide did not render: %r", error),
        )

    def _rendered(self, body_html: str) -> None:
        """Show the rendered guide."""
        self.view.show_document(
            resource_path("guide"), GUIDE_TITLE, body_html, self.view.shown_serial + 1
        )


def show_markdown_guide(window: QMainWindow) -> GuideWindow:
    """Open the Markdown guide (or bring the open one to the front) and return it."""
    guide = window.findChild(GuideWindow, "markdown_guide")
    if guide is None:
        guide = GuideWindow(window)
    else:
        guide.refresh(window)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
