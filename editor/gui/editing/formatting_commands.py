"""Bold, Italic, Code and Link on the editor: the plans of `span_toggle` applied as one undo step.

Positions: Qt counts UTF-16 units, Python strings count code points; the plans work on the
Python text of the lines the selection touches, and are mapped back here.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from editor.core.exact_text import utf16_length
from editor.gui.editing.exact_text_tracker import document_view
from editor.gui.editing.span_toggle import SpanEdit, plan_link, toggle_span, url_of


def _index(text: str, units: int) -> int:
    """Return the code point index of the UTF-16 offset `units` in `text`."""
    if text.isascii():
        return units
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def toggle_span_in(editor: QPlainTextEdit, marker: str) -> None:
    """Toggle a `marker` span on the editor's selection (or start or leave one at the cursor)."""
    cursor = editor.textCursor()
    document = editor.document()
    base = document.findBlock(cursor.selectionStart()).position()
    last_block = document.findBlock(cursor.selectionEnd())
    text = document_view(document, base, last_block.position() + last_block.length() - 1)
    start = _index(text, cursor.selectionStart() - base)
    end = _index(text, cursor.selectionEnd() - base)
    plan = toggle_span(text, start, end, marker)
    apply_plan(editor, base, text, plan)


def apply_plan(editor: QPlainTextEdit, base: int, text: str, plan: SpanEdit) -> None:
    """Make the plan's replacements as one undo step, then select what it says."""
    cursor = QTextCursor(editor.document())
    if plan.replacements:
        cursor.beginEditBlock()
        for position, removed, inserted in plan.replacements:  # from the last to the first
            at = base + utf16_length(text[:position])
            cursor.setPosition(at)
            cursor.setPosition(
                at + utf16_length(text[position : position + removed]),
                QTextCursor.MoveMode.KeepAnchor,
            )
            cursor.insertText(inserted)
            text = text[:position] + inserted + text[position + removed :]
        cursor.endEditBlock()
    cursor.setPosition(base + utf16_length(text[: plan.anchor]))
    cursor.setPosition(base + utf16_length(text[: plan.position]), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def clipboard_url() -> str:
    """Return the web address on the clipboard ("" when it holds anything else)."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return ""
    if mime.hasText() and (address := url_of(mime.text())):
        return address
    for link in mime.urls() if mime.hasUrls() else []:
        if not link.isLocalFile() and (text := url_of(link.toString())):
            return text
    return ""


def selection_is_address(editor: QPlainTextEdit) -> bool:
    """Tell whether the editor's selection is a web address by itself."""
    return bool(url_of(editor.textCursor().selectedText()))


def insert_link_in(editor: QPlainTextEdit, url: str | None = None) -> None:
    """Make the selection a link: to the clipboard's web address when it holds one."""
    cursor = editor.textCursor()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    block = editor.document().findBlock(start)
    end = min(end, block.position() + block.length() - 1)  # a link stays within a paragraph
    selected = document_view(editor.document(), start, end)
    plan = plan_link(selected, clipboard_url() if url is None else url)
    apply_plan(editor, start, selected, plan)
