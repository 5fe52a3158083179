"""Crash recovery end to end: a real Draftpress process is killed with SIGKILL after typing, and
the next start offers the text, shows what differs, and restores it without touching the file."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core.recovery_journal import JournalEntry, JournalSession, recovery_dir
from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from tests.gui.marked_words import marked_runs

CHECKOUT = Path(__file__).resolve().parents[2]
TYPED = "Words typed just before the power cut"
POST_TEXT = "---\ntitle: Field notes\n---\n\nWhat I saw today.\n"

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only (the journal tests still run)"
)


@pytest.fixture
def draftpress_process(qtbot) -> Iterator:
    """Start the app through its own start-up, typing through the real window; kill it.

    tests/gui/typing_app.py runs editor.app.run_app and types TYPED as key presses once the
    post is open: the typing is driven from the test side, the app ships no hook for it.
    """
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        env = dict(
            os.environ,  # the test's own DRAFTPRESS_HOME, _CONFIG_DIR and _DATA_DIR (tmp)
            PYTHONPATH=str(CHECKOUT),
            QT_QPA_PLATFORM="offscreen",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.gui.typing_app", TYPED, *args],
            env=env,
            cwd=CHECKOUT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: its web engine helpers go with it
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # helpers left by the killed process
            os.killpg(process.pid, signal.SIGKILL)


def _journaled_entries() -> list[JournalEntry]:
    entries = []
    for path in sorted(recovery_dir().glob("*/entry-*.json")):
        try:  # polled while the window removes entries: one may go between glob and read
            entries.append(JournalEntry.from_file(path))
        except FileNotFoundError:
            continue
    return entries


def _kill_after_typing(qtbot, process: subprocess.Popen) -> JournalEntry:
    """Wait until the running app has journaled the typing, then SIGKILL it."""

    def journaled() -> bool:
        assert process.poll() is None, "Draftpress exited before the text was journaled"
        return any(TYPED in entry.text for entry in _journaled_entries())

    qtbot.waitUntil(journaled, timeout=60000)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    [entry] = _journaled_entries()
    return entry


def _restart(qtbot, make_window) -> tuple[MainWindow, list[str]]:
    """Start the window again as app.py does and wait for the recovery dialog."""
    win = make_window(Settings(preview_debounce_ms=20))
    opened_instead: list[str] = []
    win.recovery.offer_at_startup(lambda: opened_instead.append("the usual post"))
    qtbot.waitUntil(lambda: win.recovery.dialog is not None, timeout=10000)
    return win, opened_instead


def test_text_typed_before_sigkill_is_offered_diffed_and_restored(
    qtbot, make_window, draftpress_process, isolated_home
) -> None:
    post = isolated_home / "field-notes.md"
    post.write_text(POST_TEXT, encoding="utf-8")
    on_disk = post.read_bytes()

    entry = _kill_after_typing(qtbot, draftpress_process(str(post)))
    assert entry.path == post and entry.text == POST_TEXT + TYPED
    assert post.read_bytes() == on_disk

    win, opened_instead = _restart(qtbot, make_window)
    dialog = win.recovery.dialog
    assert [e.text for e in dialog.entries] == [POST_TEXT + TYPED]
    assert "field-notes.md" in dialog.list.item(0).text()
    assert "words" in dialog.list.item(0).text()
    qtbot.waitUntil(lambda: TYPED in " ".join(marked_runs(dialog.diff.document())[0]))
    shown = dialog.diff.toPlainText()
    assert "the file on disk (field-notes.md)" in shown
    assert "What I saw today." in shown  # context, unchanged and unmarked
    assert "What I saw" not in " ".join(marked_runs(dialog.diff.document())[0])
    assert not any(line.startswith(("---", "+++", "@@", "+")) for line in shown.splitlines())

    dialog.restore_button.click()

    qtbot.waitUntil(lambda: win.editor.toPlainText() == POST_TEXT + TYPED, timeout=10000)
    assert win.document.post.path == post and win.document.is_modified
    assert "[*]" in win.windowTitle() and win.isWindowModified()
    assert post.read_bytes() == on_disk  # untouched until the writer saves
    assert opened_instead == []  # the restored post is what the window shows
    # The recovered text now lives in this run's journal; the dead run's entry is gone.
    qtbot.waitUntil(
        lambda: [e.session_id for e in _journaled_entries()] == [win.autosave.session.session_id]
    )
    win.editor.undo()  # the restore is one edit on top of the file's text
    assert win.editor.toPlainText() == POST_TEXT
    win.editor.redo()

    with qtbot.waitSignal(win.document.saved, timeout=10000):
        win.document.save()
    assert post.read_text(encoding="utf-8") == POST_TEXT + TYPED
    qtbot.waitUntil(lambda: _journaled_entries() == [], timeout=5000)


def test_a_new_post_never_saved_is_recovered_after_sigkill(
    qtbot, make_window, draftpress_process, library_root, monkeypatch
) -> None:
    # The library exists and nothing was open before: the window starts on an untitled post.
    entry = _kill_after_typing(qtbot, draftpress_process())
    assert entry.path is None and entry.text == TYPED

    win, _ = _restart(qtbot, make_window)
    dialog = win.recovery.dialog
    assert "Untitled" in dialog.list.item(0).text()
    qtbot.waitUntil(lambda: TYPED in dialog.diff.toPlainText())
    assert "never saved" in dialog.note.text()

    dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.editor.toPlainText() == TYPED, timeout=10000)
    assert win.document.post.path is None and win.document.is_modified

    target = library_root / "recovered-notes.md"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    with qtbot.waitSignal(win.document.saved, timeout=10000):
        win.document.save()
    assert target.read_text(encoding="utf-8") == TYPED


def _dead_entries(*texts_and_paths: tuple[str, Path | None]) -> None:
    """Leave journal entries as a process that died would (its lock released)."""
    session = JournalSession()
    for number, (text, path) in enumerate(texts_and_paths):
        session.write(f"doc{number}", text, path, None)
    session._lock.release()


def test_closing_the_dialog_keeps_everything_for_next_time(qtbot, make_window) -> None:
    _dead_entries(("First lost draft", None), ("Second lost draft", None))
    win, opened_instead = _restart(qtbot, make_window)
    assert len(win.recovery.dialog.entries) == 2

    win.recovery.dialog.reject()

    assert opened_instead == ["the usual post"]
    assert sorted(e.text for e in _journaled_entries()) == ["First lost draft", "Second lost draft"]


def test_restoring_one_keeps_the_rest_for_the_recover_menu(qtbot, make_window) -> None:
    _dead_entries(("First lost draft", None), ("Second lost draft", None))
    win, _ = _restart(qtbot, make_window)
    win.recovery.dialog.list.setCurrentRow(1)
    chosen = win.recovery.dialog.current_entry().text

    win.recovery.dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.editor.toPlainText() == chosen, timeout=10000)
    assert "1 more recovered" in win.statusBar().currentMessage()

    win.menu_actions["recover"].trigger()  # File > Recover Unsaved Work…
    qtbot.waitUntil(lambda: win.recovery.dialog is not None, timeout=10000)
    [left] = win.recovery.dialog.entries
    assert left.text != chosen and left.text in ("First lost draft", "Second lost draft")
    win.recovery.dialog.reject()


def test_discard_asks_first_and_cancel_keeps_the_text(qtbot, make_window, prompter) -> None:
    _dead_entries(("A draft I may want", None))
    win, _ = _restart(qtbot, make_window)
    prompter.answer("Discard recovered text?", None)
    prompter.answer("Discard recovered text?", "Discard")
    dialog = win.recovery.dialog

    dialog.discard_button.click()  # Cancel
    assert len(dialog.entries) == 1 and len(_journaled_entries()) == 1
    dialog.discard_button.click()  # Discard

    assert dialog.entries == [] and not dialog.restore_button.isEnabled()
    qtbot.waitUntil(lambda: _journaled_entries() == [], timeout=5000)
    questions = [asked.text for asked in prompter.asked("Discard recovered text?")]
    assert len(questions) == 2 and "cannot be brought back" in questions[0]
    dialog.reject()


def test_save_as_writes_the_recovered_text_and_drops_the_entry(
    qtbot, make_window, monkeypatch, isolated_home
) -> None:
    post = isolated_home / "essay.md"
    post.write_text("old\n", encoding="utf-8")
    _dead_entries(("old\nand the recovered end\n", post))
    win, _ = _restart(qtbot, make_window)
    target = isolated_home / "essay-recovered.md"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )

    win.recovery.dialog.save_as_button.click()

    qtbot.waitUntil(lambda: target.exists() and _journaled_entries() == [], timeout=10000)
    assert target.read_text(encoding="utf-8") == "old\nand the recovered end\n"
    assert post.read_text(encoding="utf-8") == "old\n"
    win.recovery.dialog.reject()


def test_a_running_instances_entries_are_not_offered(qtbot, make_window) -> None:
    first = make_window(Settings(preview_debounce_ms=20, autosave_idle_ms=0))
    with qtbot.waitSignal(first.autosave.journaled, timeout=5000):
        qtbot.keyClicks(first.editor, "Live in the first window")
    second = make_window(Settings(preview_debounce_ms=20))
    opened: list[bool] = []

    second.recovery.offer_at_startup(lambda: opened.append(True))

    qtbot.waitUntil(lambda: opened == [True], timeout=5000)
    assert second.recovery.dialog is None


def test_a_legacy_encoded_post_deleted_before_the_crash_comes_back_in_its_encoding(
    qtbot, make_window, library_root
) -> None:
    path = library_root / "cafe.md"  # Windows-1252 when it was open; deleted since
    text = "---\ntitle: Caf\u00e9\n---\n\n\u201cCr\u00e8me\u201d, typed before the crash.\n"
    session = JournalSession()
    session.write("doc0", text, path, None, encoding="cp1252")
    session._lock.release()
    win, _ = _restart(qtbot, make_window)
    qtbot.waitUntil(lambda: "no longer exists" in win.recovery.dialog.note.text())

    win.recovery.dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.editor.toPlainText() == text, timeout=10000)
    assert win.document.post.path == path and win.document.post.encoding == "cp1252"
    with qtbot.waitSignal(win.document.saved, timeout=10000):
        win.document.save()
    assert path.read_bytes() == text.encode("cp1252")


def test_text_converted_to_utf8_before_the_crash_is_restored_onto_its_legacy_file(
    qtbot, make_window, library_root
) -> None:
    path = library_root / "cafe.md"
    on_disk = "---\ntitle: Caf\u00e9\n---\n\nCr\u00e8me.\n"
    path.write_bytes(on_disk.encode("cp1252"))
    typed = on_disk + "Typed after File > Convert to UTF-8 \u2603\n"  # \u2603: not in cp1252
    _dead_entries((typed, path))  # the journal says UTF-8: the writer converted the file
    win, _ = _restart(qtbot, make_window)
    qtbot.waitUntil(lambda: "Convert" in win.recovery.dialog.diff.toPlainText())

    win.recovery.dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.editor.toPlainText() == typed, timeout=10000)
    assert win.document.post.path == path and win.document.post.encoding == "utf-8"
    with qtbot.waitSignal(win.document.saved, timeout=10000):
        win.document.save()
    assert path.read_bytes() == typed.encode("utf-8")
