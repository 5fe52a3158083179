"""Focus mode, typewriter scrolling, distraction-free writing and the word goal, in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.core.settings import Settings, load_settings
from editor.gui.main_window import MainWindow
from editor.gui.writing import WordGoal
from tests.gui.helpers import open_and_wait

TEXT = "First paragraph here.\n\nSecond one. It has two sentences.\n\nThird paragraph.\n"


def put_cursor(window: MainWindow, needle: str) -> None:
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index(needle))
    window.editor.setTextCursor(cursor)


def dimmed_ranges(window: MainWindow) -> list[tuple[int, int]]:
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd())
        for s in window.editor.extraSelections()
        if s.format.hasProperty(s.format.Property.UserProperty + 12)
    ]


def test_focus_mode_dims_all_but_the_paragraph_then_the_sentence(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText(TEXT)
    put_cursor(window, "two sentences")
    assert dimmed_ranges(window) == []
    window.menu_actions["focus_paragraph"].trigger()
    start, end = TEXT.index("Second"), TEXT.index("sentences.") + len("sentences.")
    assert dimmed_ranges(window) == [(0, start), (end, len(TEXT))]
    assert window.editor.toPlainText() == TEXT  # dimming never edits

    window.menu_actions["focus_sentence"].trigger()
    assert dimmed_ranges(window) == [(0, TEXT.index("It has")), (end, len(TEXT))]
    put_cursor(window, "one.")  # the lit sentence follows the cursor
    assert dimmed_ranges(window)[1][0] == TEXT.index("one.") + len("one.")
    assert load_settings().focus_mode == "sentence"

    window.menu_actions["focus_off"].trigger()
    assert dimmed_ranges(window) == []


def test_typewriter_scrolling_keeps_the_line_in_the_middle(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("\n".join(f"Line {n}" for n in range(300)))
    window.menu_actions["typewriter"].trigger()
    assert load_settings().typewriter_scrolling
    editor = window.editor
    editor.setFocus()
    for needle in ("Line 150", "Line 299", "Line 40"):
        put_cursor(window, needle)
        middle = editor.viewport().height() / 2
        line = editor.fontMetrics().lineSpacing()
        assert abs(editor.cursorRect().center().y() - middle) <= line, needle
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "typed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "more")
    assert abs(editor.cursorRect().center().y() - editor.viewport().height() / 2) <= line


def test_distraction_free_shows_only_the_text_and_restores_the_layout(
    qtbot, window: MainWindow
) -> None:
    window.splitter.setSizes([250, 700, 450])
    sizes = window.splitter.sizes()
    geometry = window.geometry()
    window.activateWindow()
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_F11)
    assert window.writing.distraction_free.active
    qtbot.waitUntil(window.isFullScreen)
    for part in (window.sidebar, window.preview_pane, window.menuBar(), window.statusBar()):
        assert not part.isVisible()
    assert window.editor.isVisible() and window.editor.hasFocus()
    assert window.menu_actions["distraction_free"].isChecked()
    # shortcuts still work with the menu bar hidden
    qtbot.keyClick(window.editor, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.zoom_percent == 110

    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.writing.distraction_free.active
    qtbot.waitUntil(lambda: not window.isFullScreen())
    for part in (window.sidebar, window.preview_pane, window.menuBar(), window.statusBar()):
        assert part.isVisible()
    qtbot.waitUntil(lambda: window.size() == geometry.size())
    qtbot.waitUntil(lambda: window.splitter.sizes() == sizes)
    assert not window.menu_actions["distraction_free"].isChecked()


def test_esc_in_the_find_bar_only_closes_it(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.menu_actions["distraction_free"].trigger()
    window.menu_actions["find"].trigger()
    qtbot.waitUntil(window.find_bar.find_edit.hasFocus)
    qtbot.keyClick(window.find_bar.find_edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.writing.distraction_free.active
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.writing.distraction_free.active


def test_a_pane_hidden_before_stays_hidden_after(qtbot, window: MainWindow) -> None:
    window.menu_actions["toggle_preview"].trigger()
    assert not window.preview.isVisible()
    window.menu_actions["distraction_free"].trigger()
    window.menu_actions["distraction_free"].trigger()
    assert window.sidebar.isVisible() and not window.preview.isVisible()


def test_word_goal_shows_progress_and_session_words(
    qtbot, make_window, isolated_home, monkeypatch
) -> None:
    path = isolated_home / "library" / "goal.md"
    original = b"---\ntitle: Goal\n---\none two three\n"
    path.write_bytes(original)
    window = make_window(Settings(preview_debounce_ms=20))
    open_and_wait(qtbot, window, path)
    label = window.words_label
    qtbot.waitUntil(lambda: label.text().startswith("3 words"))
    assert "session" not in label.text()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save()
    assert path.read_bytes() == original  # no goal set: the file stays as it was

    monkeypatch.setattr(
        "editor.gui.writing.word_goal.QInputDialog.getInt", lambda *args: (10, True)
    )
    window.menu_actions["word_goal"].trigger()  # View > Word Goal…, or a click on the count
    assert "goal: 10" in window.editor.toPlainText()
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("four five\n")
    qtbot.waitUntil(lambda: label.text().startswith("5 of 10 words (50 %)"))
    assert "+2 this session" in label.text()
    window.editor.undo()
    window.editor.undo()
    qtbot.waitUntil(lambda: label.text().startswith("3 words"))


def test_the_session_starts_from_the_opened_posts_words_even_if_an_older_count_arrives_late(
    qtbot,
) -> None:
    label = WordGoal(230)
    qtbot.addWidget(label)
    label.post_opened(Path("trip.md"), 7)  # its text's own count is the 7th asked for
    label.show_count(0, 0, 6)  # the count of what was shown before the post, arriving late
    label.show_count(25, 0, 7)  # the opened post's own count
    assert label.session_words == 0 and "session" not in label.text()
    label.show_count(27, 0, 8)
    assert "+2 this session" in label.text()


def test_the_session_of_a_long_post_starts_from_its_background_count(
    qtbot, make_window, isolated_home
) -> None:
    from editor.gui.editing.editor_pane import BULK_LOAD_CHARS

    path = isolated_home / "library" / "long.md"
    path.write_text("---\ntitle: Long\n---\n" + "Five words in this line.\n\n" * 12_000)
    assert path.stat().st_size > BULK_LOAD_CHARS  # loaded in slices, counted off the GUI thread
    window = make_window(Settings(preview_debounce_ms=20))
    open_and_wait(qtbot, window, path)
    label = window.words_label
    qtbot.waitUntil(lambda: label.text().startswith("60,000 words"), timeout=30000)
    assert label.session_words == 0 and "session" not in label.text()
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("two more\n")
    qtbot.waitUntil(lambda: label.text().startswith("60,002 words"), timeout=30000)
    assert "+2 this session" in label.text()
