"""Read the words a diff view marks as inserted or deleted, from the widget's own document."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument


def marked_runs(document: QTextDocument) -> tuple[list[str], list[str]]:
    """Return (inserted runs, deleted runs): struck-through text is deleted, shaded is inserted."""
    inserted: list[str] = []
    deleted: list[str] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            text_format = fragment.charFormat()
            if text_format.fontStrikeOut():
                deleted.append(fragment.text().strip())
            elif text_format.background().style().value != 0:
                inserted.append(fragment.text().strip())
            iterator += 1
        block = block.next()
    return inserted, deleted
