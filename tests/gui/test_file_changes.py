"""Another program changes, replaces or deletes the open file: the real window notices and acts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from editor.gui.document.disk_changes import RELOADED, changed_span
from editor.gui.document.disk_conflict_dialog import (
    KEEP_MINE,
    LOAD_DISK,
    SAVE_COPY,
    DiskConflictDialog,
)
from editor.gui.main_window import MainWindow
from tests.gui.helpers import deliver_background_results, open_and_wait
from tests.gui.test_opening_files import type_at_end

LINES = [f"Paragraph {n} of a long post about trains." for n in range(80)]
POST = "---\ntitle: Trains\n---\n\n" + "\n\n".join(LINES) + "\n"


def write_like_another_program(path: Path, text: str, *, atomic: bool) -> None:
    """Rewrite `path` the way editors and sync tools do: in place, or by renaming a new file."""
    if atomic:
        temp = path.with_name(path.name + ".sync-tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    else:
        path.write_text(text, encoding="utf-8")


class DialogAnswer:
    """Stands in for the conflict dialog's exec: records what it shows, clicks a choice."""

    def __init__(self, monkeypatch, choice: str | None) -> None:
        self.choice = choice
        self.diffs: list[str] = []
        self.messages: list[str] = []
        monkeypatch.setattr(DiskConflictDialog, "exec", lambda dialog: self.answer(dialog))

    def answer(self, dialog: DiskConflictDialog) -> int:
        self.diffs.append(dialog.diff_view.toPlainText())
        self.messages.append(dialog.message.text())
        assert {b.text() for b in dialog.buttons.buttons()} == {KEEP_MINE, LOAD_DISK, SAVE_COPY}
        if self.choice is not None:
            dialog.button(self.choice).click()
        return 0


@pytest.fixture
def trains(library_root: Path) -> Path:
    path = library_root / "trains.md"
    path.write_text(POST, encoding="utf-8")
    return path


@pytest.mark.parametrize("atomic", [False, True], ids=["in place", "renamed over"])
def test_an_unedited_post_reloads_silently_and_keeps_the_cursor(
    qtbot, window: MainWindow, trains: Path, atomic: bool
) -> None:
    open_and_wait(qtbot, window, trains)
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("Paragraph 70"))
    window.editor.setTextCursor(cursor)
    position = cursor.position()

    changed = POST.replace("Paragraph 3 of", "Paragraph 3 (from the other laptop) of")
    write_like_another_program(trains, changed, atomic=atomic)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == changed, timeout=5000)

    assert not window.isWindowModified()
    assert window.statusBar().currentMessage() == RELOADED
    grown = len(" (from the other laptop)")
    assert window.editor.textCursor().position() == position + grown
    assert window.document.post.text == changed

    write_like_another_program(trains, changed + "A second change.\n", atomic=atomic)
    qtbot.waitUntil(lambda: window.editor.toPlainText().endswith("A second change.\n"))
    assert not window.isWindowModified()


def test_a_missed_change_is_caught_when_the_writer_comes_back_to_the_app(
    qtbot, window: MainWindow, trains: Path
) -> None:
    open_and_wait(qtbot, window, trains)
    # Network file systems often send no change notifications: silence the watcher's.
    watcher = window.disk_changes.watcher
    watcher._watcher.fileChanged.disconnect()
    watcher._watcher.directoryChanged.disconnect()
    changed = POST.replace("Paragraph 9 of", "Paragraph 9 (synced) of")
    write_like_another_program(trains, changed, atomic=False)
    deliver_background_results()
    assert window.editor.toPlainText() == POST  # nothing noticed it yet

    QGuiApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == changed, timeout=5000)
    assert not window.isWindowModified()


def test_our_own_saves_are_not_taken_for_changes_by_others(
    qtbot, window: MainWindow, trains: Path, no_hanging_file_questions: list[str]
) -> None:
    open_and_wait(qtbot, window, trains)
    type_at_end(qtbot, window, "Typed here.")
    for _ in range(3):
        with qtbot.waitSignal(window.document.saved, timeout=10000):
            window.menu_actions["save"].trigger()
        type_at_end(qtbot, window, " More.")
        with qtbot.waitSignal(window.disk_changes.watcher.state_read, timeout=5000) as read:
            window.disk_changes.watcher.check_now()
        assert read.args[0].kind == "same"
    deliver_background_results()
    assert no_hanging_file_questions == []
    assert window.editor.toPlainText().endswith("Typed here. More. More. More.")
    assert window.isWindowModified()


def change_under_the_writer(qtbot, window: MainWindow, path: Path) -> tuple[str, str]:
    """Open `path`, type, let another program change it; return (mine, disk)."""
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "Words typed in Draftpress.")
    mine = window.editor.toPlainText()
    disk = POST.replace("Paragraph 5 of", "Paragraph 5 (edited in git) of")
    write_like_another_program(path, disk, atomic=True)
    return mine, disk


