"""The live render process: edits in, deltas out (never the text), a dead child replaced, a
closed preview's render abandoned (real child processes)."""

from __future__ import annotations

import os
import pickle
import queue
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from editor.render.live_edits import (
    Edit,
    EditApplier,
    EditedText,
    LiveResult,
    Resync,
    packed,
    unpacked,
)
from editor.render.live_render_process import LiveRenderProcess, RenderProcessGone
from editor.render.markdown_renderer import render_markdown
from editor.render.preview_render import post_details

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


def shown(result: LiveResult) -> str:
    """The HTML a result brings: its pieces, or its delta's new pieces."""
    pieces = result.delta.pieces if result.delta is not None else result.blocks
    return "".join(piece.html for piece in pieces).strip()


def test_edits_are_rendered_in_a_child_and_come_back_as_a_delta(process) -> None:
    key, answers = listener(process)
    text = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n"
    process.send(key, [Resync(text)], 1)
    whole: LiveResult = next_answer(answers, "rendered")
    assert process.pid() not in (None, os.getpid())
    assert whole.serial == 1
    assert "".join(block.html for block in whole.blocks) == render_markdown(text)
    position = text.index("Second") + len("Second")
    process.send(key, [Edit(position, 0, " *new*"), Edit(0, 0, "x")], 2)
    edited: LiveResult = next_answer(answers, "rendered")
    assert edited.serial == 2
    assert edited.blocks == () and edited.delta is not None  # the change only, not every piece
    assert "<em>new</em>" in "".join(piece.html for piece in edited.delta.pieces)
    # The text does not come back over the pipe (the window has its own copy).
    assert whole.text == edited.text == ""


def test_each_preview_has_its_own_renderer_in_the_one_child(process) -> None:
    first, first_answers = listener(process)
    second, second_answers = listener(process)
    process.send(first, [Resync("one\n")], 1)
    process.send(second, [Resync("two\n")], 1)
    assert shown(next_answer(first_answers, "rendered")) == "<p>one</p>"
    assert shown(next_answer(second_answers, "rendered")) == "<p>two</p>"
    process.send(first, [Edit(3, 0, "!")], 2)
    assert "<p>one!</p>" in shown(next_answer(first_answers, "rendered"))
    assert process.starts == 1


def test_an_error_in_the_child_is_reported_and_the_next_batch_starts_afresh(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("text\n")], 1)
    next_answer(answers, "rendered")
    # An edit the editor never sends (no added text): the real child fails on it.
    process.send(key, [Edit(0, 0, None)], 2)  # type: ignore[arg-type]
    assert "AttributeError" in next_answer(answers, "failed")
    process.send(key, [Resync("text again\n")], 3)
    assert shown(next_answer(answers, "rendered")) == "<p>text again</p>"


def test_a_killed_child_is_reported_and_the_next_batch_starts_a_new_one(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("before\n")], 1)
    next_answer(answers, "rendered")
    pid = process.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert next_answer(answers, "died") is None
    process.send(key, [Resync("after\n")], 2)
    assert shown(next_answer(answers, "rendered")) == "<p>after</p>"
    assert process.starts == 2 and process.pid() != pid


def test_post_details_are_read_in_the_child_as_they_would_be_here(process) -> None:
    # The word count of a long post, read in the child: no thread of this process runs it.
    text = "---\ntitle: Far North\ntags: [trains]\n---\n\n" + "Some words, and more.\n\n" * 500
    assert process.post_details(text, timeout=ANSWER_SECONDS) == post_details(text)
    broken = "---\ntitle: [unclosed\n---\n\nA body of five words.\n"
    assert process.post_details(broken, timeout=ANSWER_SECONDS) == post_details(broken)
    key, answers = listener(process)  # renders go on beside the details
    process.send(key, [Resync("after\n")], 1)
    assert shown(next_answer(answers, "rendered")) == "<p>after</p>"


def test_details_asked_of_a_child_that_dies_raise_rather_than_wait(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("before\n")], 1)
    next_answer(answers, "rendered")
    pid = process.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # stopped: the request stays unanswered until it is killed
    outcome: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def ask() -> None:
        try:
            outcome.put(process.post_details("One two.\n", timeout=ANSWER_SECONDS))
        except RenderProcessGone as error:
            outcome.put(error)

    asking = threading.Thread(target=ask)
    asking.start()
    os.kill(pid, signal.SIGKILL)
    asking.join(ANSWER_SECONDS)
    assert isinstance(outcome.get(timeout=1), RenderProcessGone)
    assert next_answer(answers, "died") is None


def test_details_asked_as_the_app_quits_are_answered_rather_than_left_waiting(process) -> None:
    key, answers = listener(process)
    process.send(key, [Resync("before\n")], 1)
    next_answer(answers, "rendered")
    pid = process.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the request stays unanswered
    outcome: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def ask() -> None:
        try:
            outcome.put(process.post_details("One two.\n", timeout=ANSWER_SECONDS))
        except RenderProcessGone as error:
            outcome.put(error)

    asking = threading.Thread(target=ask)
    asking.start()
    while not process._details_asked:  # the request is on its way
        threading.Event().wait(0.01)
    process.close()  # kills the stopped child after its grace time
    asking.join(ANSWER_SECONDS)
    assert isinstance(outcome.get(timeout=1), RenderProcessGone)


