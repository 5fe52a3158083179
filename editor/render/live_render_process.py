"""The live preview's renderer in a child process, so that rendering never holds the window's
interpreter lock (no Qt).

One child per app process holds an `EditApplier` (an `IncrementalRenderer` and its text) per
live preview. The window sends each batch of edits (positions, removed counts, added text: not
the whole text, except for a resync); the child answers with the `LiveResult` (the delta of the
preview's pieces, or all of them; `packed` for the pipe, never the text). A sender thread
writes to the pipe and a reader thread reads from it, so the window's thread never waits on the
child; each answer is handed to the preview's callback on the reader thread (the Qt side turns
it into a signal). If the child dies, every preview is told ("died") and the next batch starts a
new child; the preview then resyncs from its text. The child renders one batch at a time for
every preview: a preview closed while its batch renders (a window closed during a long post's
first render) has the child replaced at once, rather than letting the other previews wait
seconds for a render nobody will see.

The child is started with `spawn` (a fork of a process running Qt is unsafe); the frozen build's
entry point calls `multiprocessing.freeze_support()` for it, as for the render worker.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import gc
import itertools
import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

from editor.render import render_guard
from editor.render.live_edits import (
    HEAD_FIRST_CHARS,
    Edit,
    EditApplier,
    LiveResult,
    Resync,
    new_renderer,
    packed,
    release_free_memory,
    unpacked,
)
from editor.render.preview_render import PostDetails, post_details
from editor.render.spawned import spawn_context

log = logging.getLogger(__name__)

# What a preview's callback gets: ("rendered" | "head", LiveResult), ("failed", message) after
# an error in the child (its applier is new: resync), ("died", None) when the child is gone.
Answer = tuple[str, Any]
Listener = Callable[[Answer], None]

_STOP = None  # put on the sender's queue: close the pipe
# In place of a batch's operations: read the post details of the text sent with it,
# `(0, DETAILS, request, text)`, answered `(0, "details", (request, PostDetails | message))`.
DETAILS = "details"
# The child's interpreter lock changes hands this often while its details thread counts
# words beside a render (the render waits at most this long for it).
CHILD_SWITCH_INTERVAL_S = 0.001
# The render deadlines travel with each batch, so that the child gives up where this process
# would (tests shorten them here).
GUARD_SETTINGS = (
    "SOFT_SECONDS",
    "WORKER_DIRECT_CHARS",
    "HARD_BASE_SECONDS",
    "HARD_SECONDS_PER_CHAR",
    "FALLBACK_GRACE_SECONDS",
)


# Rendered once as the child starts: what Python-Markdown, its extensions and Pygments import or
# build on first use (about 0.1 s) is done before the first post arrives.
WARM_UP_TEXT = (
    "---\ntitle: Warm-up\n---\n# Heading\n\n[TOC]\n\nSome *text*, `code` and a note[^1].\n\n"
    "```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> A quote\n\n- item\n\n"
    "Term\n:   Its definition\n\n/// caption\nA caption\n///\n\n[^1]: The note.\n"
)


def warm_up() -> None:
    """Render a sample once, then freeze what exists (modules, the renderer's tables): the
    garbage collector no longer walks them at each full collection during a long render."""
    new_renderer().render(WARM_UP_TEXT)
    gc.collect()
    gc.freeze()


class _DetailsReader:
    """In the child: reads post details (front matter, word count) on a thread of its own, in
    the order asked, so a render never waits for a whole post's word count (a tenth of a
    second at 1 MB), and the window's process never runs that count beside its GUI thread."""

    def __init__(self, send: Callable[[Any], None]) -> None:
        self._send = send
        self._asked: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def ask(self, request: int, text: str) -> None:
        """Queue a request; its answer is sent when read."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="post-details", daemon=True)
            self._thread.start()
        self._asked.put((request, text))

    def _run(self) -> None:
        """The thread: answer each request in turn."""
        while True:
            request, text = self._asked.get()
            outcome: PostDetails | str
            try:
                outcome = post_details(text)
            except Exception as error:  # noqa: BLE001 (reported to the window)
                outcome = f"{type(error).__name__}: {error}"
            del text
            try:
                self._send((0, "details", (request, outcome)))
            except (OSError, ValueError):
                return  # the window's process went away


def serve(commands: Connection, answers: Connection) -> None:
    """The child's loop: apply each batch to its preview's applier and send the result."""
    if hasattr(os, "setpgid"):  # its own process group: replaced, it goes with its render worker
        os.setpgid(0, 0)
    sys.setswitchinterval(CHILD_SWITCH_INTERVAL_S)
    warm_up()
    appliers: dict[int, EditApplier] = {}
    sending = threading.Lock()  # the details thread answers through the same pipe

    def send(answer: Any) -> None:
        with sending:
            answers.send(answer)

    details = _DetailsReader(send)

    def applier_for(key: int) -> EditApplier:
        applier = appliers.get(key)
        if applier is None:
            applier = appliers[key] = EditApplier()
            applier.on_head = lambda head: send((key, "head", packed(head)))
        return applier

    while True:
        try:
            message = commands.recv()
        except (EOFError, OSError):
            return  # the window's process closed the pipe or went away
        key, operations, serial, deadlines = message
        if operations == DETAILS:
            details.ask(serial, deadlines)  # the request's number and its text
            del message, deadlines
            continue
        if operations is None:  # the preview was closed
            appliers.pop(key, None)
            continue
        for name, value in zip(GUARD_SETTINGS, deadlines, strict=True):
            setattr(render_guard, name, value)
        try:
            answer: tuple[int, str, Any] = (
                key,
                "rendered",
                packed(applier_for(key).apply(operations, serial)),
            )
        except Exception as error:  # noqa: BLE001 (reported to the window, which resyncs)
            log.warning("the live render failed", exc_info=True)
            appliers.pop(key, None)
            answer = (key, "failed", f"{type(error).__name__}: {error}")
        send(answer)
        long_text = any(
            isinstance(operation, Resync) and len(operation.text) > HEAD_FIRST_CHARS
            for operation in operations
        )
        del message, operations, answer  # the text and the packed pieces: freed before the trim
        if long_text:  # a long render from scratch allocated and freed a lot: give it back
            release_free_memory()


class _Outbox:
    """The messages for one child, in order: written at once by the caller when the pipe is
    free and the message small (an edit: no wait for the sender thread to get the interpreter
    lock), otherwise queued for the sender thread (a whole text may fill the pipe and block)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._condition = threading.Condition()
        self._queued: collections.deque[Any] = collections.deque()
        self._writing = False  # a message is being written (by the caller or the sender)

    def put(self, message: Any, small: bool = False) -> None:
        """Send `message` after those before it; now, on this thread, if it is small and the
        pipe is free."""
        with self._condition:
            if not small or self._writing or self._queued:
                self._queued.append(message)
                self._condition.notify()
                return
            self._writing = True
        try:
            self._connection.send(message)
        except (OSError, ValueError):
            pass  # the child is gone: the reader reports it
        finally:
            with self._condition:
                self._writing = False
                if self._queued:  # else the sender thread is not woken: it would take the
                    self._condition.notify()  # interpreter lock from the GUI thread per key

    def stop(self) -> None:
        """Close the pipe once what is queued is written (the child then ends)."""
        self.put(_STOP)

    def run(self) -> None:
        """The sender thread: write queued messages until told to stop."""
        try:
            while True:
                with self._condition:
                    while self._writing or not self._queued:
                        self._condition.wait()
                    message = self._queued.popleft()
                    if message is _STOP:
                        return
                    self._writing = True
                try:
                    self._connection.send(message)
                finally:
                    with self._condition:
                        self._writing = False
                        self._condition.notify()
        except (OSError, ValueError):
            return  # the child is gone: the reader reports it
        finally:
            self._connection.close()  # the child reads the end of its commands and ends