def test_with_edits_the_writer_sees_both_versions_and_keeps_theirs(
    qtbot, window: MainWindow, trains: Path, monkeypatch, prompter
) -> None:
    dialog = DialogAnswer(monkeypatch, KEEP_MINE)
    mine, disk = change_under_the_writer(qtbot, window, trains)
    qtbot.waitUntil(lambda: len(dialog.diffs) == 1, timeout=5000)

    assert "trains.md" in dialog.messages[0] and "another program" in dialog.messages[0]
    assert "−Paragraph 5 (edited in git) of" in dialog.diffs[0]
    assert "+Paragraph 5 of" in dialog.diffs[0]
    assert "+Words typed in Draftpress." in dialog.diffs[0]
    assert window.editor.toPlainText() == mine
    assert window.isWindowModified()
    assert trains.read_text(encoding="utf-8") == disk

    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert prompter.shown == []  # the choice was made: saving does not ask again
    assert trains.read_text(encoding="utf-8") == mine
    assert len(dialog.diffs) == 1


def test_with_edits_loading_the_disk_version_is_undoable(
    qtbot, window: MainWindow, trains: Path, monkeypatch
) -> None:
    dialog = DialogAnswer(monkeypatch, LOAD_DISK)
    mine, disk = change_under_the_writer(qtbot, window, trains)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == disk, timeout=5000)
    assert len(dialog.diffs) == 1
    assert not window.isWindowModified()

    window.menu_actions["undo"].trigger()
    assert window.editor.toPlainText() == mine
    assert window.isWindowModified()
    assert trains.read_text(encoding="utf-8") == disk


def test_with_edits_saving_mine_as_a_copy_keeps_the_disk_version(
    qtbot, window: MainWindow, trains: Path, library_root: Path, monkeypatch
) -> None:
    copy = library_root / "trains-mine.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(copy), ""))
    DialogAnswer(monkeypatch, SAVE_COPY)
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        mine, disk = change_under_the_writer(qtbot, window, trains)
    assert copy.read_text(encoding="utf-8") == mine
    assert trains.read_text(encoding="utf-8") == disk
    assert window.document.post.path == copy
    assert not window.isWindowModified()


def test_deciding_later_means_the_next_save_asks(
    qtbot, window: MainWindow, trains: Path, monkeypatch, prompter
) -> None:
    dialog = DialogAnswer(monkeypatch, None)  # Escape
    mine, disk = change_under_the_writer(qtbot, window, trains)
    qtbot.waitUntil(lambda: len(dialog.diffs) == 1, timeout=5000)
    prompter.answer("File changed on disk", None)
    window.menu_actions["save"].trigger()
    qtbot.waitUntil(lambda: len(prompter.shown) == 1, timeout=5000)
    assert "changed" in prompter.asked("File changed on disk")[0].text
    assert window.editor.toPlainText() == mine


def test_a_deleted_file_is_reported_and_the_text_kept_as_unsaved(
    qtbot, window: MainWindow, trains: Path, prompter
) -> None:
    open_and_wait(qtbot, window, trains)
    assert not window.isWindowModified()

    trains.unlink()
    qtbot.waitUntil(lambda: len(prompter.messages) == 1, timeout=5000)

    assert "trains.md" in prompter.messages[0] and "deleted or moved" in prompter.messages[0]
    assert "still here" in prompter.messages[0]
    assert window.editor.toPlainText() == POST
    assert window.isWindowModified()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert trains.read_text(encoding="utf-8") == POST
    assert len(prompter.messages) == 1


@pytest.mark.parametrize("same", [True, False], ids=["put back as it was", "put back changed"])
def test_a_file_deleted_and_put_back_without_edits_here_is_taken_back_quietly(
    qtbot, window: MainWindow, trains: Path, monkeypatch, prompter, same: bool
) -> None:
    asked = DialogAnswer(monkeypatch, None)
    open_and_wait(qtbot, window, trains)
    trains.unlink()  # e.g. `git checkout` of a branch without the post...
    qtbot.waitUntil(lambda: len(prompter.messages) == 1, timeout=5000)
    assert window.isWindowModified()

    back = POST if same else POST.replace("Paragraph 7 of", "Paragraph 7 (other branch) of")
    write_like_another_program(trains, back, atomic=True)  # ...and back again
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=5000)

    assert window.editor.toPlainText() == back
    assert asked.diffs == []  # nothing was typed here: there is nothing to choose between


@pytest.mark.parametrize(
    ("old", "new"),
    [("abc", "abc"), ("", "x"), ("aXb", "ab"), ("ab", "aXb"), ("aaa", "aa"), ("🎉a", "🎉b")],
)
def test_changed_span_covers_exactly_the_difference(old: str, new: str) -> None:
    start, old_end, new_end = changed_span(old, new)
    assert old[:start] + new[start:new_end] + old[old_end:] == new
    assert old[:start] == new[:start] and old[old_end:] == new[new_end:]
