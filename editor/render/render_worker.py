"""The render worker: a reused child process that renders with a hard deadline (no Qt).

The child renders blocks, footnotes and whole bodies exactly as this process would (the same
`BlockMarkdown` and `MarkdownRenderer`), with its address space capped. The parent waits for
each answer at most the deadline it is given, then kills the child; the next call starts a new
one. Calls are serialised (one child per process).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from editor.render.block_recording import Reference
from editor.render.render_guard import WORKER_MEMORY_BYTES, TooSlowToRender
from editor.render.spawned import spawn_context

log = logging.getLogger(__name__)

START_SECONDS = 60.0  # how long a new child may take to import the renderer
_READY = "ready"


def _cap_address_space(extra: int) -> None:
    """Limit this process's address space to its current size plus `extra` (POSIX only)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return  # no /proc (macOS, Windows): the deadline still holds
    limit = current + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class _Renderers:
    """The child's renderers, made on first use."""

    def __init__(self) -> None:
        from editor.render.block_markdown import BlockMarkdown
        from editor.render.markdown_renderer import MarkdownRenderer

        self.blocks = BlockMarkdown()
        self.full = MarkdownRenderer()

    def run(self, name: str, args: tuple[Any, ...]) -> Any:
        """Run one named render."""
        if name == "block":
            return self.blocks.render(*args)
        if name == "footnote":
            footnote_id, text, count, context = args
            lookups: dict[str, Reference | None] = {}
            item = self.blocks.render_footnote(footnote_id, text, count, context, lookups)
            return item, lookups
        if name == "body":
            return self.full.render_body(*args)
        raise ValueError(f"unknown render {name!r}")


def serve(connection: Connection, memory: int) -> None:
    """The child's loop: answer ("ok", result), ("deep"|"memory"|"error", message) per call."""
    renderers = _Renderers()
    _cap_address_space(memory)
    connection.send(_READY)
    while True:
        try:
            name, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent went away
        try:
            answer: tuple[str, Any] = ("ok", renderers.run(name, args))
        except RecursionError:
            answer = ("deep", None)
        except MemoryError:
            answer = ("memory", None)
        except Exception as error:  # noqa: BLE001 (sent to the parent, which raises it)
            answer = ("error", f"{type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except MemoryError:
            connection.send(("memory", None))
        if answer[0] == "memory":
            return  # the heap may be in pieces: the parent starts a new child


class RenderWorker:
    """The parent's handle on the render worker child; thread-safe, one call at a time."""

    def __init__(self, memory: int = WORKER_MEMORY_BYTES) -> None:
        self._memory = memory
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None
        self.starts = 0  # children started (for tests and logs)

    def call(self, name: str, args: tuple[Any, ...], deadline: float) -> Any:
        """Run a named render in the child; raise TooSlowToRender past `deadline` seconds."""
        with self._lock:
            connection = self._ensure_started()
            started = time.monotonic()
            try:
                connection.send((name, args))
                if not connection.poll(deadline):
                    log.info("a render overran its %.1f s deadline: worker stopped", deadline)
                    self._stop()
                    raise TooSlowToRender("slow")
                kind, value = connection.recv()
            except (EOFError, OSError) as error:  # the child died (killed for its memory?)
                log.warning("the render worker died: %s", error)
                self._stop()
                raise TooSlowToRender("memory") from None
            log.debug("worker render %s took %.3f s", name, time.monotonic() - started)
            if kind == "ok":
                return value
            if kind in ("deep", "memory"):
                if kind == "memory":
                    self._stop()
                raise TooSlowToRender(kind)
            log.warning("the render worker failed: %s", value)
            raise TooSlowToRender("slow")

    def close(self) -> None:
        """Stop the child, if one runs."""
        with self._lock:
            self._stop()

    def _ensure_started(self) -> Connection:
        """Return the connection to a running child, starting one if needed."""
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._stop()
        context = spawn_context()
        parent, child = context.Pipe()
        process = context.Process(
            target=serve, args=(child, self._memory), name="draftpress-render", daemon=True
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        self.starts += 1
        try:
            ready = parent.poll(START_SECONDS) and parent.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:  # said as a part too slow to show, never a failed render
            self._stop()
            log.warning("the render worker did not start")
            raise TooSlowToRender("slow")
        return parent

    def _stop(self) -> None:
        """Kill the child and forget it."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)


_shared: RenderWorker | None = None
_shared_lock = threading.Lock()


def shared_worker() -> RenderWorker:
    """Return the process's render worker (its child starts on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RenderWorker()
        return _shared