# An edit batch this small is written by the window's thread itself (the pipe holds 64 KiB).
SMALL_BATCH_CHARS = 8_000
# How long a caller of `post_details` waits for the child (a render of a long post may be
# under way before it) before it reads the details itself.
DETAILS_TIMEOUT_S = 60.0


class RenderProcessGone(Exception):
    """The render process could not answer (it ended, or the call failed in it)."""


class LiveRenderProcess:
    """The window process's side of the render child: thread-safe; one child for every preview."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, Listener] = {}
        self._keys = itertools.count(1)
        self._outbox: _Outbox | None = None
        self._process: Any = None
        self._in_flight: dict[int, int] = {}  # batches sent and not answered yet, per preview
        self._closed_at_exit = False
        self._details_asked: dict[int, Future[PostDetails]] = {}  # by request number
        self._requests = itertools.count(1)
        self.starts = 0  # children started (for tests and logs)

    def register(self, listener: Listener) -> int:
        """Add a preview; return its key. `listener` is called on the reader thread."""
        with self._lock:
            key = next(self._keys)
            self._listeners[key] = listener
            return key

    def unregister(self, key: int) -> None:
        """Forget a preview (closed): the child drops its renderer, or is replaced if it is
        rendering for it (the other previews would wait for a render nobody sees)."""
        with self._lock:
            self._listeners.pop(key, None)
            if self._in_flight.pop(key, 0) and self._process is not None:
                retired = self._retire()
            else:
                retired = None
                if self._outbox is not None:
                    self._outbox.put((key, None, 0, ()), small=True)
        if retired is not None:
            log.info("a closed preview's render was under way: the render process is replaced")
            self._end(*retired)

    def prepare(self) -> None:
        """Start the child now (it imports the renderer while the window is being built)."""
        with self._lock:
            if self._outbox is None:
                self._start()

    def send(self, key: int, operations: list[Edit | Resync], serial: int) -> None:
        """Send a batch to the child (started if none runs); never waits for it: a small batch
        is written at once, a large one (a whole text) by the sender thread."""
        with self._lock:
            if self._outbox is None:
                self._start()
            assert self._outbox is not None
            deadlines = tuple(getattr(render_guard, name) for name in GUARD_SETTINGS)
            outbox = self._outbox
            self._in_flight[key] = self._in_flight.get(key, 0) + 1
        small = (
            all(
                isinstance(operation, Edit) and len(operation.added or "") < SMALL_BATCH_CHARS
                for operation in operations
            )
            and len(operations) < 100
        )
        outbox.put((key, operations, serial, deadlines), small=small)

    def post_details(self, text: str, timeout: float = DETAILS_TIMEOUT_S) -> PostDetails:
        """Read `text`'s details in the child and wait for them: call it off the GUI thread.

        The word count of a long post is a tenth of a second of Python: on a thread of the
        window's process it would take the interpreter lock from the GUI thread for that long
        (in 1 ms slices, but a slice the machine preempts stalls the window for a scheduler
        tick). Raises RenderProcessGone if the child ends first, TimeoutError after `timeout`.
        """
        future: Future[PostDetails] = Future()
        with self._lock:
            if self._outbox is None:
                self._start()
            assert self._outbox is not None
            request = next(self._requests)
            self._details_asked[request] = future
            outbox = self._outbox
        try:
            outbox.put((0, DETAILS, request, text))  # by the sender thread: the pipe may fill
            del text
            return future.result(timeout)
        finally:
            with self._lock:
                self._details_asked.pop(request, None)

    def pid(self) -> int | None:
        """The child's process id, if one runs (for tests)."""
        with self._lock:
            return self._process.pid if self._process is not None else None

    def close(self) -> None:
        """Stop the child (the app is quitting)."""
        with self._lock:
            outbox, process = self._outbox, self._process
            self._outbox = self._process = None
            self._in_flight.clear()
            self._fail_details_asked()
        if outbox is not None:
            outbox.stop()
        if process is not None:
            process.join(2)
            if process.is_alive():
                process.kill()
                process.join(2)

    def _retire(self) -> tuple[Any, _Outbox, list[Listener]]:
        """Take the child out of service (the lock is held); return what `_end` needs."""
        process, outbox = self._process, self._outbox
        assert outbox is not None
        self._outbox = self._process = None
        self._in_flight.clear()
        self._fail_details_asked()
        return process, outbox, list(self._listeners.values())

    def _fail_details_asked(self) -> None:
        """Answer every details request not answered yet (the lock is held): their child is
        gone, so their callers read the details themselves."""
        asked, self._details_asked = self._details_asked, {}
        for future in asked.values():
            future.set_exception(RenderProcessGone("the live render process ended"))

    def _end(self, process: Any, outbox: _Outbox, listeners: list[Listener]) -> None:
        """Kill a retired child (its reader thread reaps it) and tell every preview it is gone:
        their renderers were in it, so each sends its whole text to the next child."""
        outbox.stop()
        kill_group = getattr(os, "killpg", None)
        try:  # the child and the render worker it started for a slow block (not left rendering)
            if kill_group is None:
                raise ProcessLookupError
            kill_group(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # no group of its own (yet)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        for listener in listeners:
            listener(("died", None))

    def _start(self) -> None:
        """Start a child and its two pipe threads (the lock is held)."""
        context = spawn_context()
        # One pipe each way: the sender thread closes its end to stop the child while the
        # reader thread may be reading from the other (a Connection is not for two threads).
        commands, to_child = context.Pipe(duplex=False)
        from_child, answers = context.Pipe(duplex=False)
        # Not a daemon: the child starts the render worker for guarded renders. It ends when
        # the pipe closes (this process quits or dies).
        process = context.Process(
            target=serve, args=(commands, answers), name="draftpress-live-render"
        )
        process.start()
        commands.close()
        answers.close()
        outbox = _Outbox(to_child)
        self._outbox, self._process = outbox, process
        self.starts += 1
        if not self._closed_at_exit:  # before multiprocessing joins its children at exit
            atexit.register(self.close)
            self._closed_at_exit = True
        threading.Thread(target=outbox.run, name="live-render-send", daemon=True).start()
        threading.Thread(
            target=self._read,
            args=(from_child, outbox, process),
            name="live-render-read",
            daemon=True,
        ).start()

    def _read(self, connection: Connection, outbox: _Outbox, process: Any) -> None:
        """The reader thread: hand each answer to its preview; report the child's end."""
        while True:
            try:
                key, kind, value = connection.recv()
            except (EOFError, OSError, ValueError):
                break
            with self._lock:
                if self._outbox is not outbox:
                    continue  # retired: its previews were told, and resync in the next child
                if kind == "details":
                    request, outcome = value
                    future = self._details_asked.pop(request, None)
                    if future is not None:
                        if isinstance(outcome, str):
                            future.set_exception(RenderProcessGone(outcome))
                        else:
                            future.set_result(outcome)
                    continue
                listener = self._listeners.get(key)
                if kind != "head" and self._in_flight.get(key, 0) > 0:
                    self._in_flight[key] -= 1
            if listener is None:
                continue
            if kind in ("rendered", "head"):
                value = unpacked(value)  # objects made here, in Python: not one long C call
            listener((kind, value))
        connection.close()
        with self._lock:
            current = self._outbox is outbox
            retired = self._retire() if current else None  # not closed on purpose: it died
        process.join(5)  # reaped, not left a zombie (it has ended, or was killed)
        if retired is None:
            return
        log.warning("the live render process ended (exit code %s)", process.exitcode)
        self._end(*retired)


_shared: LiveRenderProcess | None = None
_shared_lock = threading.Lock()


def shared_render_process() -> LiveRenderProcess:
    """Return the app's live render process handle (its child starts with the first batch)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = LiveRenderProcess()
        return _shared


__all__ = [
    "LiveRenderProcess",
    "LiveResult",
    "RenderProcessGone",
    "serve",
    "shared_render_process",
]
