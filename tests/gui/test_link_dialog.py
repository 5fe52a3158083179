"""Ctrl+K without a web address on the clipboard: the small link dialog, in the real window
with real key presses (the modal dialog is answered by a timer, as a writer would)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from editor.gui.editing.link_dialog import LinkDialog
from editor.gui.main_window import MainWindow
from tests.gui.test_editing_commands import place_cursor, select, set_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def clipboard_emptied_after():
    """Empty the clipboard after each test."""
    yield
    QApplication.clipboard().clear()


def answer_link_dialog(
    qtbot,
    *,
    text: str | None = None,
    address: str | None = None,
    seen: list[tuple[str, str]] | None = None,
    then: Callable[[LinkDialog], None] | None = None,
) -> None:
    """When the link dialog opens, note its fields, type `text`/`address` and press Enter."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LinkDialog):
            QTimer.singleShot(10, answer)  # not open yet
            return
        if seen is not None:
            seen.append((dialog.text_edit.text(), dialog.url_edit.text()))
        for edit, value in ((dialog.text_edit, text), (dialog.url_edit, address)):
            if value is not None:
                edit.clear()
                qtbot.keyClicks(edit, value)
        if then is not None:
            then(dialog)
        else:
            qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_ctrl_k_on_words_asks_for_the_address_and_makes_the_link_in_one_undo_step(
    qtbot, window: MainWindow
) -> None:
    QApplication.clipboard().clear()
    set_text(window.editor, "Try Draftpress now")
    select(window.editor, "Draftpress")
    seen: list[tuple[str, str]] = []
    answer_link_dialog(qtbot, address="draftpress.example/start", seen=seen)
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert seen == [("Draftpress", "")]
    assert window.editor.toPlainText() == "Try [Draftpress](https://draftpress.example/start) now"
    assert window.editor.textCursor().position() == len(
        "Try [Draftpress](https://draftpress.example/start)"
    )
    window.editor.undo()
    assert window.editor.toPlainText() == "Try Draftpress now"


def test_ctrl_k_without_a_selection_takes_the_words_and_the_address(
    qtbot, window: MainWindow
) -> None:
    QApplication.clipboard().setText("some words")
    set_text(window.editor, "See  here")
    place_cursor(window.editor, 4)
    answer_link_dialog(qtbot, text="the [map]", address="https://example.org/map (old)")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert (
        window.editor.toPlainText() == "See [the \\[map\\]](<https://example.org/map (old)>) here"
    )


def test_the_link_dialog_refuses_an_empty_address_and_cancel_changes_nothing(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, "Try Draftpress now")
    select(window.editor, "Draftpress")
    messages: list[str] = []

    def press_enter_then_cancel(dialog: LinkDialog) -> None:
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
        messages.append(dialog.message.text() if dialog.message.isVisible() else "")
        assert dialog.isVisible()
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Escape)

    answer_link_dialog(qtbot, then=press_enter_then_cancel)
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert messages == ["Type or paste the address the link goes to."]
    assert window.editor.toPlainText() == "Try Draftpress now"
