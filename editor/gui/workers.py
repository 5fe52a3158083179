"""Background work for the window: pure calls run on a thread pool and report on the GUI thread."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)


class _ResultPost(QObject):
    """The one object, on the GUI thread, through which every background result arrives.

    A task owns no Qt object of its own: a task's last reference may be dropped on its worker
    thread (or by Python's cycle collector, which runs on whichever thread allocates), and a Qt
    object of the GUI thread destroyed on another thread can crash the application (issue 15: 8).
    This object lives as long as the module; tasks only post to it.
    """

    arrived = Signal(object)  # the Task that finished

    def __init__(self) -> None:
        super().__init__()
        self.arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, task: Task) -> None:
        """Hand a finished task's outcome to its callback, on the GUI thread."""
        task.deliver()


_result_post: _ResultPost | None = None


def _post() -> _ResultPost:
    """The result post, made on first use (on the GUI thread, where tasks are made)."""
    global _result_post
    if _result_post is None:
        _result_post = _ResultPost()
        app = QCoreApplication.instance()
        if app is not None and _result_post.thread() != app.thread():
            _result_post.moveToThread(app.thread())
    return _result_post


def _receiver_gone(callback: Callable[..., Any]) -> bool:
    """True when the callback is a method of a Qt object already deleted (its window closed)."""
    while isinstance(callback, functools.partial | _WithoutTag):
        callback = callback.func
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


class Task(QRunnable):
    """Runs one pure call off the GUI thread; catches every error and reports it on the GUI thread.

    `on_success(result, tag)` or `on_failure(error, tag)` is called on the GUI thread; neither is
    called when it is a method of a Qt object deleted meanwhile. Until then the task keeps itself
    alive (the pool does not own it); its callbacks and call are dropped on the GUI thread.
    """

    def __init__(
        self,
        function: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any, Any], None],
        on_failure: Callable[[Exception, Any], None],
        tag: Any = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Qt must not delete what Python owns
        self._post = _post()
        self._function: Callable[..., Any] | None = function
        self._args: tuple[Any, ...] = args
        self._on_success: Callable[[Any, Any], None] | None = on_success
        self._on_failure: Callable[[Exception, Any], None] | None = on_failure
        self._tag = tag
        self._outcome: tuple[bool, Any] | None = None
        _live_tasks.add(self)

    def run(self) -> None:
        """Run the call on the worker thread, then post the task back to the GUI thread."""
        function = self._function
        if function is None:
            return
        try:
            self._outcome = (True, function(*self._args))
        except Exception as error:  # noqa: BLE001 (reported to the GUI, never lost)
            log.debug("background task failed: %r", error)
            self._outcome = (False, error)
        del function
        try:
            self._post.arrived.emit(self)
        except RuntimeError as error:  # the post was deleted with the application
            log.debug("a background result came after the application quit: %s", error)

    def deliver(self) -> None:
        """On the GUI thread: call the callback with the outcome, then let go of everything."""
        _live_tasks.discard(self)
        outcome, self._outcome = self._outcome, None
        on_success, on_failure = self._on_success, self._on_failure
        self._function = self._on_success = self._on_failure = None
        self._args = ()
        if outcome is None or on_success is None or on_failure is None:
            return
        succeeded, value = outcome
        callback: Callable[[Any, Any], None] = on_success if succeeded else on_failure
        if _receiver_gone(callback):
            log.debug("a background result came after its window closed; dropped")
            return
        callback(value, self._tag)


class _WithoutTag:
    """Calls a one-argument callback with a task's value, leaving out the tag."""

    def __init__(self, callback: Callable[[Any], None]) -> None:
        self.func = callback

    def __call__(self, value: Any, _tag: Any) -> None:
        self.func(value)


_live_tasks: set[Task] = set()  # each task, from its start until its outcome is delivered
_network_pool: QThreadPool | None = None
NETWORK_THREADS = 8  # they mostly wait on sockets; each network call has its own deadline


def network_pool() -> QThreadPool:
    """The pool for work that waits on the network, apart from the shared pool that saves,
    opens and lists files: a slow server never makes file work queue behind it."""
    global _network_pool
    if _network_pool is None:
        _network_pool = QThreadPool()
        _network_pool.setObjectName("draftpress-network")
        _network_pool.setMaxThreadCount(NETWORK_THREADS)
        app = QCoreApplication.instance()
        if app is not None:  # quitting never waits for a slow page to answer
            # imported with the first network work: httpx is not needed to show the window
            from editor.publish.page_fetch import cancel_page_fetches

            app.aboutToQuit.connect(cancel_page_fetches)
    return _network_pool


def run_in_background(
    function: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> Task:
    """Start `function(*args)` on a pool thread; the callbacks run on the GUI thread (and not at
    all when they are methods of a Qt object deleted meanwhile, e.g. a closed window's)."""
    task = Task(
        function, *args, on_success=_WithoutTag(on_success), on_failure=_WithoutTag(on_failure)
    )
    (pool or QThreadPool.globalInstance()).start(task)
    return task


class LatestOnlyRunner(QObject):
    """Runs a function on the newest input only: one call in flight, a short debounce, newest wins.

    `submit(value)` (re)starts the debounce timer; when it fires, the newest value is handed to
    the function on a private one-thread pool. Values submitted while a call runs replace each
    other; when the call ends, the newest one runs next. `finished(result, serial)` and
    `failed(error, serial)` report each run with the serial number `submit` returned.
    """

    finished = Signal(object, int)
    failed = Signal(object, int)

    def __init__(
        self, function: Callable[[Any], Any], debounce_ms: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._function = function
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start_pending)
        self._pending: tuple[Any, int] | None = None
        self._running: Task | None = None
        self._serial = 0

    def submit(self, value: Any, *, immediately: bool = False) -> int:
        """Queue `value` as the newest input and return its serial number."""
        self._serial += 1
        self._pending = (value, self._serial)
        if immediately:
            self._timer.stop()
            self._start_pending()
        else:
            self._timer.start()
        return self._serial

    def _start_pending(self) -> None:
        """Start the newest pending input unless a call is still running."""
        if self._running is not None or self._pending is None:
            return
        value, serial = self._pending
        self._pending = None
        task = Task(
            self._function, value, tag=serial, on_success=self._succeeded, on_failure=self._failed
        )
        self._running = task
        self._pool.start(task)

    def _succeeded(self, result: Any, serial: int) -> None:
        """Report a finished call (runs on this object's thread)."""
        self._done(serial, result, None)

    def _failed(self, error: Exception, serial: int) -> None:
        """Report a failed call (runs on this object's thread)."""
        self._done(serial, None, error)

    def _done(self, serial: int, result: Any, error: Exception | None) -> None:
        """Report one finished call and start the next pending input, if any."""
        self._running = None
        if error is None:
            self.finished.emit(result, serial)
        else:
            log.warning("background call failed: %s", error)
            self.failed.emit(error, serial)
        if self._pending is not None and not self._timer.isActive():
            self._start_pending()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until the pool is idle (for shutdown); True if it finished in time."""
        self._timer.stop()
        self._pending = None
        return self._pool.waitForDone(msecs)
