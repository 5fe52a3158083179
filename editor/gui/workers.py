"""Background work for the window: pure calls run on a thread pool and report by signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from editor.publish.page_fetch import cancel_page_fetches

log = logging.getLogger(__name__)


class _TaskSignals(QObject):
    """Signals a task emits from its worker thread; Qt queues them to the receiver's thread."""

    succeeded = Signal(object, object)  # result, tag
    failed = Signal(object, object)  # error, tag


class Task(QRunnable):
    """Runs one pure call off the GUI thread; catches every error and reports it by signal."""

    def __init__(self, function: Callable[..., Any], *args: Any, tag: Any = None) -> None:
        super().__init__()
        self.signals = _TaskSignals()
        self._function = function
        self._args = args
        self._tag = tag

    def run(self) -> None:
        """Run the call on the worker thread."""
        try:
            result = self._function(*self._args)
        except Exception as error:  # noqa: BLE001 (reported to the GUI, never lost)
            log.debug("background task failed: %r", error)
            self._report(self.signals.failed, error)
        else:
            self._report(self.signals.succeeded, result)

    def _report(self, signal: Any, value: Any) -> None:
        """Emit a result; after quitting (the app gone) there is no one left to tell."""
        try:
            signal.emit(value, self._tag)
        except RuntimeError as error:  # the signals object was deleted with the application
            log.debug("a background result came after the window closed: %s", error)


class _Relay(QObject):
    """Lives on the GUI thread so that a task's signals are queued there, then calls back."""

    def __init__(
        self, on_success: Callable[[Any], None], on_failure: Callable[[Exception], None]
    ) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure

    def succeeded(self, result: Any, _tag: Any) -> None:
        """Hand a result to the success callback."""
        _live_tasks.discard(self.task)
        self._on_success(result)

    def failed(self, error: Exception, _tag: Any) -> None:
        """Hand an error to the failure callback."""
        _live_tasks.discard(self.task)
        self._on_failure(error)


_live_tasks: set[Task] = set()  # keeps each task (and its relay) alive until it has reported
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
            app.aboutToQuit.connect(cancel_page_fetches)
    return _network_pool


def run_in_background(
    function: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> Task:
    """Start `function(*args)` on a pool thread; the callbacks run on the GUI thread."""
    task = Task(function, *args)
    task.setAutoDelete(False)  # the caller's reference keeps the signals object alive
    task.relay = _Relay(on_success, on_failure)  # type: ignore[attr-defined]
    task.relay.task = task  # type: ignore[attr-defined]
    _live_tasks.add(task)
    task.signals.succeeded.connect(task.relay.succeeded)  # type: ignore[attr-defined]
    task.signals.failed.connect(task.relay.failed)  # type: ignore[attr-defined]
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
        task = Task(self._function, value, tag=serial)
        task.setAutoDelete(False)
        task.signals.succeeded.connect(self._succeeded)
        task.signals.failed.connect(self._failed)
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
