"""Issue 18, finding 6: saving never changes characters the writer did not edit.

Qt's editor shows a bare CR, U+2029, U+FDD0 and U+FDD1 as plain line breaks, and its
toPlainText() gives NBSP as a space and U+2028 as a newline. After an edit elsewhere, the saved
file, the journal and a publish (its record written back into the file) still hold the file's
own characters. In the real window; the publish against the real WordPress.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from editor.core.exact_text import utf16_length
from editor.core.recovery_journal import JournalEntry, recovery_dir
from editor.core.settings import Settings
from editor.gui.editing.editor_pane import MarkdownEditor
from editor.gui.main_window import MainWindow
from editor.publish.accounts import Account, store_password, upsert_account
from tests.core.test_exact_text import read_back_alike
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.sample_posts import unique

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]

SPECIALS = {
    "nbsp": "\u00a0",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "noncharacter FDD0": "\ufdd0",
    "noncharacter FDD1": "\ufdd1",
    "bare CR": "\r",
}
ALL = "".join(SPECIALS.values())
NEVER_MS = 600_000


def post_text(mark: str, title: str = "Bonjour\u00a0!") -> str:
    """A post holding `mark` in its body, away from where the tests type."""
    return (
        f'---\ntitle: "{title}"\nstatus: draft\n---\n\n'
        f"Bonjour\u00a0! Before{mark}after the mark.\n\nLast paragraph.\n"
    )


def write_post(folder: Path, text: str, name: str = "marks.md") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def type_text(qtbot, editor: MarkdownEditor, typed: str) -> None:
    """Type `typed` with key events (QTest types ASCII only; others go as the key's text)."""
    for char in typed:
        if char.isascii():
            qtbot.keyClicks(editor, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_at_end(qtbot, editor: MarkdownEditor, typed: str) -> None:
    """Put the cursor at the end of the text and type `typed` with the keyboard."""
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    type_text(qtbot, editor, typed)


def save(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save()


@pytest.mark.parametrize("mark", SPECIALS.values(), ids=SPECIALS.keys())
def test_typing_elsewhere_then_saving_keeps_the_character_byte_for_byte(
    qtbot, make_window, library_root: Path, mark: str
) -> None:
    text = post_text(mark)
    path = write_post(library_root, text)
    window = make_window()
    open_and_wait(qtbot, window, path)

    type_at_end(qtbot, window.editor, "Typed.")
    save(qtbot, window)

    assert path.read_bytes() == (text + "Typed.").encode("utf-8")


def test_all_of_them_together_survive_edits_at_both_ends_and_in_the_front_matter(
    qtbot, make_window, library_root: Path
) -> None:
    text = post_text(ALL)
    path = write_post(library_root, text)
    window = make_window()
    open_and_wait(qtbot, window, path)

    type_at_end(qtbot, window.editor, "End.")
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(window.editor, Qt.Key.Key_End)  # after the opening ---
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "tags: [x]")
    window.document.set_field("excerpt", "Un r\u00e9sum\u00e9\u00a0!")  # through the app
    save(qtbot, window)

    saved = path.read_bytes().decode("utf-8")
    body = text.split("---\n", 2)[2]
    assert saved.endswith(body + "End.")
    assert 'title: "Bonjour\u00a0!"' in saved and "excerpt: Un r\u00e9sum\u00e9\u00a0!" in saved


def test_a_line_with_a_bare_cr_deleted_and_undone_is_saved_as_it_was(
    qtbot, make_window, library_root: Path
) -> None:
    text = post_text("\r\u2029\ufdd0")
    path = write_post(library_root, text)
    window = make_window()
    open_and_wait(qtbot, window, path)
    editor = window.editor
    start = editor.toPlainText().index("Before")
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Before\r\u2029\ufdd0after"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.setFocus()

    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    type_at_end(qtbot, editor, "Typed.")
    save(qtbot, window)

    assert path.read_bytes() == (text + "Typed.").encode("utf-8")


def test_a_pasted_or_typed_nbsp_is_saved_as_an_nbsp(qtbot, make_window, library_root) -> None:
    path = write_post(library_root, post_text("\r"))
    window = make_window()
    open_and_wait(qtbot, window, path)
    QGuiApplication.clipboard().setText("Collé\u00a0!")

    type_at_end(qtbot, window.editor, "Tapé\u00a0? ")
    window.editor.paste()
    save(qtbot, window)

    assert path.read_bytes().decode("utf-8").endswith("Last paragraph.\nTapé\u00a0? Collé\u00a0!")
    assert "Before\rafter" in path.read_bytes().decode("utf-8")


def test_the_recovery_journal_keeps_the_characters(qtbot, make_window, library_root) -> None:
    text = post_text(ALL)
    path = write_post(library_root, text)
    window = make_window(
        Settings(preview_debounce_ms=20, autosave_idle_ms=50, autosave_max_wait_ms=NEVER_MS)
    )
    open_and_wait(qtbot, window, path)

    with qtbot.waitSignal(window.autosave.journaled, timeout=5000):
        type_at_end(qtbot, window.editor, "Typed before a crash.")

    [entry] = [JournalEntry.from_file(f) for f in recovery_dir().glob("*/entry-*.json")]
    assert entry.text == text + "Typed before a crash."
    assert path.read_bytes() == text.encode("utf-8")  # the journal never touches the file


def test_publishing_keeps_the_characters_in_the_file_and_sends_the_nbsp(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress
) -> None:
    account = upsert_account(Account("myblog", wordpress.url, wordpress.admin_user))
    store_password(account, wordpress.admin_app_password)
    title = unique("Bonjour") + "\u00a0!"
    text = post_text(ALL, title).replace("status: draft\n", "status: draft\nblog: myblog\n")
    path = write_post(library_root, text)
    window = make_window()
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window.editor, "Typed before publishing.")

    publish_and_wait(qtbot, window, "published", 60000)

    saved = path.read_bytes().decode("utf-8")
    front_matter = text.split("---\n\n", 1)[0]  # without its closing fence
    assert saved.startswith(front_matter + "remote:")
    assert saved.endswith(text.split("---\n", 2)[2] + "Typed before publishing.")
    body = saved.partition("remote:")[2]
    post_id = int(body.split("id:", 1)[1].split()[0])
    content = wordpress.get_post_raw(post_id)["content"]["raw"]
    assert "Bonjour\u00a0! Before" in content or "Bonjour&nbsp;! Before" in content
    assert not window.document.is_modified


# -- random edits through the keyboard, away from the special characters --------------------

plain = st.text(alphabet=st.sampled_from("ab #*é😀\n"), min_size=1, max_size=8)


@st.composite
def texts_and_edits(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, int, str]]]:
    """Plain runs between special characters, and keyboard edits each inside one plain run."""
    runs = draw(st.lists(plain, min_size=2, max_size=5))
    marks = draw(st.lists(st.sampled_from(ALL), min_size=len(runs) - 1, max_size=len(runs) - 1))
    pieces = [runs[0]]
    for mark, run in zip(marks, runs[1:], strict=True):
        pieces += [mark, "a" + run if mark == "\r" and run[0] == "\n" else run]  # no CR LF
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        run = draw(st.sampled_from(range(0, len(pieces), 2)))
        length = len(pieces[run])
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, length))
        typed = draw(st.text(alphabet=st.sampled_from("xy\n\u00a0"), max_size=3))
        edits.append((run, start, end, typed))
    return pieces, edits


