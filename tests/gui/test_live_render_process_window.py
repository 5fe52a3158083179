"""The window's live preview renders in a child process, and survives that process dying."""

from __future__ import annotations

import os
import signal

import pytest

from editor.gui.main_window import MainWindow
from editor.render.incremental import IncrementalRenderer
from editor.render.live_render_process import shared_render_process
from tests.gui.helpers import wait_for_preview
from tests.gui.test_live_preview import type_at_end_of_line, wait_preview_current

TEXT = "# A post\n\nThe first paragraph.\n\nThe second paragraph.\n"


def test_typing_is_rendered_outside_the_window_process(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rendering in this process (where it would share the window's interpreter lock) fails.
    def not_here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the live preview rendered in the window's process")

    for method in ("render", "update", "edit"):
        monkeypatch.setattr(IncrementalRenderer, method, not_here)
    window.editor.setPlainText(TEXT)
    wait_for_preview(qtbot, window.preview, "The second paragraph.")
    type_at_end_of_line(qtbot, window, 2, " More *words*")
    html = wait_preview_current(qtbot, window)
    assert "<p>The first paragraph. More <em>words</em></p>" in html
    pid = shared_render_process().pid()
    assert pid is not None and pid != os.getpid()
    assert "could not be rendered" not in window.statusBar().currentMessage()
    window.editor.document().setModified(False)


def test_a_killed_render_process_is_replaced_and_the_preview_catches_up(
    qtbot, window: MainWindow
) -> None:
    window.editor.setPlainText(TEXT)
    wait_preview_current(qtbot, window)
    process = shared_render_process()
    pid, starts = process.pid(), process.starts
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: process.starts > starts, timeout=20000)  # resynced at once
    type_at_end_of_line(qtbot, window, 4, " After the crash.")
    html = wait_preview_current(qtbot, window, timeout=60000)
    assert "<p>The second paragraph. After the crash.</p>" in html
    assert "<h1" in html and "The first paragraph." in html  # the whole post, not the edit
    assert process.pid() not in (None, pid)
    window.editor.document().setModified(False)
