"""Recover Unsaved Work with a long post: the comparison with the file on disk is made off the
window's thread, and costs what the change costs, not what the post's length does."""

from __future__ import annotations

import threading
from pathlib import Path

from editor.core.recovery_journal import JournalEntry
from editor.gui.safety import recovery_dialog
from editor.gui.safety.recovery_dialog import RecoveryDialog

LONG_POST = "".join(
    f"## Section {n}\n\nA paragraph of prose for section {n}, as blog prose does.\n\n"
    for n in range(3000)
)


def entry_for(path: Path, text: str) -> JournalEntry:
    """A journal entry holding `text` for the post at `path` (as a dead run left it)."""
    return JournalEntry(
        entry_id="e1", text=text, path=path, base_fingerprint=None, newline="\n", bom=False,
        encoding="utf-8", created="2026-12-04T03:00:00+00:00", updated="2026-12-04T03:00:00+00:00",
        session_id="dead", pid=1, file=path.with_suffix(".entry.json"),
    )


def test_a_long_posts_differences_are_worked_out_off_the_window_thread(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    post = tmp_path / "long.md"
    post.write_text(LONG_POST, encoding="utf-8")
    typed = LONG_POST.replace("for section 1500,", "for section 1500, typed before the crash,")
    threads: list[threading.Thread] = []
    diff = recovery_dialog.word_diff_html

    def watched(*args: str) -> str:
        threads.append(threading.current_thread())
        return diff(*args)

    monkeypatch.setattr(recovery_dialog, "word_diff_html", watched)
    dialog = RecoveryDialog([entry_for(post, typed)])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "typed before the crash" in dialog.diff.toPlainText(), timeout=20000)
    assert threads and threading.main_thread() not in threads
    assert "lines 1–" in dialog.diff.toPlainText()  # the unchanged rest left out
    dialog.reject()
