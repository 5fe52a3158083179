"""Editing through the window's commands: formatting, headings, find and replace, the status
bar, the title's unsaved mark, the metadata panel, layout and recent files, new posts, the library.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QInputDialog
from ruamel.yaml import YAML

from editor.core.front_matter import split_front_matter
from editor.gui.editing.editor_pane import MarkdownEditor
from editor.gui.main_window import MainWindow
from editor.gui.sidebar import library_pane
from tests.gui.helpers import deliver_background_results, open_and_wait, wait_for_preview

CTRL = Qt.KeyboardModifier.ControlModifier

TRIP_POST = "---\ntitle: Trip\nstatus: draft\n---\n\nWe took the night train north.\n"


def set_text(editor: MarkdownEditor, text: str) -> None:
    """Give the editor fresh text (with an empty undo history) and the focus."""
    editor.setPlainText(text)
    editor.setFocus()


def select(editor: MarkdownEditor, needle: str, occurrence: int = 0) -> None:
    """Select the `occurrence`-th appearance of `needle` in the editor."""
    text = editor.toPlainText()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def place_cursor(editor: MarkdownEditor, position: int) -> None:
    """Put the editor's cursor at `position` with no selection."""
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)


def front_matter(text: str) -> dict:
    """Parse the front matter of `text` with a plain YAML reader of our own."""
    yaml_text = split_front_matter(text).yaml_text
    assert yaml_text is not None, f"no front matter in {text!r}"
    return YAML(typ="safe").load(yaml_text) or {}


def write_post(library: Path, name: str, text: str) -> Path:
    """Write a post file into the library and return its path."""
    path = library / name
    path.write_text(text, encoding="utf-8")
    return path


def open_trip_post(qtbot, window: MainWindow, library: Path) -> Path:
    """Open a small post and wait until the metadata panel shows its title."""
    path = write_post(library, "trip.md", TRIP_POST)
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: window.metadata.title_edit.text() == "Trip")
    return path


# -- bold, italic, code, link ---------------------------------------------------------------


def test_ctrl_b_wraps_the_selection_in_double_stars_and_keeps_the_word_selected(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, "Make this bold please")
    select(window.editor, "bold")
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert window.editor.toPlainText() == "Make this **bold** please"
    assert window.editor.textCursor().selectedText() == "bold"


