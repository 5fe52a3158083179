"""Edits the app makes from the post's text land where they belong in posts with characters
outside the BMP (emoji): the editor counts such a character as two positions, Python's string
indexes as one (editor/core/exact_text.py: editor_position, text_index; a CR LF, one position
in the editor and two characters, never reaches the editor: files are read with LF). The quote
tool used string indexes as editor positions: with emoji above the cursor it cut the wrong
characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.core.exact_text import editor_length, editor_position, text_index, to_units
from editor.core.front_matter import with_front_matter_field
from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait
from tests.gui.test_file_changes import write_like_another_program
from tests.gui.test_insert_tools import DialogScript, put_cursor, quote_dialog

__all__ = ["quote_dialog"]

POST = (
    "---\ntitle: Night Train 🚆\nstatus: draft\n---\n\n"
    "We took the night train 🚆🚆 north 🌙.\n\n"
    "The station was empty at dawn,\nand the kiosk was closed.\n\n"
    "Home again.\n"
)


@pytest.fixture
def emoji_post(qtbot, window: MainWindow, library_root: Path) -> Path:
    """A post with emoji, open in the window."""
    path = library_root / "night-train.md"
    path.write_bytes(POST.encode("utf-8"))
    open_and_wait(qtbot, window, path)
    assert window.editor.exact_text() == POST
    return path


def test_a_change_on_disk_to_an_unedited_post_with_emoji_is_taken_in_exactly(
    qtbot, window: MainWindow, emoji_post: Path
) -> None:
    changed = POST.replace("Home again.", "Home again, at last.")
    write_like_another_program(emoji_post, changed, atomic=True)

    qtbot.waitUntil(lambda: "at last" in window.editor.toPlainText(), timeout=5000)

    assert window.editor.exact_text() == changed
    assert not window.isWindowModified()


def test_a_field_set_in_a_post_with_emoji_leaves_its_body_as_it_was(
    qtbot, window: MainWindow, emoji_post: Path
) -> None:
    window.document.set_field("title", "Night Train, Northbound")

    text = window.editor.exact_text()
    assert text == with_front_matter_field(POST, "title", "Night Train, Northbound")
    assert text.endswith(POST[POST.index("\n\nWe took") :])


def test_a_quote_of_a_selection_after_emoji_replaces_exactly_it(
    window: MainWindow, emoji_post: Path, quote_dialog: DialogScript
) -> None:
    selected = "and the kiosk was closed."
    start = POST.index(selected)
    put_cursor(
        window,
        editor_position(POST, start + len(selected)),
        anchor=editor_position(POST, start),
    )
    quote_dialog.fill = lambda dialog: dialog.author_edit.setText("Conductor")
    window.menu_actions["insert_quote"].trigger()

    assert quote_dialog.prefilled[0].text == selected
    text = window.editor.exact_text()
    assert text.startswith(POST[:start])  # what came before the selection, untouched
    assert text.endswith("\n\nHome again.\n")  # and after it
    assert text.count(selected) == 1 and f"> {selected}" in text
    window.editor.undo()
    assert window.editor.exact_text() == POST


@given(st.lists(st.sampled_from(["a", "\r\n", "\n", "\r", "😀", "é"]), max_size=30).map("".join))
def test_editor_positions_and_text_indexes_agree_with_the_editors_units(text: str) -> None:
    assert editor_length(text) == len(to_units(text))
    for index in range(len(text) + 1):
        if 0 < index < len(text) and text[index - 1 : index + 1] == "\r\n":
            continue  # inside a CR LF pair: no editor position
        assert text_index(text, editor_position(text, index)) == index
