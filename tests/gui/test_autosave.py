"""Autosave in the real window: when unsaved text reaches the journal, and when it leaves it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from editor.core.recovery_journal import JournalEntry, recovery_dir
from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.gui.message_box import Prompt
from tests.gui.helpers import open_and_wait

NEVER_MS = 600_000  # a timer that does not fire during a test


def _journal_texts() -> list[str]:
    """Return the text of every entry in the journal folder, of any session."""
    return [
        JournalEntry.from_file(file).text for file in sorted(recovery_dir().glob("*/entry-*.json"))
    ]


def _window(make_window, idle_ms: int = NEVER_MS, max_wait_ms: int = NEVER_MS) -> MainWindow:
    settings = Settings(
        preview_debounce_ms=20, autosave_idle_ms=idle_ms, autosave_max_wait_ms=max_wait_ms
    )
    return make_window(settings)


def _post(library_root: Path) -> Path:
    return library_root / "welcome-to-draftpress.md"


def test_typing_is_journaled_after_a_short_pause(qtbot, make_window, library_root) -> None:
    win = _window(make_window, idle_ms=50)
    open_and_wait(qtbot, win, _post(library_root))
    before = _post(library_root).read_bytes()
    win.editor.setFocus()

    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        qtbot.keyClicks(win.editor, "Typed before a crash")

    [text] = _journal_texts()
    assert text == win.editor.toPlainText() and "Typed before a crash" in text
    assert _post(library_root).read_bytes() == before  # the writer's file is not touched


def test_continuous_typing_is_journaled_within_the_longest_wait(qtbot, make_window) -> None:
    # The idle timer never fires (typing "goes on"); the max-wait timer still writes.
    win = _window(make_window, idle_ms=NEVER_MS, max_wait_ms=100)
    win.editor.setFocus()

    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        qtbot.keyClicks(win.editor, "A new post never saved")

    assert _journal_texts() == ["A new post never saved"]
    [entry_file] = recovery_dir().glob("*/entry-*.json")
    assert JournalEntry.from_file(entry_file).path is None


def test_nothing_is_journaled_without_unsaved_work(qtbot, make_window) -> None:
    win = _window(make_window, idle_ms=0)
    win.autosave.journal_now()
    win.editor.setPlainText("")
    win.autosave.journal_now()

    assert win.autosave.jobs.pending == 0
    assert _journal_texts() == []


def test_losing_focus_to_another_window_journals_at_once(qtbot, make_window) -> None:
    win = _window(make_window)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.editor.setFocus()
    qtbot.keyClicks(win.editor, "Switching to the browser")
    assert _journal_texts() == []  # no timer has fired

    other = QWidget()
    other.setWindowTitle("Another application's window")
    other.show()
    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        other.activateWindow()
    other.close()

    assert _journal_texts() == ["Switching to the browser"]


def test_the_application_going_inactive_journals(qtbot, make_window) -> None:
    # A fake: an offscreen Qt cannot lose the application focus for real, so the signal the
    # platform would send is emitted directly.
    win = _window(make_window)
    qtbot.keyClicks(win.editor, "Alt-tab")

    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        win.autosave._application_state_changed(Qt.ApplicationState.ApplicationInactive)

    assert _journal_texts() == ["Alt-tab"]


def test_newest_text_wins_however_quickly_writes_follow(qtbot, make_window) -> None:
    win = _window(make_window)
    for word in ("one", " two", " three", " four"):
        qtbot.keyClicks(win.editor, word)
        win.autosave.journal_now()
    qtbot.waitUntil(lambda: win.autosave.jobs.pending == 0, timeout=5000)

    assert _journal_texts() == ["one two three four"]


def test_a_clean_save_removes_the_entry(qtbot, make_window, library_root) -> None:
    win = _window(make_window, idle_ms=0)
    open_and_wait(qtbot, win, _post(library_root))
    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        qtbot.keyClicks(win.editor, "Saved soon")
    assert len(_journal_texts()) == 1

    with qtbot.waitSignal(win.document.saved, timeout=5000):
        win.document.save()

    qtbot.waitUntil(lambda: _journal_texts() == [], timeout=5000)


def test_undoing_back_to_the_file_removes_the_entry(qtbot, make_window, library_root) -> None:
    win = _window(make_window, idle_ms=0)
    open_and_wait(qtbot, win, _post(library_root))
    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        qtbot.keyClicks(win.editor, "x")

    win.editor.undo()

    qtbot.waitUntil(lambda: _journal_texts() == [], timeout=5000)


def test_closing_asks_journals_first_and_discard_clears_everything(
    qtbot, make_window, prompter
) -> None:
    win = _window(make_window)
    qtbot.keyClicks(win.editor, "About to be discarded")
    journaling: list[bool] = []

    def answer(choice: str | None) -> Callable[[Prompt], str | None]:
        def when_asked(_prompt: Prompt) -> str | None:
            # The text is on its way to the journal before the question is shown.
            journaling.append(win.autosave.jobs.pending >= 1 or bool(_journal_texts()))
            return choice

        return when_asked

    prompter.answer("Unsaved changes", answer(None))
    prompter.answer("Unsaved changes", answer("Discard"))
    win.close()  # Cancel: the window stays, the text is journaled
    assert win.isVisible()
    qtbot.waitUntil(lambda: _journal_texts() == ["About to be discarded"], timeout=5000)

    win.close()  # Discard
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5000)

    asked = [question.text for question in prompter.asked("Unsaved changes")]
    assert len(asked) == 2 and "not saved" in asked[0] and journaling == [True, True]
    assert list(recovery_dir().iterdir()) == []  # a clean exit leaves no entries, no session


def test_a_clean_exit_after_saving_leaves_no_journal(qtbot, make_window, library_root) -> None:
    win = _window(make_window, idle_ms=0)
    open_and_wait(qtbot, win, _post(library_root))
    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        qtbot.keyClicks(win.editor, "Done for today")
    with qtbot.waitSignal(win.document.saved, timeout=5000):
        win.document.save()

    win.close()

    assert not win.isVisible()
    assert list(recovery_dir().iterdir()) == []


def test_a_journal_that_cannot_be_written_says_so_and_keeps_the_text(
    qtbot, make_window, monkeypatch
) -> None:
    # A fake at the OS boundary: the data folder's disk is full.
    from editor.core import atomic_file

    win = _window(make_window, idle_ms=0)

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "replace", full_disk)
    qtbot.keyClicks(win.editor, "Still here")

    qtbot.waitUntil(lambda: "recovery journal" in win.statusBar().currentMessage(), timeout=5000)
    assert "disk" in win.statusBar().currentMessage()
    assert win.editor.toPlainText() == "Still here" and win.document.is_modified


def test_an_unwritable_data_folder_is_said_at_start(make_window, isolated_home) -> None:
    (isolated_home / "data").write_text("a file where the data folder should be")

    win = _window(make_window)

    assert win.autosave.session is None
    assert "cannot be protected" in win.statusBar().currentMessage()


def test_a_file_deleted_under_the_window_is_journaled_without_typing(
    qtbot, make_window, library_root
) -> None:
    win = _window(make_window, idle_ms=50)
    path = library_root / "only-copy.md"
    path.write_text("---\ntitle: Only copy\n---\n\nThe words exist only here now.\n", "utf-8")
    open_and_wait(qtbot, win, path)

    with qtbot.waitSignal(win.autosave.journaled, timeout=5000):
        path.unlink()  # the window marks the text unsaved: a crash now must not lose it

    [text] = _journal_texts()
    assert "The words exist only here now." in text
