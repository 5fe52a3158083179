"""The soft deadline's watchdog never leaves a timeout behind once `within` has returned."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import pytest

from editor.render import render_guard
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.render_guard import RenderTimeout, within


def _busy(seconds: float) -> int:
    """Run Python code (where a pending timeout would be raised) for `seconds`."""
    stop, count = time.monotonic() + seconds, 0
    while time.monotonic() < stop:
        count += 1
    return count


def test_a_timeout_raised_while_arming_leaves_no_arming_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A stray timeout raised inside arm(), after the deadline is on the watchdog's heap (a
    # stand-in: the real one needs a race under load, seen once in a long fuzz run), must not
    # leave that deadline armed: it would raise RenderTimeout in this thread every 50 ms.
    watchdog = render_guard._the_watchdog()
    real_notify = watchdog._condition.notify
    calls = []

    def notify_then_raise(n: int = 1) -> None:
        real_notify(n)
        if not calls:
            calls.append(threading.get_ident())
            raise RenderTimeout

    monkeypatch.setattr(watchdog._condition, "notify", notify_then_raise)
    with pytest.raises(RenderTimeout):
        within(0.05, _busy, 0.01)
    monkeypatch.setattr(watchdog._condition, "notify", real_notify)
    assert _busy(0.4) > 0  # no stray timeout after the deadline passed


def test_work_that_overruns_is_stopped_and_work_after_it_is_not() -> None:
    with pytest.raises(RenderTimeout):
        within(0.05, _busy, 5.0)
    assert within(1.0, _busy, 0.01) > 0
    assert _busy(0.2) > 0


# Busy Python code in a module no render runs in: a third-party finalizer or gc callback.
_LIBRARY: dict[str, Any] = {"__name__": "a_library"}
exec(  # noqa: S102 (a stand-in module, made here so that its frames name it)
    "import time\n"
    "def slow_callback(*args):\n"
    "    stop = time.monotonic() + 0.02\n"
    "    while time.monotonic() < stop:\n"
    "        pass\n",
    _LIBRARY,
)


class _Held:
    """An object with a finalizer."""


def _finalizers_then_own_work(seconds: float) -> None:
    """Alternate 20 ms finalizers in the library with 3 ms of this module's own work."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        held = _Held()
        weakref.finalize(held, _LIBRARY["slow_callback"])
        del held  # its finalizer runs now, in this thread
        _busy(0.003)


def _collections_then_own_work(seconds: float) -> None:
    """Alternate garbage collections (a 20 ms callback before and after) with own work."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        gc.collect()
        _busy(0.003)


@pytest.mark.parametrize("work", [_finalizers_then_own_work, _collections_then_own_work])
def test_a_timeout_lands_in_the_guarded_work_never_in_a_finalizer_or_gc_callback(
    monkeypatch: pytest.MonkeyPatch, work: Callable[[float], None]
) -> None:
    # Before, the watchdog raised the timeout wherever the thread was: mostly inside the
    # callbacks here, which swallow it ("Exception ignored in: ..."), and cut them off.
    swallowed: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable))
    gc.callbacks.append(_LIBRARY["slow_callback"])  # the list gc reads: not replaceable
    started = time.monotonic()
    try:
        with pytest.raises(RenderTimeout):
            within(0.05, work, 5.0)
    finally:
        gc.callbacks.remove(_LIBRARY["slow_callback"])
    assert time.monotonic() - started < 5.0  # stopped soon after the deadline all the same
    assert [u.exc_type for u in swallowed if u.exc_type is RenderTimeout] == []


def test_a_markdown_render_that_overruns_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        within(0.1, MarkdownRenderer().render_body, "[" * 20_000 + "\n" + "* * *\n" * 3000)
    assert time.monotonic() - started < 1.5
