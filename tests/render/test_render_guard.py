"""The soft deadline's watchdog never leaves a timeout behind once `within` has returned."""

from __future__ import annotations

import threading
import time

import pytest

from editor.render import render_guard
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
