"""Pasting text into the editor: web pages as Markdown, a web address over words as a link.

Paste (Ctrl+V) takes the clipboard's HTML, when it has some, as Markdown (`html_paste`);
Paste as Plain Text (Ctrl+Shift+V) takes its text as it is. Either is one undo step.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit

from editor.gui.editing.exact_text_tracker import document_view
from editor.gui.editing.formatting_commands import apply_plan
from editor.gui.editing.span_toggle import plan_link, url_of

log = logging.getLogger(__name__)

# A Qt program's copy (this editor's own too) carries text/markdown beside its HTML rendering:
# its text is what was written, so it is pasted as it is.
MARKDOWN_MIME = "text/markdown"


def paste_text(editor: QPlainTextEdit, source: QMimeData) -> None:
    """Paste `source`'s text: its HTML as Markdown; a web address over selected words: a link."""
    text = source.text() if source.hasText() else ""
    if _from_a_page(source) and not url_of(text):  # a copied address stays an address
        # imported on the first paste from a page: BeautifulSoup is not the first screen's
        from editor.gui.editing.html_paste import markdown_from_html

        try:
            markdown = markdown_from_html(source.html())
        except Exception:  # noqa: BLE001 (any converter failure pastes the plain text instead)
            log.exception("pasted HTML could not be converted; pasting its text")
            markdown = ""
        if "\n\n" not in markdown.strip("\n"):
            markdown = markdown.strip("\n")  # a few words from a page go into the sentence
        text = markdown or text
    if not text:
        return
    cursor = editor.textCursor()
    url = url_of(text)
    selected = cursor.selectedText()
    if url and selected.strip() and "\u2029" not in selected and not url_of(selected):
        start = cursor.selectionStart()
        words = document_view(editor.document(), start, cursor.selectionEnd())
        apply_plan(editor, start, words, plan_link(words, url))
        return
    cursor.insertText(text)
    editor.setTextCursor(cursor)


def _from_a_page(source: QMimeData) -> bool:
    """Tell whether pasted data is a web page's or a document's (HTML and no Markdown)."""
    return source.hasHtml() and not source.hasFormat(MARKDOWN_MIME)


def paste_plain_text(editor: QPlainTextEdit) -> None:
    """Paste the clipboard's text exactly (no conversion, no link)."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None or not mime.hasText():
        return
    cursor = editor.textCursor()
    cursor.insertText(mime.text())
    editor.setTextCursor(cursor)
