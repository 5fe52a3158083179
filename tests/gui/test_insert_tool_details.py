"""The quote and image tools as a writer meets them: a copied address is the quote's source
(read from a real page on 127.0.0.1), and dialogs leave no blank gap where a message is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from editor.core.figure_snippet import FigureFields
from editor.core.quote_snippet import DEFAULT_CLOSING, QuoteFields, build_quote_markdown
from editor.gui.inserting.image_dialog import ImageDialog
from editor.gui.inserting.quote_dialog import QuoteDialog
from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait
from tests.local_page import serve_page

PAGE = Path(__file__).parents[1] / "publish" / "pages" / "wordpress-yoast.html"
POST_TEXT = "---\ntitle: Letters\n---\n\nI still write letters.\n"


def test_an_address_on_the_clipboard_is_the_quotes_source_and_fills_author_and_title(
    qtbot, window: MainWindow, library_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = library_root / "2026-03-05-letters.md"
    post.write_text(POST_TEXT, encoding="utf-8")
    open_and_wait(qtbot, window, post)
    cursor = window.editor.textCursor()
    cursor.setPosition(len(POST_TEXT))
    window.editor.setTextCursor(cursor)
    seen: list[QuoteFields] = []

    def run(dialog: QuoteDialog) -> int:
        """Stands in for the modal exec(): waits for the page, types the quote, accepts."""
        seen.append(dialog.fields())
        qtbot.waitUntil(lambda: dialog.author_edit.text() == "Marta Quill", timeout=10000)
        dialog.text_edit.setPlainText("Paper is patient.")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(QuoteDialog, "exec", run)
    with serve_page(monkeypatch, PAGE.read_text(encoding="utf-8"), "/letters/") as url:
        QGuiApplication.clipboard().setText(url)
        window.menu_actions["insert_quote"].trigger()
    assert (seen[0].text, seen[0].source_url) == ("", url)
    expected = build_quote_markdown(
        QuoteFields(
            "Paper is patient.", "Marta Quill", "Why I Still Write Letters", url, DEFAULT_CLOSING
        )
    )
    assert window.editor.toPlainText() == POST_TEXT + "\n" + expected


def test_text_on_the_clipboard_is_still_the_quote(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[QuoteFields] = []

    def run(dialog: QuoteDialog) -> int:
        seen.append(dialog.fields())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QuoteDialog, "exec", run)
    QGuiApplication.clipboard().setText("See https://example.com for more.")
    window.menu_actions["insert_quote"].trigger()
    assert (seen[0].text, seen[0].source_url) == ("See https://example.com for more.", "")


def test_the_quote_dialog_has_no_empty_message_line_until_there_is_a_message(qtbot) -> None:
    dialog = QuoteDialog(QuoteFields(text="Words."))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.message.isVisible()
    dialog.show_message("Reading the page …")
    assert dialog.message.isVisible()


def test_the_image_dialog_leaves_no_gap_where_the_alt_text_warning_was(qtbot) -> None:
    dialog = ImageDialog(FigureFields("a.png", alt="A hammer"), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    spacing = dialog.caption_edit.geometry().top() - dialog.alt_help.geometry().bottom() - 1
    with_warning = ImageDialog(FigureFields("a.png"), None)
    qtbot.addWidget(with_warning)
    with_warning.show()
    qtbot.waitExposed(with_warning)
    assert with_warning.alt_warning.isVisible()
    help_to_warning = (
        with_warning.alt_warning.geometry().top() - with_warning.alt_help.geometry().bottom() - 1
    )
    assert spacing == help_to_warning  # one row spacing, not two around an empty row


def test_typing_alt_text_closes_the_warnings_gap(qtbot) -> None:
    dialog = ImageDialog(FigureFields("a.png"), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.alt_warning.isVisible()
    row_gap = dialog.alt_warning.geometry().top() - dialog.alt_help.geometry().bottom()
    qtbot.keyClicks(dialog.alt_edit, "A hammer")
    qtbot.waitUntil(lambda: not dialog.alt_warning.isVisible())
    gap = dialog.caption_edit.geometry().top() - dialog.alt_help.geometry().bottom()
    assert gap == row_gap
    assert dialog.alt_help.geometry().top() - dialog.alt_edit.geometry().bottom() <= row_gap
