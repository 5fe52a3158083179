"""A render past its soft deadline stops itself at its own checks, not by a timeout from outside.

The watchdog marks the rendering thread late; the block parser, the inline patterns, the
raw-HTML pass and Pygments' tokens check that mark and raise `RenderTimeout` from render code
(`deadline_checks`). The timeout raised from outside is a fallback for loops with no check:
it once landed in a garbage-collector callback that started between the watchdog's look at the
thread's frames and the raise (hypothesis's, in the render fuzz test of a fresh-clone CI run).
"""

from __future__ import annotations

import gc
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from editor.render import render_guard
from editor.render.block_markdown import BlockMarkdown
from editor.render.block_recording import BlockContext
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.render_guard import RenderTimeout, within

# Slow Markdown, each spending its time in one of the checked loops (a few seconds unchecked).
SLOW = {
    "setext headings (block parser)": "a\n=\n" * 6_000,
    "star rules (block parser)": "* * *\n" * 6_000,
    "abbreviations (block parser)": "".join(f"*[A{i}]: x\n" for i in range(3_000)),
    "a line of brackets (inline matches)": "[" * 12_000,
    "nested links (inline matches)": "[a" * 5_000 + "](b)" * 5_000,
    "a wide table (inline texts)": ("|" + "a|" * 5_000 + "\n|" + "-|" * 5_000 + "\n")
    + ("|" + "b|" * 5_000 + "\n") * 6,
    "div runs (raw HTML)": "<div " * 8_000,
    "a huge code block (Pygments)": "```python\n" + "x = [1, 2, 'a', b]  # c\n" * 30_000 + "```\n",
}
DEADLINE = 0.05
# Between the deadline and the check that stops the render: the watchdog's wake-up and one
# step of the slowest loop (a few ms on a quiet machine); generous for a loaded one.
STOP_BOUND = 1.5


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put the timeout from outside out of reach: only the render's own checks can stop it."""
    monkeypatch.setattr(render_guard, "FALLBACK_GRACE_SECONDS", 60.0, raising=False)
    yield


def _renderers() -> dict[str, Callable[[str], object]]:
    """The full render and the block render (the live preview's), one instance each."""
    full, blocks = MarkdownRenderer(), BlockMarkdown()
    return {
        "full": full.render_body,
        "block": lambda text: blocks.render(text, BlockContext(), {}, True),
    }


@pytest.mark.parametrize("name", SLOW)
def test_a_render_past_its_deadline_stops_at_its_own_check(no_fallback: None, name: str) -> None:
    # Before, nothing in the render checked: only the timeout raised from outside stopped it,
    # in whichever Markdown frame the thread was.
    for kind, render in _renderers().items():
        fallbacks = getattr(render_guard, "fallbacks", 0)
        started = time.monotonic()
        with pytest.raises(RenderTimeout) as raised:
            within(DEADLINE, render, SLOW[name])
        took = time.monotonic() - started
        last = traceback.extract_tb(raised.value.__traceback__)[-1]
        assert (last.name, last.filename) == ("check_deadline", render_guard.__file__), kind
        assert took < DEADLINE + STOP_BOUND, f"{kind}: {took:.2f} s"
        assert getattr(render_guard, "fallbacks", 0) == fallbacks
        assert render_guard.late_threads == {}  # nothing left marked late


def test_the_fallback_still_stops_work_with_no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_guard, "FALLBACK_GRACE_SECONDS", 0.05)
    fallbacks = render_guard.fallbacks

    def busy() -> None:  # Python code with no check (the guarded function's own module)
        while True:
            pass

    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        within(0.02, busy)
    assert time.monotonic() - started < 0.02 + 0.05 + STOP_BOUND
    assert render_guard.fallbacks == fallbacks + 1


def test_the_grace_counts_the_thread_s_cpu_time_not_the_clock() -> None:
    # A render thread that waits (for the CPU, on a busy machine; here: asleep) past the grace
    # is not cut off from outside before it has run: its own checks get their chance first.
    fallbacks = render_guard.fallbacks
    text, renderer = "a\n=\n" * 600, MarkdownRenderer()

    def sleep_then_render() -> object:
        time.sleep(render_guard.FALLBACK_GRACE_SECONDS + 0.1)  # past the deadline and grace
        return renderer.render_body(text)

    with pytest.raises(RenderTimeout) as raised:
        within(0.01, sleep_then_render)
    assert traceback.extract_tb(raised.value.__traceback__)[-1].name == "check_deadline"
    assert render_guard.fallbacks == fallbacks


# --- The garbage collector's callbacks and finalizers are never cut off -----------------------

RENDERS = 300
TINY_DEADLINE = 0.004
CALLBACK_LOOPS = 5_000  # Python steps in each callback and finalizer


class _Counts:
    """How many callbacks and finalizers started and how many ran to their end."""

    def __init__(self) -> None:
        self.started = {"gc callback": 0, "finalizer": 0}
        self.ended = {"gc callback": 0, "finalizer": 0}

    def work(self, kind: str) -> None:
        """Count a start, run some Python code (where a pending timeout would land), count
        the end."""
        self.started[kind] += 1
        total = 0
        for number in range(CALLBACK_LOOPS):
            total += number
        self.ended[kind] += 1


_counts = _Counts()


class _Finalized:
    """An object in a reference cycle: the collector runs its finalizer in the render."""

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        _counts.work("finalizer")


def _gc_callback(phase: str, info: dict[str, Any]) -> None:
    """Count the work, then leave new cyclic garbage: the next collection finalizes it."""
    _counts.work("gc callback")
    if phase == "stop":
        for _ in range(3):
            _Finalized()


def test_gc_callbacks_and_finalizers_in_a_render_past_its_deadline_are_never_cut_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The GIL changes hands as often as it can and collections run every few allocations:
    # the rendering thread often runs a callback between the watchdog's look at its frames
    # and a timeout raised from outside. Before, that timeout landed in the callback (cut
    # off, "Exception ignored ... RenderTimeout"); now the render stops at its own checks.
    swallowed: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable))
    render = MarkdownRenderer().render_body
    text = "Some *text*, a [link](/u) and `code`.\n\n" * 40 + "a\n=\n" * 2_000
    global _counts
    _counts = _Counts()
    timeouts = 0
    threshold = gc.get_threshold()
    interval = sys.getswitchinterval()
    gc.collect()
    gc.callbacks.append(_gc_callback)
    gc.set_threshold(5, 5, 5)
    sys.setswitchinterval(2e-5)
    try:
        for _ in range(RENDERS):
            try:
                within(TINY_DEADLINE, render, text)
            except RenderTimeout:
                timeouts += 1
    finally:
        sys.setswitchinterval(interval)
        gc.set_threshold(*threshold)
        gc.callbacks.remove(_gc_callback)
        gc.collect()
    assert timeouts == RENDERS  # every render ran past its deadline
    assert _counts.started["gc callback"] > RENDERS and _counts.started["finalizer"] > RENDERS
    assert _counts.ended == _counts.started
    assert [u.exc_type for u in swallowed if u.exc_type is RenderTimeout] == []