def test_a_second_ctrl_b_unwraps_what_the_first_one_wrapped(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Make this bold please")
    select(window.editor, "bold")
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert window.editor.toPlainText() == "Make this bold please"


def test_bold_on_a_selection_that_includes_the_stars_unwraps_it(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Make this **bold** please")
    select(window.editor, "**bold**")
    window.menu_actions["bold"].trigger()
    assert window.editor.toPlainText() == "Make this bold please"
    assert window.editor.textCursor().selectedText() == "bold"


def test_ctrl_b_without_a_selection_inserts_four_stars_with_the_cursor_between(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, "Say  now")
    place_cursor(window.editor, 4)
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert window.editor.toPlainText() == "Say **** now"
    assert window.editor.textCursor().position() == 6
    qtbot.keyClicks(window.editor, "loud")
    assert window.editor.toPlainText() == "Say **loud** now"


def test_one_undo_reverts_a_whole_bold_command(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Make this bold please")
    select(window.editor, "bold")
    window.menu_actions["bold"].trigger()
    assert window.editor.toPlainText() == "Make this **bold** please"
    window.menu_actions["undo"].trigger()
    assert window.editor.toPlainText() == "Make this bold please"


def test_ctrl_i_wraps_the_selection_in_single_stars(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "A quiet word here")
    select(window.editor, "quiet")
    qtbot.keyClick(window.editor, Qt.Key.Key_I, CTRL)
    assert window.editor.toPlainText() == "A *quiet* word here"
    window.editor.undo()
    assert window.editor.toPlainText() == "A quiet word here"


def test_code_on_a_one_line_selection_wraps_it_in_backticks(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Run pip install draftpress today")
    select(window.editor, "pip install draftpress")
    qtbot.keyClick(window.editor, Qt.Key.Key_E, CTRL)
    assert window.editor.toPlainText() == "Run `pip install draftpress` today"


def test_code_on_a_multi_line_selection_makes_a_fenced_block_undone_in_one_step(
    qtbot, window: MainWindow
) -> None:
    original = "Steps:\nmake build\nmake test\nThat is all."
    set_text(window.editor, original)
    select(window.editor, "make build\nmake test")
    window.menu_actions["code"].trigger()
    text = window.editor.toPlainText()
    assert text.startswith("Steps:\n```\nmake build\nmake test\n```\n")
    assert text.rstrip().endswith("That is all.")
    html = wait_for_preview(qtbot, window.preview, "<pre")
    assert "make build" in html and "<code>`" not in html
    window.editor.undo()
    assert window.editor.toPlainText() == original


def test_link_on_a_url_puts_the_cursor_inside_the_brackets(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "See https://example.org/docs today")
    select(window.editor, "https://example.org/docs")
    window.menu_actions["link"].trigger()
    assert window.editor.toPlainText() == "See [](https://example.org/docs) today"
    qtbot.keyClicks(window.editor, "the docs")
    assert window.editor.toPlainText() == "See [the docs](https://example.org/docs) today"


# -- headings --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_ctrl_number_makes_the_current_line_a_heading_of_that_level(
    qtbot, window: MainWindow, level: int
) -> None:
    set_text(window.editor, "intro line\n## Old heading\nlast line")
    place_cursor(window.editor, window.editor.toPlainText().index("heading"))
    qtbot.keyClick(window.editor, getattr(Qt.Key, f"Key_{level}"), CTRL)
    assert window.editor.toPlainText() == f"intro line\n{'#' * level} Old heading\nlast line"


def test_ctrl_number_on_a_plain_line_adds_the_heading_marks(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "intro line\nA plain line\nlast line")
    place_cursor(window.editor, window.editor.toPlainText().index("plain"))
    window.menu_actions["heading3"].trigger()
    assert window.editor.toPlainText() == "intro line\n### A plain line\nlast line"
    window.editor.undo()
    assert window.editor.toPlainText() == "intro line\nA plain line\nlast line"


def test_ctrl_shift_0_turns_a_heading_back_into_a_paragraph(qtbot, window: MainWindow) -> None:
    # Ctrl+0 is View > Actual Size (zoom), as in browsers and writing tools
    set_text(window.editor, "intro line\n### Old heading\nlast line")
    place_cursor(window.editor, window.editor.toPlainText().index("Old"))
    qtbot.keyClick(window.editor, Qt.Key.Key_0, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.editor.toPlainText() == "intro line\nOld heading\nlast line"


# -- find and replace ------------------------------------------------------------------------

FRUIT = "apple pie, Apple tart, apple jam"


def test_ctrl_f_opens_the_find_bar_seeded_with_the_selection(qtbot, window: MainWindow) -> None:
    set_text(window.editor, FRUIT)
    select(window.editor, "tart")
    assert not window.find_bar.isVisible()
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    assert window.find_bar.find_edit.text() == "tart"
    assert window.find_bar.find_edit.hasFocus()
    assert not window.find_bar.replace_row.isVisible()


def test_enter_in_the_find_bar_selects_each_next_match_then_wraps_around(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, FRUIT)
    select(window.editor, "apple")
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL)
    starts = []
    for _ in range(3):
        qtbot.keyClick(window.find_bar.find_edit, Qt.Key.Key_Return)
        cursor = window.editor.textCursor()
        assert cursor.selectedText().lower() == "apple"
        starts.append(cursor.selectionStart())
    assert starts == [FRUIT.index("Apple"), FRUIT.index("apple jam"), 0]


def test_find_says_not_found_for_a_missing_word_and_leaves_the_selection(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, FRUIT)
    select(window.editor, "pie")
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.find_bar.find_edit, "banana")
    assert window.find_bar.status.text() == "Not found"
    assert window.editor.textCursor().selectedText() == "pie"
    window.find_bar.find_edit.selectAll()
    qtbot.keyClicks(window.find_bar.find_edit, "jam")
    assert window.find_bar.status.text() == ""
    assert window.editor.textCursor().selectedText() == "jam"


def test_replace_changes_the_selected_match_and_selects_the_next(qtbot, window: MainWindow) -> None:
    set_text(window.editor, FRUIT)
    select(window.editor, "apple")
    qtbot.keyClick(window.editor, Qt.Key.Key_H, CTRL)
    assert window.find_bar.replace_row.isVisible()
    qtbot.keyClicks(window.find_bar.replace_edit, "pear")
    qtbot.mouseClick(window.find_bar.replace_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "pear pie, Apple tart, apple jam"
    assert window.editor.textCursor().selectionStart() == FRUIT.index("Apple") - 1


def test_replace_all_changes_every_match_and_one_undo_restores_them_all(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, FRUIT)
    qtbot.keyClick(window.editor, Qt.Key.Key_H, CTRL)
    qtbot.keyClicks(window.find_bar.find_edit, "apple")
    qtbot.keyClicks(window.find_bar.replace_edit, "plum")
    qtbot.mouseClick(window.find_bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "plum pie, plum tart, plum jam"
    assert window.find_bar.status.text() == "Replaced 3"
    window.menu_actions["undo"].trigger()
    assert window.editor.toPlainText() == FRUIT


# -- status bar and title --------------------------------------------------------------------


def test_status_bar_word_count_follows_typing(qtbot, window: MainWindow) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "one two three")
    qtbot.waitUntil(lambda: window.words_label.text().startswith("3 words"))
    qtbot.keyClicks(window.editor, " four five")
    qtbot.waitUntil(lambda: window.words_label.text().startswith("5 words"))
    assert "1 min read" in window.words_label.text()


def test_unsaved_mark_shows_after_typing_and_goes_after_save(
    qtbot, window: MainWindow, isolated_home: Path, monkeypatch
) -> None:
    target = isolated_home / "elsewhere" / "note"
    target.parent.mkdir()
    asked: list[str] = []

    def answer_save_as(parent, caption, directory, *rest):
        asked.append(caption)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer_save_as)
    assert not window.isWindowModified()
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "A first draft")
    assert window.isWindowModified()
    assert "[*]" in window.windowTitle()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        qtbot.keyClick(window.editor, Qt.Key.Key_S, CTRL)
    assert asked == ["Save post as"]
    assert not window.isWindowModified()
    assert target.with_suffix(".md").read_text(encoding="utf-8") == "A first draft"
    assert window.windowTitle().startswith("note.md")


def test_window_title_keeps_the_post_title_after_save(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    open_trip_post(qtbot, window, library_root)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Trip[*]"))
    window.editor.moveCursor(QTextCursor.MoveOperation.End)  # type in the body, not the YAML
    qtbot.keyClicks(window.editor, "x")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert window.windowTitle().startswith("Trip[*]")
    qtbot.waitUntil(lambda: window.metadata.title_edit.text() == "Trip")  # after the next render
    assert window.windowTitle().startswith("Trip[*]")


# -- metadata panel --------------------------------------------------------------------------


def test_editing_tags_writes_a_yaml_list_into_the_front_matter(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    open_trip_post(qtbot, window, library_root)
    tags = window.metadata.tags_edit
    tags.setFocus()
    qtbot.keyClicks(tags, "a, b")
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    text = window.editor.toPlainText()
    assert front_matter(text)["tags"] == ["a", "b"]
    assert front_matter(text)["title"] == "Trip"
    assert text.endswith("\n\nWe took the night train north.\n")
    window.editor.undo()
    assert window.editor.toPlainText() == TRIP_POST


def test_choosing_a_status_writes_it_into_the_front_matter(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    open_trip_post(qtbot, window, library_root)
    combo = window.metadata.status_combo
    assert combo.currentText() == "Draft"  # the writer's words; the file keeps its own
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Published"
    assert front_matter(window.editor.toPlainText())["status"] == "publish"
    assert "\nstatus: publish\n" in window.editor.toPlainText()


def test_typing_in_the_front_matter_updates_the_title_field(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    open_trip_post(qtbot, window, library_root)
    place_cursor(window.editor, window.editor.toPlainText().index("Trip") + len("Trip"))
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, " to Oslo")
    qtbot.waitUntil(lambda: window.metadata.title_edit.text() == "Trip to Oslo")


# -- layout and recent files -----------------------------------------------------------------


def test_window_size_and_splitter_sizes_survive_a_restart(qtbot, make_window) -> None:
    first = make_window()
    first.resize(700, 500)
    first.splitter.setSizes([200, 300, 200])
    first.sidebar.setSizes([150, 250])
    size, sizes, sidebar = first.size(), first.splitter.sizes(), first.sidebar.sizes()
    assert (size.width(), size.height()) == (700, 500)
    first.close()
    qtbot.waitUntil(lambda: not first.isVisible())
    second = make_window()
    assert second.size() == size
    assert second.splitter.sizes() == sizes
    assert second.sidebar.sizes() == sidebar


def test_an_opened_post_is_listed_in_open_recent_and_the_settings_file(
    qtbot, window: MainWindow, library_root: Path, isolated_home: Path
) -> None:
    welcome = library_root / "welcome-to-draftpress.md"
    recent = window.menu_actions.recent_menu
    assert recent is not None and not recent.actions()
    open_and_wait(qtbot, window, welcome)
    entries = [(a.text(), a.toolTip()) for a in recent.actions()]
    assert entries == [(welcome.name, str(welcome.resolve()))]
    settings = json.loads((isolated_home / "config" / "settings.json").read_text("utf-8"))
    assert settings["recent_files"] == [str(welcome.resolve())]

    trip = write_post(library_root, "trip.md", TRIP_POST)
    open_and_wait(qtbot, window, trip)
    assert [a.text() for a in recent.actions()] == ["trip.md", welcome.name]
    with qtbot.waitSignal(window.document.opened, timeout=10000) as opened:
        recent.actions()[1].trigger()
    assert opened.args[0].path == welcome


# -- new posts and the library ---------------------------------------------------------------


def answer_new_post_title(monkeypatch, title: str) -> list[str]:
    """Make the new-post title dialog answer `title`; return the prompts it was shown with."""
    prompts: list[str] = []

    def get_text(parent, caption, label, *rest, **kwargs):
        prompts.append(label)
        return title, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return prompts


def test_new_post_creates_a_dated_file_in_the_library_and_opens_it(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:
    prompts = answer_new_post_title(monkeypatch, "My Trip to Oslo")
    expected = library_root / f"{dt.date.today().isoformat()}-my-trip-to-oslo.md"
    with qtbot.waitSignal(window.document.opened, timeout=10000):
        window.menu_actions["new"].trigger()
    assert prompts == ["Title of the new post:"]
    assert expected.is_file()
    assert window.document.post.path == expected
    text = window.editor.toPlainText()
    assert text == expected.read_text(encoding="utf-8")
    assert front_matter(text)["title"] == "My Trip to Oslo"
    assert not window.isWindowModified()
    qtbot.waitUntil(lambda: window.metadata.title_edit.text() == "My Trip to Oslo")


def test_a_new_post_shows_up_in_the_library_list(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:
    qtbot.waitUntil(lambda: window.library.row_titles() == ["Welcome to Draftpress"])
    answer_new_post_title(monkeypatch, "My Trip to Oslo")
    with qtbot.waitSignal(window.document.opened, timeout=10000):
        window.menu_actions["new"].trigger()
    qtbot.waitUntil(lambda: "My Trip to Oslo" in window.library.row_titles(), timeout=2000)


def test_clicking_a_post_in_the_library_opens_it(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    qtbot.waitUntil(lambda: window.library.row_titles() == ["Welcome to Draftpress"])
    trip = write_post(
        library_root, "trip.md", TRIP_POST.replace("draft\n", "draft\ndate: 2020-01-01\n")
    )
    window.menu_actions["refresh_library"].trigger()
    qtbot.waitUntil(lambda: window.library.row_titles() == ["Welcome to Draftpress", "Trip"])
    tree = window.library.tree
    row = tree.visualRect(window.library.model.index(1, 0))
    with qtbot.waitSignal(window.document.opened, timeout=10000) as opened:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert opened.args[0].path == trip
    assert window.editor.toPlainText() == trip.read_text(encoding="utf-8")
    # The list may be refilled after the open: find the selected row afresh each time.
    qtbot.waitUntil(lambda: window.library.highlighted_path() == trip)
    wait_for_preview(qtbot, window.preview, "night train")


def test_a_slow_older_library_listing_does_not_replace_a_newer_one(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:
    qtbot.waitUntil(lambda: window.library.row_titles() == ["Welcome to Draftpress"])
    release = threading.Event()
    real_list_posts = library_pane.list_posts
    calls: list[int] = []

    def list_posts(root: Path, *args):
        result = real_list_posts(root, *args)
        calls.append(1)  # counted once the folder has been read
        if len(calls) == 1:  # the older listing: reports only when released
            release.wait(10)
        return result

    monkeypatch.setattr(library_pane, "list_posts", list_posts)
    try:
        window.library.refresh()  # older: sees only the welcome post
        qtbot.waitUntil(lambda: len(calls) == 1)  # it has read the folder
        write_post(library_root, "trip.md", TRIP_POST)
        window.library.refresh()  # newer: sees both
        qtbot.waitUntil(lambda: "Trip" in window.library.row_titles())
    finally:
        release.set()
    deliver_background_results()
    assert "Trip" in window.library.row_titles()
