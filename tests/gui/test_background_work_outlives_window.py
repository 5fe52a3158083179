"""A window closed while its background work still runs (issue 15: 8, a segfault once in a GUI
test's teardown with a worker thread inside `Task.run`).

The hazard: a Qt object that belongs to the GUI thread being destroyed on a worker thread, e.g.
by Python's cycle collector, which runs on whichever thread happens to allocate (a pool thread
running a background call too). Every Qt object that background work and its window create must
be destroyed on the GUI thread, however the work, the window and the collector interleave, and
none may outlive them; a result for a window that is gone is dropped, never handed to it.
"""

from __future__ import annotations

import functools
import gc
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.gui.workers import network_pool, run_in_background

ROUNDS = 5
TASKS_PER_ROUND = 6


def _qt_objects() -> dict[int, QObject]:
    """Every live Python wrapper of a Qt object, by id."""
    return {id(obj): obj for obj in gc.get_objects() if isinstance(obj, QObject)}


def _collect_on_a_worker_thread() -> None:
    """Run the cycle collector on a thread other than the GUI's, as a pool thread may."""
    collector = threading.Thread(target=gc.collect, name="collector")
    collector.start()
    collector.join(30)
    assert not collector.is_alive()


def test_window_closed_while_its_background_work_runs(qtbot, library_root: Path) -> None:
    gui_thread = threading.get_ident()
    destroyed_off_gui_thread: list[str] = []

    def record(name: str, *_destroyed: object) -> None:
        if threading.get_ident() != gui_thread:
            destroyed_off_gui_thread.append(name)

    # The collector runs only where this test says: on a thread of its own, as it may run on
    # any pool thread that allocates, and on the GUI thread afterwards.
    gc.disable()
    try:
        for round_number in range(ROUNDS):
            # The first window also makes what the application shares for good (the web
            # profile, the network pool, a style): from the second on, nothing may be left.
            _one_round(qtbot, library_root, record, check_left=round_number > 0)
    finally:
        gc.enable()

    assert destroyed_off_gui_thread == [], (
        "Qt objects of the GUI thread were destroyed on another thread: "
        f"{sorted(set(destroyed_off_gui_thread))}"
    )


def _one_round(qtbot, library_root: Path, record: Callable[..., None], *, check_left: bool) -> None:
    """Open a window, start its work, close and delete it, then let the work end."""
    gc.collect()
    before = set(_qt_objects())
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    win.show()
    qtbot.waitExposed(win)
    release = threading.Event()
    running = threading.Semaphore(0)

    def slow(value: int, release=release, running=running) -> int:
        running.release()
        assert release.wait(20), "the test never released the background call"
        return value

    def failing(_value: int, release=release, running=running) -> int:
        running.release()
        assert release.wait(20), "the test never released the background call"
        raise OSError("the disk went away")

    for index in range(TASKS_PER_ROUND):
        # Callbacks bound to the window, as the window's own code passes them; half on the
        # network pool, half on the shared one; half of them fail.
        run_in_background(
            failing if index % 2 else slow,
            index,
            on_success=win.setWindowTitle,
            on_failure=win.setWindowTitle,
            pool=network_pool() if index % 3 else None,
        )
    made = [obj for key, obj in _qt_objects().items() if key not in before]
    for obj in made:
        obj.destroyed.connect(
            functools.partial(record, type(obj).__name__), Qt.ConnectionType.DirectConnection
        )
    # The one object through which all results arrive lives as long as the application.
    alive = [weakref.ref(obj) for obj in made if type(obj).__name__ != "_ResultPost"]
    del made, obj

    # Wait until every pool thread is inside its call, then close and delete the window.
    threads = QThreadPool.globalInstance().maxThreadCount() + network_pool().maxThreadCount()
    for _ in range(min(TASKS_PER_ROUND, threads)):
        assert running.acquire(timeout=20)
    win.editor.document().setModified(False)
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(win)
    del win

    # The work ends after its window. Its results come back to the GUI thread, delivered while
    # the workers may still be leaving `run`, then once they all have...
    release.set()
    pools = (QThreadPool.globalInstance(), network_pool())
    while any(pool.activeThreadCount() for pool in pools):
        QCoreApplication.sendPostedEvents()
    assert all(pool.waitForDone(30000) for pool in pools)
    QCoreApplication.sendPostedEvents()
    # ...and the collector runs on another thread, then on the GUI thread.
    _collect_on_a_worker_thread()
    QCoreApplication.sendPostedEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    # Nothing of the window or its work is left behind (a task and the object that relayed its
    # result once kept each other, and the closed window's callbacks, alive for good).
    left = [type(ref()).__name__ for ref in alive if ref() is not None and shiboken6.isValid(ref())]
    assert not check_left or left == [], (
        f"Qt objects outlived their window and its work: {sorted(set(left))}"
    )
