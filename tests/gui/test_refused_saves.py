"""Saves the disk refuses, in the real window: a clear message, the text kept, the file whole.

The real thing where it can be made (a 64 KB tmpfs, chattr +i, a deleted folder); an error
injected at the OS boundary where it cannot (a network drive vanishing mid-save).
"""

# ruff: noqa: F811  (fixtures imported from tests/core/test_save_failures.py are parameters here)
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from editor.core import atomic_file
from editor.gui.main_window import MainWindow
from tests.core.test_save_failures import chattr, fill_disk, immutable, tiny_disk  # noqa: F401
from tests.gui.helpers import open_and_wait
from tests.gui.test_opening_files import (
    TRIP_POST,
    assert_refused_save_kept_everything,
    snapshot,
    type_at_end,
)
from tests.scripted_prompter import ScriptedPrompter


def open_and_type(qtbot, window: MainWindow, path: Path) -> tuple[str, tuple]:
    """Open the trip post at `path`, type more; return (editor text, file snapshot)."""
    path.write_text(TRIP_POST, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "More words.")
    return window.editor.toPlainText(), snapshot(path)


def save_and_wait_for_refusal(qtbot, window: MainWindow) -> str:
    """Trigger File > Save and return the failure message."""
    with qtbot.waitSignal(window.document.failed, timeout=10000) as failed:
        window.menu_actions["save"].trigger()
    return failed.args[0]


def test_a_save_cut_between_write_and_rename_keeps_file_and_text(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter, monkeypatch
) -> None:
    # A drive that vanishes after the data was flushed but before the rename cannot be made in
    # a test; the OS's answer (EIO from rename) is injected. The SIGKILL case is in tests/core.
    path = library_root / "trip.md"
    mine, before = open_and_type(qtbot, window, path)

    def drive_gone(*_args, **_kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(atomic_file.os, "replace", drive_gone)
    save_and_wait_for_refusal(qtbot, window)
    assert_refused_save_kept_everything(window, prompter, path, before, mine, "stopped answering")


def test_a_really_full_disk_refuses_the_save_and_keeps_the_text(
    qtbot,
    window: MainWindow,
    tiny_disk: Path,
    prompter: ScriptedPrompter,
) -> None:
    path = tiny_disk / "trip.md"
    mine, before = open_and_type(qtbot, window, path)
    fill_disk(tiny_disk)
    save_and_wait_for_refusal(qtbot, window)
    assert_refused_save_kept_everything(window, prompter, path, before, mine, "is full")
    assert "Save As" in prompter.told("Not saved")[0]
    (tiny_disk / "filler.bin").unlink()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert path.read_text(encoding="utf-8") == mine


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_a_read_only_file_or_folder_refuses_the_save_and_keeps_the_text(
    qtbot,
    window: MainWindow,
    isolated_home: Path,
    prompter: ScriptedPrompter,
    immutable: list[Path],
    locked: str,
) -> None:
    folder = isolated_home / "locked"
    folder.mkdir()
    path = folder / "trip.md"
    mine, before = open_and_type(qtbot, window, path)
    target = path if locked == "file" else folder
    chattr(target, "+i")
    immutable.append(target)
    save_and_wait_for_refusal(qtbot, window)
    assert_refused_save_kept_everything(window, prompter, path, before, mine, "not allowed")


def test_a_folder_deleted_while_open_is_reported_and_save_as_rescues_the_text(
    qtbot,
    window: MainWindow,
    isolated_home: Path,
    prompter: ScriptedPrompter,
    monkeypatch,
) -> None:
    folder = isolated_home / "usb-stick"
    folder.mkdir()
    path = folder / "trip.md"
    mine, _ = open_and_type(qtbot, window, path)

    shutil.rmtree(folder)
    qtbot.waitUntil(lambda: len(prompter.told("File deleted on disk")) == 1, timeout=5000)
    deleted = prompter.told("File deleted on disk")[0]
    assert "trip.md" in deleted and "deleted or moved" in deleted

    message = save_and_wait_for_refusal(qtbot, window)
    assert "no longer exists" in message
    [refused] = prompter.told("Not saved")
    assert "no longer exists" in refused and "Save As" in refused
    assert window.editor.toPlainText() == mine
    assert window.isWindowModified()
    assert not folder.exists()

    rescue = isolated_home / "library" / "trip.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(rescue), ""))
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save_as"].trigger()
    assert rescue.read_text(encoding="utf-8") == mine
    assert not window.isWindowModified()
