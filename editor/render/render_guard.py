"""Deadlines for rendering: a soft one in this process, a hard one in a worker process (no Qt).

Python-Markdown goes quadratic (or worse) on some inputs: a line of `[`, setext headings,
`* * *` lines, `<div ` runs. A render first runs here under a soft deadline. When it passes, a
watchdog thread marks the rendering thread late, and the render stops itself: its own hot loops
(the block parser, the inline patterns, the raw-HTML pass, Pygments' tokens: see
`deadline_checks`) call `check_deadline`, which raises `RenderTimeout` from render code. Only
when the thread has run `FALLBACK_GRACE_SECONDS` of its own CPU time past the deadline without
reaching a check does the watchdog raise the timeout in it from outside (Python code stops at
the next bytecode), and then only while that thread runs the guarded render's own code, never
inside a finalizer or garbage-collector callback that happens to run in the thread meanwhile
(which would swallow it, or be cut off itself; a callback that starts between the watchdog's
look at the frames and the raise can still take it: the fallback is rare for that reason).
What overran, or is too long to try here, runs again in `RenderWorker`, a reused child process
with a hard deadline (killed when it passes) and a cap on its address space.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

SOFT_SECONDS = 0.25  # a block renders here for at most this long before going to the worker
WORKER_DIRECT_CHARS = 32_000  # longer blocks go to the worker at once (no wasted soft attempt)
HARD_BASE_SECONDS = 2.0  # the worker's deadline: this much...
HARD_SECONDS_PER_CHAR = 20e-6  # ...plus this much per character (5x a normal render's rate)
WORKER_MEMORY_BYTES = 768 * 1024 * 1024  # address space the worker may add to its start-up size
REFIRE_SECONDS = 0.05  # a timeout swallowed all the same (see _interruptible) is raised again
# CPU time a late render thread may still run without reaching a `check_deadline` before the
# watchdog raises the timeout in it from outside (time it waits for the CPU does not count)
FALLBACK_GRACE_SECONDS = 0.15
RETRY_SECONDS = 0.002  # a thread past its deadline outside the render's code: asked again
# The modules a render runs in: Python-Markdown, its extensions, Pygments, the renderer and the
# standard modules they parse with. A timeout lands only while every frame of the thread above
# `within` is in one of them (or in the guarded function's own module).
RENDER_MODULES = (
    "markdown",
    "pymdownx",
    "pygments",
    "editor.render",
    "re",
    "html",
    "_markupbase",
    "xml.etree",
    "string",
    "textwrap",
    "collections",
    "functools",
    "copy",
    "enum",
    "typing",
    "codecs",
    "encodings",
    "posixpath",
    "urllib.parse",
)
_NOT_RENDERING = ("editor.render.render_guard",)
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x200  # CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR


class RenderTimeout(BaseException):
    """Raised in a rendering thread when its soft deadline passes (a BaseException, so that
    no `except Exception` in Markdown code swallows it)."""


class TooSlowToRender(Exception):
    """A render overran its hard deadline or memory cap, or nests too deeply."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "slow", "memory" or "deep"


