"""Bad input never loses anything and never stops the app: folders, binary files, missing
files, broken front matter, files changed on disk, disks that refuse a save.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from editor.core import atomic_file
from editor.gui.document import document_controller
from editor.gui.main_window import MainWindow
from tests.gui.helpers import deliver_background_results, open_and_wait, wait_for_preview
from tests.scripted_prompter import ScriptedPrompter

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
TRIP_POST = "---\ntitle: Trip\nstatus: draft\n---\n\nWe took the night train north.\n"


def snapshot(path: Path) -> tuple[bytes, int] | None:
    """Return a file's bytes and mtime (None for a file that does not exist)."""
    if path.is_dir():
        return b"<folder>", path.stat().st_mtime_ns
    if not path.exists():
        return None
    return path.read_bytes(), path.stat().st_mtime_ns


def type_at_end(qtbot, window: MainWindow, text: str) -> None:
    """Type `text` at the end of the editor's document."""
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.setFocus()
    for number, line in enumerate(text.split("\n")):
        if number:  # QTest cannot type "\n" as a character: press Return instead
            qtbot.keyClick(window.editor, Qt.Key.Key_Return)
        qtbot.keyClicks(window.editor, line)


def make_folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.md").write_text("# inside\n", encoding="utf-8")


BAD_FILES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "folder": ("a-folder.md", make_folder, "is a folder"),
    "binary": ("photo.png", lambda p: p.write_bytes(PNG_BYTES), "binary file"),
    "utf-16 without BOM": (
        "wide.md",
        lambda p: p.write_bytes("# Hi\n".encode("utf-16-le")),
        "binary",
    ),
    "missing": ("gone.md", lambda p: None, "does not exist"),
}


# -- files that are not posts ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_a_post_is_refused_with_a_message_and_nothing_is_lost(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, kind
) -> None:
    name, make, phrase = BAD_FILES[kind]
    bad = library_root / name
    make(bad)
    before = snapshot(bad)
    welcome = library_root / "welcome-to-draftpress.md"
    open_and_wait(qtbot, window, welcome)
    text = window.editor.toPlainText()

    with qtbot.waitSignal(window.document.failed, timeout=10000) as failed:
        window.document.open_path(bad)

    assert len(prompter.messages) == 1
    assert name in prompter.messages[0] and phrase in prompter.messages[0]
    assert failed.args[0] in prompter.messages[0]
    assert prompter.questions == []
    assert window.editor.toPlainText() == text
    assert not window.isWindowModified()
    assert window.document.post.path == welcome
    assert snapshot(bad) == before

    type_at_end(qtbot, window, "\nStill writing after the refusal.")
    wait_for_preview(qtbot, window.preview, "Still writing after the refusal.")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert welcome.read_text(encoding="utf-8").endswith("Still writing after the refusal.")
    assert snapshot(bad) == before


def test_unsaved_text_survives_a_refused_open_even_after_choosing_discard(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter
) -> None:
    bad = library_root / "photo.md"
    bad.write_bytes(PNG_BYTES)
    prompter.answer("Unsaved changes", "Discard")
    type_at_end(qtbot, window, "Words I have not saved yet")
    with qtbot.waitSignal(window.document.failed, timeout=10000):
        window.document.open_path(bad)
    assert len(prompter.questions) == 1 and "not saved" in prompter.questions[0]
    assert len(prompter.messages) == 1 and "photo.md" in prompter.messages[0]
    assert window.editor.toPlainText() == "Words I have not saved yet"
    assert window.isWindowModified()


def test_words_typed_while_a_slow_file_loads_are_not_dropped_silently(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, monkeypatch
) -> None:
    trip = library_root / "trip.md"
    trip.write_text(TRIP_POST, encoding="utf-8")
    release = threading.Event()
    started = threading.Event()
    real_load_post = document_controller.load_post

    def slow_load_post(path: Path):
        started.set()
        release.wait(10)  # a file on a slow network drive
        return real_load_post(path)

    monkeypatch.setattr(document_controller, "load_post", slow_load_post)
    # Either the words stay, or the writer is asked (and answers Cancel) before losing them.
    prompter.answer("Unsaved changes", None, required=False)
    try:
        window.document.open_path(trip)  # nothing unsaved yet: no question
        qtbot.waitUntil(started.is_set)
        type_at_end(qtbot, window, "Precious words")
    finally:
        release.set()
    deliver_background_results()
    assert "Precious words" in window.editor.toPlainText()


# -- broken front matter ---------------------------------------------------------------------


def test_a_post_with_broken_front_matter_opens_and_says_what_is_wrong(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter
) -> None:
    broken = "---\ntitle: [unclosed\n---\nBody text\n"
    path = library_root / "broken.md"
    path.write_text(broken, encoding="utf-8")
    panel = window.metadata

    open_and_wait(qtbot, window, path)

    assert window.editor.toPlainText() == broken
    assert prompter.messages == []
    assert "front matter" in window.statusBar().currentMessage()
    wait_for_preview(qtbot, window.preview, "Body text")
    qtbot.waitUntil(lambda: panel.problem_label.isVisible())
    assert "front matter" in panel.problem_label.text()
    assert not panel.title_edit.isEnabled()
    assert not panel.status_combo.isEnabled()
    assert not panel.tags_edit.isEnabled()

    start = window.editor.toPlainText().index("[unclosed")
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("[unclosed"), cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "Fixed now")

    qtbot.waitUntil(lambda: panel.title_edit.isEnabled())
    assert panel.status_combo.isEnabled() and panel.tags_edit.isEnabled()
    assert not panel.problem_label.isVisible()
    assert panel.title_edit.text() == "Fixed now"
    assert path.read_text(encoding="utf-8") == broken  # nothing was written behind our back


