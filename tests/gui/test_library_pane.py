"""The library pane through the real window: context menu, stable order, keyboard, filter, blog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from editor.gui.main_window import MainWindow
from tests.gui.helpers import deliver_background_results, open_and_wait
from tests.scripted_prompter import ScriptedPrompter


def post(root: Path, name: str, title: str, date: str, extra: str = "") -> Path:
    """Write a post file into the library."""
    path = root / name
    text = f"---\ntitle: {title}\ndate: {date}\nstatus: draft\n{extra}---\nWords of {title}.\n"
    path.write_text(text, encoding="utf-8")
    return path


def listed(qtbot, window: MainWindow, titles: list[str]) -> None:
    """List the library again and wait for exactly `titles`, top to bottom."""
    window.library.refresh()
    qtbot.waitUntil(lambda: window.library.row_titles() == titles, timeout=10000)


@pytest.fixture
def trash_home(tmp_path: Path, monkeypatch) -> Path:
    """A Trash of the test's own (XDG), so that nothing reaches the machine's."""
    data = tmp_path / "xdg-data"
    data.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return data / "Trash"


def test_a_save_does_not_move_rows(qtbot, window: MainWindow, library_root: Path) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-01")
    post(library_root, "b.md", "Beta", "2030-01-01")
    listed(qtbot, window, ["Beta", "Alpha", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    qtbot.keyClicks(window.editor, "x")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save()
    os.utime(a, (a.stat().st_atime, a.stat().st_mtime + 100))
    listed(qtbot, window, ["Beta", "Alpha", "Welcome to Draftpress"])
    window.library.order_box.setCurrentText("Title A–Z")
    assert window.library.row_titles() == ["Alpha", "Beta", "Welcome to Draftpress"]
    assert window.library.highlighted_path() == a


def test_keyboard_selection_opens_the_post(qtbot, window: MainWindow, library_root: Path) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    b = post(library_root, "b.md", "Beta", "2030-01-01")
    listed(qtbot, window, ["Alpha", "Beta", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    window.library.tree.setFocus()
    with qtbot.waitSignal(window.document.opened, timeout=10000) as opened:
        qtbot.keyClick(window.library.tree, Qt.Key.Key_Down)
    assert opened.args[0].path == b
    qtbot.waitUntil(lambda: window.library.highlighted_path() == b)


def test_a_kept_post_keeps_its_row_highlighted(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter
) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    post(library_root, "b.md", "Beta", "2030-01-01")
    listed(qtbot, window, ["Alpha", "Beta", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    qtbot.keyClicks(window.editor, "unsaved")
    prompter.answer("Unsaved changes", None)  # Cancel: the writer keeps Alpha open
    window.library.tree.setFocus()
    qtbot.keyClick(window.library.tree, Qt.Key.Key_Down)
    assert window.document.post.path == a
    assert window.library.highlighted_path() == a


def test_filter_by_title_tag_and_status(qtbot, window: MainWindow, library_root: Path) -> None:
    post(library_root, "a.md", "Oslo by train", "2030-01-02", "tags:\n  - travel\n")
    post(library_root, "b.md", "Bread", "2030-01-01", "tags:\n  - baking\n")
    listed(qtbot, window, ["Oslo by train", "Bread", "Welcome to Draftpress"])
    window.library.filter_edit.setFocus()
    qtbot.keyClicks(window.library.filter_edit, "trav")
    assert window.library.row_titles() == ["Oslo by train"]
    window.library.filter_edit.setText("bread")
    assert window.library.row_titles() == ["Bread"]
    window.library.filter_edit.setText("draft baking")
    assert window.library.row_titles() == ["Bread"]
    window.library.filter_edit.clear()
    assert len(window.library.row_titles()) == 3


def test_the_blog_column_and_the_full_title_tooltip(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    long = "A very long title about the night train from Oslo to Bergen in winter, part two"
    post(library_root, "a.md", long, "2030-01-02", "remote:\n  blog: CI Blog\n  id: 4\n")
    listed(qtbot, window, [long, "Welcome to Draftpress"])
    model = window.library.model
    assert model.data(model.index(0, 2)) == "CI Blog"
    assert model.data(model.index(1, 2)) == "—"
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert long in tooltip and "On CI Blog" in tooltip
    subtitle = Qt.ItemDataRole.UserRole + 1
    assert model.data(model.index(0, 0), subtitle) == "2030-01-02 · Draft · on CI Blog"
    assert model.data(model.index(1, 0), subtitle).endswith("· Draft")


def test_duplicate_and_rename_from_the_menu(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02", "remote:\n  blog: CI Blog\n  id: 4\n")
    listed(qtbot, window, ["Alpha", "Welcome to Draftpress"])
    menu = window.library.post_menu(a)
    assert [action.text() for action in menu.actions() if action.text()] == [
        "Rename…",
        "Duplicate",
        "Move to Trash",
        "Show in Folder",
    ]
    menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: "Alpha (copy)" in window.library.row_titles(), timeout=10000)
    copy = library_root / "a-copy.md"
    assert "remote:" not in copy.read_text(encoding="utf-8")

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Beta", True))
    window.library.post_menu(copy).actions()[0].trigger()
    qtbot.waitUntil(lambda: "Beta" in window.library.row_titles(), timeout=10000)
    assert "title: Beta\n" in copy.read_text(encoding="utf-8")


def test_rename_of_the_open_post_is_an_undoable_edit(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:

    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    listed(qtbot, window, ["Alpha", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Gamma", True))
    window.library.post_menu(a).actions()[0].trigger()
    assert "title: Gamma\n" in window.editor.toPlainText()
    window.editor.undo()
    assert "title: Alpha\n" in window.editor.toPlainText()


def test_move_to_trash_takes_the_images_and_saves_the_open_post_first(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, trash_home: Path
) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    (library_root / "a.assets").mkdir()
    (library_root / "a.assets" / "tent.png").write_bytes(b"png")
    listed(qtbot, window, ["Alpha", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Last words.")
    prompter.answer("Move to Trash", "Move to Trash")
    window.library.post_menu(a).actions()[3].trigger()
    qtbot.waitUntil(lambda: window.library.row_titles() == ["Welcome to Draftpress"], timeout=10000)
    assert not a.exists() and not (library_root / "a.assets").exists()
    assert "Last words." in (trash_home / "files" / "a.md").read_text(encoding="utf-8")
    assert (trash_home / "files" / "a.assets" / "tent.png").read_bytes() == b"png"
    # The editor let go of it and went on to the post listed after it.
    qtbot.waitUntil(
        lambda: window.document.post.meta().title == "Welcome to Draftpress", timeout=10000
    )
    assert window.document.post.path != a and not window.document.is_modified
    deliver_background_results()
    assert not a.exists()  # nothing saved it back


def test_move_to_trash_asks_first(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, trash_home: Path
) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    listed(qtbot, window, ["Alpha", "Welcome to Draftpress"])
    prompter.answer("Move to Trash", None)
    window.library.post_menu(a).actions()[3].trigger()
    deliver_background_results()
    assert a.exists()


def test_a_right_click_does_not_open_the_post(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter
) -> None:
    a = post(library_root, "a.md", "Alpha", "2030-01-02")
    b = post(library_root, "b.md", "Beta", "2030-01-01")
    listed(qtbot, window, ["Alpha", "Beta", "Welcome to Draftpress"])
    open_and_wait(qtbot, window, a)
    qtbot.keyClicks(window.editor, "unsaved")  # opening another post would ask about these
    tree = window.library.tree
    row = tree.visualRect(window.library.model.index(1, 0)).center()
    qtbot.mousePress(tree.viewport(), Qt.MouseButton.RightButton, pos=row)
    qtbot.mouseRelease(tree.viewport(), Qt.MouseButton.RightButton, pos=row)
    deliver_background_results()
    assert prompter.asked("Unsaved changes") == []
    assert window.document.post.path == a and window.library.highlighted_path() == a
    assert window.library.post_menu(b).actions()[0].text() == "Rename…"


def test_a_published_post_edited_since_says_so_in_its_row(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    from editor.core.published_sources import remember_published

    record = "remote:\n  blog: CI Blog\n  id: 4\n"
    path = post(library_root, "p.md", "Published", "2030-01-02", record)
    remember_published(path, path.read_text(encoding="utf-8"))  # as a publish notes it
    listed(qtbot, window, ["Published", "Welcome to Draftpress"])
    model, subtitle = window.library.model, Qt.ItemDataRole.UserRole + 1
    assert "changed" not in model.data(model.index(0, 0), subtitle)

    path.write_text(path.read_text(encoding="utf-8") + "A new line.\n", encoding="utf-8")
    listed(qtbot, window, ["Published", "Welcome to Draftpress"])
    qtbot.waitUntil(lambda: "changed since published" in model.data(model.index(0, 0), subtitle))
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Changed since it was last published" in tooltip
