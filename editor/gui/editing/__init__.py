"""Editing room: the Markdown editor widget (highlighting, inline spans, island folding, exact
text) and its find bar. Other modules of this package are internal to it."""

from editor.gui.editing.editor_pane import MarkdownEditor
from editor.gui.editing.find_bar import FindBar

__all__ = ["FindBar", "MarkdownEditor"]