def hard_deadline(chars: int) -> float:
    """Return the worker's deadline in seconds for rendering `chars` characters."""
    return HARD_BASE_SECONDS + chars * HARD_SECONDS_PER_CHAR


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make `exception` pending in a thread (None clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


@dataclass(eq=False)
class _Arming:
    """One armed deadline of one thread."""

    thread_id: int
    deadline: float
    own_module: str = ""  # the guarded function's module (its frames count as the render's)
    armed: bool = True
    late: bool = False  # the deadline passed: the render's checks raise
    late_cpu: float = 0.0  # the thread's CPU time when it was marked late
    fired: bool = False  # the fallback raised the timeout from outside


# Threads whose armed deadline has passed, each with its arming: what `check_deadline` reads.
# Empty nearly always, so that a check costs one truth test of a module global.
late_threads: dict[int, _Arming] = {}
fallbacks = 0  # timeouts raised from outside (the fallback) in this process, for tests


def check_deadline() -> None:
    """Raise RenderTimeout in a render whose deadline has passed (the cooperative check)."""
    if late_threads and threading.get_ident() in late_threads:
        raise RenderTimeout


def _cpu_time(thread_id: int) -> float:
    """Return the CPU time a thread has used (wall-clock time where a thread's is unknown)."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(thread_id))
    except (AttributeError, OSError):  # no per-thread clocks here
        return time.monotonic()


def _in_module(name: str, modules: tuple[str, ...]) -> bool:
    """Tell whether a module name is one of `modules` or inside one of them."""
    return any(name == module or name.startswith(module + ".") for module in modules)


def _interruptible(arming: _Arming) -> bool:
    """Tell whether the armed thread now runs the guarded render's own code.

    Every frame above `within` must be in a module a render runs in, none a `__del__`, and
    the top one no generator (one being closed by the garbage collector swallows what is
    raised in it). The thread waits for the interpreter lock where it stopped, and a pending
    exception is raised there first thing when it takes the lock back: in the frame seen here.
    """
    frame = sys._current_frames().get(arming.thread_id)
    if frame is None or frame.f_code.co_flags & _GENERATOR_FLAGS:
        return False
    own = (arming.own_module,) if arming.own_module else ()
    while frame is not None:
        code = frame.f_code
        if code is _WITHIN_CODE:
            return True
        name = str(frame.f_globals.get("__name__", ""))
        if (
            code.co_name == "__del__"
            or _in_module(name, _NOT_RENDERING)
            or not (_in_module(name, RENDER_MODULES) or _in_module(name, own))
        ):
            return False
        frame = frame.f_back
    return False  # not inside `within` (cannot happen while armed)


class _Watchdog:
    """One daemon thread that raises RenderTimeout in threads whose deadline passed."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, _Arming]] = []
        self._count = itertools.count()
        self._thread = threading.Thread(target=self._run, name="render-watchdog", daemon=True)
        self._thread.start()

    def arm(self, arming: _Arming) -> None:
        """Arm a deadline (the caller disarms it in a `finally` begun before this call)."""
        with self._condition:
            heapq.heappush(self._heap, (arming.deadline, next(self._count), arming))
            self._condition.notify()

    def disarm(self, arming: _Arming) -> None:
        """Disarm; a timeout that fired but is not raised yet is cleared (the work finished).

        The caller sets `arming.armed = False` first, with no call in between (no bytecode
        there checks for pending exceptions): from then on nothing fires again, and the lock
        waits out a firing under way, whose exception this clears.
        """
        arming.armed = False
        with self._condition:
            if late_threads.get(arming.thread_id) is arming:
                del late_threads[arming.thread_id]
            if arming.fired:
                _raise_in(arming.thread_id, None)

    def _run(self) -> None:
        """Wait for the earliest deadline; mark it late if still armed, later fire it."""
        with self._condition:
            while True:
                while self._heap and not self._heap[0][2].armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                arming = heapq.heappop(self._heap)[2]
                next_time = self._next_step(arming)
                heapq.heappush(self._heap, (next_time, next(self._count), arming))

    def _next_step(self, arming: _Arming) -> float:
        """Act on an armed deadline that is due (under the lock); return when to look again.

        First the thread is marked late (its render's checks raise); once it has run the
        grace's CPU time since, the timeout is raised in it from outside (the fallback).
        """
        now = time.monotonic()
        if not arming.late:
            arming.late = True
            arming.late_cpu = _cpu_time(arming.thread_id)
            late_threads[arming.thread_id] = arming
            return now + FALLBACK_GRACE_SECONDS
        used = _cpu_time(arming.thread_id) - arming.late_cpu
        if not arming.fired and used < FALLBACK_GRACE_SECONDS:  # it waited for the CPU
            return now + max(FALLBACK_GRACE_SECONDS - used, RETRY_SECONDS)
        if not _interruptible(arming):  # in a finalizer, a gc callback, logging...
            return now + RETRY_SECONDS  # once it is back
        global fallbacks
        if not arming.fired:
            fallbacks += 1
            log.debug("a render reached no deadline check: its timeout is raised from outside")
        arming.fired = True
        _raise_in(arming.thread_id, RenderTimeout)
        return time.monotonic() + REFIRE_SECONDS  # until disarmed: again if swallowed


_watchdog: _Watchdog | None = None
_watchdog_lock = threading.Lock()


def _the_watchdog() -> _Watchdog:
    """Return the process's watchdog, started on first use."""
    global _watchdog
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = _Watchdog()
        return _watchdog


def within(seconds: float, function: Callable[..., T], *args: Any) -> T:
    """Return `function(*args)`, or raise RenderTimeout once it runs longer than `seconds`."""
    watchdog = _the_watchdog()
    own_module = str(getattr(function, "__module__", "") or "")
    arming = _Arming(threading.get_ident(), time.monotonic() + seconds, own_module)
    try:
        # armed inside the try: a stray timeout raised in arm() (once pushed) would otherwise
        # leave an arming no one disarms, raising RenderTimeout every 50 ms in this thread for
        # good (seen in long fuzz runs at load 11: raised in the worker wait, and at exit)
        watchdog.arm(arming)
        return function(*args)
    finally:
        arming.armed = False  # first, before any call (see _Watchdog.disarm)
        watchdog.disarm(arming)


_WITHIN_CODE = within.__code__


def soft_then_worker(chars: int, here: Callable[[], T], in_worker: Callable[[float], T]) -> T:
    """Render here under the soft deadline; if it overruns (or is long), in the worker.

    Raises TooSlowToRender when the worker overruns its hard deadline or its memory, or
    when the render nests too deeply for Python-Markdown (either way).
    """
    if chars <= WORKER_DIRECT_CHARS:
        try:
            return within(SOFT_SECONDS, here)
        except RenderTimeout:
            log.info(
                "a render of %d characters overran %.2f s: the worker takes it", chars, SOFT_SECONDS
            )
        except RecursionError:
            raise TooSlowToRender("deep") from None
    return in_worker(hard_deadline(chars))
