"""The live render process: edits in, deltas out, a dead child replaced (real child processes)."""

from __future__ import annotations

import os
import queue
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from editor.render.live_edits import Edit, LiveResult, Resync
from editor.render.live_render_process import LiveRenderProcess
from editor.render.markdown_renderer import render_markdown

ANSWER_SECONDS = 60  # a spawned child imports the renderer first (slow on a loaded machine)


@pytest.fixture
def process() -> Iterator[LiveRenderProcess]:
    """A render process of the test's own (not the app's shared one)."""
    handle = LiveRenderProcess()
    yield handle
    handle.close()


def listener(process: LiveRenderProcess) -> tuple[int, queue.SimpleQueue[tuple[str, Any]]]:
    """Register a preview whose answers go into a queue."""
    answers: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    return process.register(answers.put), answers


def next_answer(answers: queue.SimpleQueue[tuple[str, Any]], kind: str) -> Any:
    """Return the value of the next answer, which must be of `kind`."""
    got, value = answers.get(timeout=ANSWER_SECONDS)
    assert got == kind, (got, value)
    return value


def test_edits_are_rendered_in_a_child_and_come_back_as_a_delta(process) -> None:
    key, answers = listener(process)
    text = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n"
    process.send(key, [Resync(text)], 1)
    whole: LiveResult = next_answer(answers, "rendered")
    assert process.pid() not in (None, os.getpid())
    assert whole.serial == 1 and whole.text == text
    assert "".join(block.html for block in whole.blocks) == render_markdown(text)
    position = text.index("Second") + len("Second")
    process.send(key, [Edit(position, 0, " *new*"), Edit(0, 0, "x")], 2)
    edited: LiveResult = next_answer(answers, "rendered")
    assert edited.serial == 2
    assert edited.text == "x# Title\n\nFirst paragraph.\n\nSecond *new* paragraph.\n"
    assert edited.blocks == () and edited.delta is not None  # the change only, not every piece
    assert "<em>new</em>" in "".join(piece.html for piece in edited.delta.pieces)


def test_each_preview_has_its_own_renderer_in_the_one_child(process) -> None:
    first, first_answers = listener(process)
    second, second_answers = listener(process)
    process.send(first, [Resync("one\n")], 1)
    process.send(second, [Resync("two\n")], 1)
    assert next_answer(first_answers, "rendered").text == "one\n"
    assert next_answer(second_answers, "rendered").text == "two\n"
    process.send(first, [Edit(3, 0, "!")], 2)
    assert next_answer(first_answers, "rendered").text == "one!\n"
    assert process.starts == 1


def test_an_error_in_the_child_is_reported_and_the_next_batch_starts_afresh(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("text\n")], 1)
    next_answer(answers, "rendered")
    # An edit the editor never sends (no added text): the real child fails on it.
    process.send(key, [Edit(0, 0, None)], 2)  # type: ignore[arg-type]
    assert "AttributeError" in next_answer(answers, "failed")
    process.send(key, [Resync("text again\n")], 3)
    assert next_answer(answers, "rendered").text == "text again\n"


def test_a_killed_child_is_reported_and_the_next_batch_starts_a_new_one(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("before\n")], 1)
    next_answer(answers, "rendered")
    pid = process.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert next_answer(answers, "died") is None
    process.send(key, [Resync("after\n")], 2)
    assert next_answer(answers, "rendered").text == "after\n"
    assert process.starts == 2 and process.pid() != pid


def test_closing_ends_the_child(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("text\n")], 1)
    next_answer(answers, "rendered")
    pid = process.pid()
    assert pid is not None
    process.close()
    assert process.pid() is None
    with pytest.raises(ProcessLookupError):  # ended and reaped (join), not left a zombie
        os.kill(pid, 0)