# -- saving when the disk disagrees ----------------------------------------------------------


def open_then_change_on_disk(qtbot, window: MainWindow, path: Path) -> str:
    """Open `path`, let another program rewrite it, type in the editor; return the new disk text."""
    path.write_text(TRIP_POST, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    other = TRIP_POST.replace("night train", "night train (edited in another program)")
    path.write_text(other, encoding="utf-8")
    type_at_end(qtbot, window, "Written in Draftpress.")
    return other


def test_a_save_conflict_asks_and_cancel_keeps_both_versions(
    qtbot, window: MainWindow, library_root: Path, monkeypatch, prompter
) -> None:
    path = library_root / "trip.md"
    other = open_then_change_on_disk(qtbot, window, path)
    mine = window.editor.toPlainText()
    prompter.answer("File changed on disk", None, times=2)

    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(prompter.asked()) == 1)

    [asked] = prompter.asked("File changed on disk")
    assert "trip.md" in asked.text and "another program" in asked.text
    assert {"Overwrite", "Save As…"} <= set(asked.buttons)
    assert path.read_text(encoding="utf-8") == other
    assert window.editor.toPlainText() == mine
    assert window.isWindowModified()

    window.menu_actions["save"].trigger()  # still in conflict: asks again rather than overwriting
    qtbot.waitUntil(lambda: len(prompter.asked()) == 2)
    assert path.read_text(encoding="utf-8") == other


def test_a_save_conflict_answered_overwrite_writes_the_writers_text(
    qtbot, window: MainWindow, library_root: Path, monkeypatch, prompter
) -> None:
    path = library_root / "trip.md"
    open_then_change_on_disk(qtbot, window, path)
    mine = window.editor.toPlainText()
    prompter.answer("File changed on disk", "Overwrite")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert path.read_text(encoding="utf-8") == mine
    assert not window.isWindowModified()


def test_a_save_conflict_answered_save_as_keeps_the_other_file(
    qtbot, window: MainWindow, library_root: Path, monkeypatch, prompter
) -> None:
    path = library_root / "trip.md"
    other = open_then_change_on_disk(qtbot, window, path)
    mine = window.editor.toPlainText()
    copy = library_root / "trip-mine.md"
    asked: list[str] = []

    def save_file_name(parent, caption, directory, *rest):
        asked.append(directory)
        return str(copy), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    prompter.answer("File changed on disk", "Save As…")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert asked == [str(path)]
    assert copy.read_text(encoding="utf-8") == mine
    assert path.read_text(encoding="utf-8") == other
    assert window.document.post.path == copy


def assert_refused_save_kept_everything(
    window: MainWindow,
    prompter: ScriptedPrompter,
    path: Path,
    before: tuple,
    mine: str,
    phrase: str,
) -> None:
    """The save was refused in plain words and neither the file nor the text changed."""
    told = prompter.told("Not saved")
    assert len(told) == 1
    assert phrase in told[0] and "nothing was lost" in told[0]
    assert snapshot(path) == before
    assert window.editor.toPlainText() == mine
    assert window.isWindowModified()
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores folder permissions (the full-disk test covers a refused save)",
)
def test_a_save_into_a_read_only_folder_is_refused_and_the_text_stays(
    qtbot, window: MainWindow, isolated_home: Path, prompter: ScriptedPrompter
) -> None:
    folder = isolated_home / "locked"
    folder.mkdir()
    path = folder / "trip.md"
    path.write_text(TRIP_POST, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "More words.")
    mine = window.editor.toPlainText()
    before = snapshot(path)
    folder.chmod(0o555)
    try:
        with qtbot.waitSignal(window.document.failed, timeout=10000):
            window.menu_actions["save"].trigger()
    finally:
        folder.chmod(0o755)
    assert_refused_save_kept_everything(window, prompter, path, before, mine, "not allowed")


def test_a_save_onto_a_full_disk_is_refused_and_the_text_stays(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, monkeypatch
) -> None:
    path = library_root / "trip.md"
    path.write_text(TRIP_POST, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "More words.")
    mine = window.editor.toPlainText()
    before = snapshot(path)
    real_replace = os.replace

    def replace_on_a_full_disk(src, dst, *args, **kwargs):
        if Path(dst) == path:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic_file.os, "replace", replace_on_a_full_disk)
    with qtbot.waitSignal(window.document.failed, timeout=10000):
        window.menu_actions["save"].trigger()
    assert_refused_save_kept_everything(window, prompter, path, before, mine, "is full")
    assert "disk" in prompter.messages[0]
    assert "full" in window.statusBar().currentMessage()
