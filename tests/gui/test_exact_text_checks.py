"""The exact text is checked against the editor's document before it is read: the whole document
before a save, only the span edited since the last check for the journal's writes while the
writer types (a whole check is about 10 ms of the window's thread at 1 MB under load)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor

from editor.core.exact_text import to_units
from editor.core.recovery_journal import JournalEntry, recovery_dir
from editor.core.settings import Settings
from editor.gui.editing import exact_text_tracker
from editor.gui.editing.editor_pane import MarkdownEditor
from editor.gui.editing.exact_text_tracker import document_view
from tests.gui.helpers import open_and_wait, shown_editor
from tests.security.test_saving_keeps_characters import type_text

PARAGRAPH = "Some prose with words\u00a0and a line\u2028break. " * 20 + "\n\n"
LONG = PARAGRAPH * 300  # about 250 KB


@pytest.fixture
def editor(qtbot) -> MarkdownEditor:
    """A bare editor pane holding LONG, shown offscreen."""
    pane = shown_editor(qtbot)
    pane.load_text(LONG)
    qtbot.waitUntil(lambda: not pane.loading, timeout=10000)
    return pane


@pytest.fixture
def spans_read(monkeypatch) -> list[int]:
    """The length of every document span the tracker reads from now on."""
    lengths: list[int] = []

    def reading(document, start: int = 0, end: int | None = None) -> str:
        shown = document_view(document, start, end)
        lengths.append(len(shown))
        return shown

    monkeypatch.setattr(exact_text_tracker, "document_view", reading)
    return lengths


def put_cursor(editor: MarkdownEditor, position: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    editor.setFocus()


def test_a_read_while_typing_checks_only_what_was_typed(
    qtbot, editor: MarkdownEditor, spans_read: list[int]
) -> None:
    editor.exact_text()  # checked as a whole once
    put_cursor(editor, len(LONG) // 2)
    type_text(qtbot, editor, "typed words")
    spans_read.clear()

    text = editor.exact_text(whole_check=False)

    middle = len(LONG) // 2
    assert text == LONG[:middle] + "typed words" + LONG[middle:]
    reads_of_the_check = [length for length in spans_read if length > 1]
    assert reads_of_the_check and max(reads_of_the_check) <= len("typed words")
    spans_read.clear()
    assert editor.exact_text(whole_check=False) == text
    assert max(spans_read, default=0) == 0  # nothing edited since: nothing read
    editor.exact_text()
    assert max(spans_read) >= len(LONG)  # a whole check (saving) reads everything


def test_the_journal_written_while_typing_does_not_read_the_whole_post(
    qtbot, make_window, library_root: Path, spans_read: list[int]
) -> None:
    path = library_root / "long.md"
    path.write_text(LONG, encoding="utf-8")
    window = make_window(Settings(preview_debounce_ms=20, autosave_idle_ms=30))
    open_and_wait(qtbot, window, path)
    window.editor.exact_text()
    put_cursor(window.editor, 1000)
    spans_read.clear()

    with qtbot.waitSignal(window.autosave.journaled, timeout=10000):
        type_text(qtbot, window.editor, "typed")

    [entry] = [JournalEntry.from_file(file) for file in recovery_dir().glob("*/entry-*.json")]
    assert entry.text == LONG[:1000] + "typed" + LONG[1000:]
    assert spans_read and max(spans_read) < 100


def test_a_text_out_of_step_in_the_typed_span_is_mended_by_the_light_check(
    qtbot, editor: MarkdownEditor
) -> None:
    # Qt's reports of edits cannot be made to lie; the tracker's own copy is put out of step
    # instead, where the writer typed.
    editor.exact_text()
    put_cursor(editor, 100)
    type_text(qtbot, editor, "abcdef")
    editor.exact.exact.replace(102, 1, "X")
    resyncs = editor.exact.resyncs

    text = editor.exact_text(whole_check=False)

    assert text == LONG[:100] + "abcdef" + LONG[100:]
    assert editor.exact.resyncs == resyncs + 1


def test_a_text_out_of_step_away_from_the_edits_is_mended_by_the_whole_check(
    qtbot, editor: MarkdownEditor
) -> None:
    editor.exact_text()
    put_cursor(editor, 100)
    type_text(qtbot, editor, "abc")
    editor.exact.exact.replace(5000, 1, "X")  # out of step where nobody typed (see above)

    assert editor.exact_text(whole_check=False)[5000] == "X"  # the light check cannot see it
    text = editor.exact_text()

    assert text == LONG[:100] + "abc" + LONG[100:]


EDIT = st.tuples(
    st.sampled_from(["cursor", "cursor", "app", "undo", "redo"]),  # who edits, or undo/redo
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["", "x", "two words", "new\nline", "\u00a0", "😀", "para\n\nbreak"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(EDIT, min_size=1, max_size=8))
def test_the_span_left_to_check_holds_every_change_since_the_last_check(
    editor: MarkdownEditor, edits: list[tuple[str, float, int, str]]
) -> None:
    editor.exact_text()
    before = to_units(document_view(editor.document()))
    for kind, where, removed, added in edits:
        if kind == "undo":
            editor.undo()
            continue
        if kind == "redo":
            editor.redo()
            continue
        units = to_units(document_view(editor.document()))
        start = on_a_character(units, round(where * len(units)))
        end = on_a_character(units, min(len(units), start + removed))
        if kind == "app":  # the app's own edit (a tool's insert), exact text given
            editor.replace_range(start, end, added)
            continue
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(added)
    after = to_units(document_view(editor.document()))

    # Outside the span left to check, the document is what it was at the last check.
    start, tail = editor.exact._unchecked or (len(after), 0)
    assert before[:start] == after[:start]
    assert before[len(before) - tail :] == after[len(after) - tail :]
    editor.exact_text()  # the whole check agrees: the light one had nothing else to find
    assert editor.exact.resyncs == 0


def on_a_character(units: str, position: int) -> int:
    """Return `position`, moved back off the middle of a surrogate pair (where no cursor stops)."""
    inside = 0 < position < len(units) and "\udc00" <= units[position] <= "\udfff"
    return position - 1 if inside else position