def test_a_small_batch_written_at_once_does_not_wake_the_sender_thread() -> None:
    # Each keystroke's batch is written by the GUI thread itself; waking the sender thread for
    # nothing made it take the interpreter lock from the GUI thread at every keystroke.
    import multiprocessing

    from editor.render.live_render_process import _Outbox

    receiving, sending = multiprocessing.Pipe(duplex=False)
    outbox = _Outbox(sending)
    woken: list[int] = []

    class CountingCondition(threading.Condition):
        def notify(self, n: int = 1) -> None:
            woken.append(n)
            super().notify(n)

    outbox._condition = CountingCondition()
    sender = threading.Thread(target=outbox.run, daemon=True)
    sender.start()
    for number in range(20):
        outbox.put(("edit", number), small=True)
    assert [receiving.recv() for _ in range(20)] == [("edit", n) for n in range(20)]
    assert woken == []
    outbox.put(("whole text", "x" * 200_000))  # a large one goes through the sender thread
    assert receiving.recv() == ("whole text", "x" * 200_000)
    outbox.stop()
    sender.join(ANSWER_SECONDS)
    assert not sender.is_alive()
    receiving.close()


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


def test_a_preview_closed_during_its_render_does_not_hold_up_the_others(process) -> None:
    closing, _closing_answers = listener(process)
    other, other_answers = listener(process)
    process.send(other, [Resync("other\n")], 1)
    assert shown(next_answer(other_answers, "rendered")) == "<p>other</p>"
    pid = process.pid()
    long_post = "A paragraph of fine words, long enough to take a while.\n\n" * 20_000
    process.send(closing, [Resync(long_post)], 1)  # seconds of rendering for a closed window
    process.unregister(closing)
    # The child is replaced at once; the other preview is told and resyncs in the new child.
    assert next_answer(other_answers, "died") is None
    process.send(other, [Resync("other\n"), Edit(5, 0, " again")], 2)
    assert shown(next_answer(other_answers, "rendered")) == "<p>other again</p>"
    assert process.starts == 2 and process.pid() not in (None, pid)
    with pytest.raises(ProcessLookupError):  # the old child was killed and reaped
        for _ in range(500):
            os.kill(pid, 0)
            threading.Event().wait(0.01)


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        ("plain text\n", [Edit(5, 0, "er"), Edit(0, 5, ""), Edit(3, 2, "")]),
        # characters outside the BMP count two UTF-16 units, as QTextDocument reports them
        ("a 😀 b 😀 c\n", [Edit(5, 0, "x"), Edit(2, 2, "🙂🙂"), Edit(0, 1, "😀"), Edit(9, 4, "")]),
        ("same\n", [Edit(0, 4, "same")]),  # a format-only change: nothing replaced
    ],
)
def test_the_windows_copy_of_the_text_follows_the_edits_as_the_child_does(
    process, text: str, edits: list[Edit]
) -> None:
    copy = EditedText()
    copy.apply(Resync(text))
    key, answers = listener(process)
    process.send(key, [Resync(text)], 1)
    next_answer(answers, "rendered")
    for serial, edit in enumerate(edits, start=2):
        copy.apply(edit)
        process.send(key, [edit], serial)
        if next_answer(answers, "rendered") is None:
            continue  # nothing changed
    units = text.encode("utf-16-le")
    for edit in edits:  # the same edits on UTF-16 code units: what the editor's document holds
        added = edit.added.encode("utf-16-le")
        units = units[: 2 * edit.position] + added + units[2 * (edit.position + edit.removed) :]
    expected = units.decode("utf-16-le")
    assert copy.text == expected
    assert copy.astral == sum(1 for ch in expected if ord(ch) > 0xFFFF)
    process.send(key, [Resync(expected)], 99)  # the child holds the same text: nothing to render
    assert next_answer(answers, "rendered") is None


def test_a_whole_render_crosses_the_pipe_as_flat_tuples_and_comes_back_equal() -> None:
    # Unpickling ten thousand piece objects is one long C call holding the window's
    # interpreter lock; strings and numbers are not (see live_edits.packed).
    applier = EditApplier()
    text = "# Title\n\n" + "".join(f"Paragraph {n} with [a link](/x).\n\n" for n in range(300))
    result = applier.apply([Resync(text)], 1)
    assert result is not None and len(result.blocks) == 301
    wire = pickle.dumps(packed(result), protocol=pickle.HIGHEST_PROTOCOL)
    assert b"RenderedBlock" not in wire
    assert unpacked(pickle.loads(wire)) == result
    assert packed(None) is None and unpacked(None) is None