def keyboard_edit(qtbot, editor: MarkdownEditor, start: int, end: int, typed: str) -> None:
    """Select [start, end) (document positions), delete it and type `typed` with keys."""
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    if end > start:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    for n, line in enumerate(typed.split("\n")):
        if n:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            type_text(qtbot, editor, line)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=texts_and_edits())
def test_random_keyboard_edits_away_from_special_characters_keep_them_and_undo_restores_all(
    qtbot, case
) -> None:
    pieces, edits = case
    original = "".join(pieces)
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.load_text(original)
    editor.setFocus()
    for run, start, end, typed in edits:
        before = "".join(pieces[:run]) + pieces[run][:start]
        position = utf16_length(before)
        keyboard_edit(
            qtbot, editor, position, position + utf16_length(pieces[run][start:end]), typed
        )
        pieces[run] = pieces[run][:start] + typed + pieces[run][end:]
    assert editor.exact_text() == read_back_alike("".join(pieces))
    assert editor.exact.resyncs == 0  # every edit report was applied, none mended

    while editor.document().isUndoAvailable():
        qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.exact_text() == original


def test_a_field_set_beside_an_emoji_title_leaves_the_body_as_it_was(
    qtbot, make_window, library_root: Path
) -> None:
    text = post_text("\r", title="Fête 🎉\u00a0!")
    path = write_post(library_root, text)
    window = make_window()
    open_and_wait(qtbot, window, path)

    window.document.set_field("tags", ["fête"])  # positions in the editor count 🎉 twice
    save(qtbot, window)

    saved = path.read_bytes().decode("utf-8")
    assert saved.startswith('---\ntitle: "Fête 🎉\u00a0!"\nstatus: draft\ntags:\n')
    assert saved.split("---\n", 2)[2] == text.split("---\n", 2)[2]
