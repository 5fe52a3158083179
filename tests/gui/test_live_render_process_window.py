"""The window's live preview renders in a child process, and survives that process dying."""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from editor.core.settings import Settings
from editor.core.text_stats import count_words
from editor.gui.main_window import MainWindow
from editor.render import preview_render
from editor.render.incremental import IncrementalRenderer
from editor.render.live_render_process import RenderProcessGone, shared_render_process
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


def test_a_window_closed_during_a_long_render_does_not_hold_up_the_next_ones_preview(
    qtbot, make_window, library_root
) -> None:
    # One render process serves every preview of the app, one batch at a time: the batch of a
    # closed window must not make the next window wait (a test saw an 8 s wait behind a closed
    # window's 1.1 MB post).
    process = shared_render_process()
    first = MainWindow(Settings(preview_debounce_ms=20), library_root)
    first.show()
    qtbot.waitExposed(first)
    first.editor.setPlainText("A paragraph of fine words, and a few more.\n\n" * 8_000)
    qtbot.waitUntil(lambda: first.live.renderer.rendering_all, timeout=20000)
    starts = process.starts
    first.editor.document().setModified(False)
    first.close()
    first.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    second = make_window()
    second.editor.setPlainText(TEXT)
    wait_for_preview(qtbot, second.preview, "The second paragraph.", timeout=60000)
    assert process.starts == starts + 1  # the busy child was replaced, not waited for
    second.editor.document().setModified(False)


def test_while_typing_the_words_are_counted_outside_the_window_process(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long post's word count is a tenth of a second of Python: on a thread of this process
    # it takes the interpreter lock from the GUI thread. Typed text is counted in the child.
    window.editor.setPlainText(TEXT)
    wait_preview_current(qtbot, window)
    qtbot.waitUntil(lambda: window.words_label.words == 8)  # the opened text: counted here
    counted_here: list[str] = []

    def count_here(text: str) -> int:
        counted_here.append(text)
        return count_words(text)

    monkeypatch.setattr(preview_render, "count_words", count_here)
    type_at_end_of_line(qtbot, window, 2, " And three more")
    wait_preview_current(qtbot, window)
    qtbot.waitUntil(lambda: window.words_label.words == 11)  # after the pause in typing
    assert counted_here == []
    window.editor.document().setModified(False)


def test_the_words_are_counted_here_when_the_render_process_cannot(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.editor.setPlainText(TEXT)
    wait_preview_current(qtbot, window)

    def gone(*_args: object, **_kwargs: object) -> None:
        raise RenderProcessGone("the live render process ended")

    monkeypatch.setattr(window.live.renderer.process, "post_details", gone)
    type_at_end_of_line(qtbot, window, 2, " And three more")
    wait_preview_current(qtbot, window)
    qtbot.waitUntil(lambda: window.words_label.words == 11)
    window.editor.document().setModified(False)


def test_a_render_of_an_older_text_does_not_bring_back_its_details(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An open while an earlier render is under way: that render's answer comes first, and its
    # text's details (no front matter: "Untitled") must not replace the opened post's title.
    window.editor.setPlainText("---\ntitle: The real title\n---\n\n" + TEXT)
    wait_preview_current(qtbot, window)
    submitted: list[str] = []
    monkeypatch.setattr(
        window.live.details, "submit", lambda asked, **_: submitted.append(asked[0])
    )
    shown = window.live.last_result
    window.live.renderer.rendered.emit(replace(shown, text=TEXT))  # the text before the open
    assert submitted == []
    window.live.renderer.rendered.emit(shown)  # the opened text's own render
    assert submitted == [window.editor.toPlainText()]
    window.editor.document().setModified(False)
