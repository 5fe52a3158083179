"""PySide6 6.12 on Python 3.11 drops a reference to None in each void method call and one to
True in each signal emit: the guard the app installs at start keeps them from ever aborting
Python ("deallocating None", "deallocating True or False")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from editor.gui.none_refcount_guard import RESERVE, protect_singletons

GUARD = "from editor.gui.none_refcount_guard import protect_singletons\nprotect_singletons()"
# Many more void calls than None has references: what highlighting a 10 MB post does.
CALLS = """
import sys
from PySide6.QtGui import QTextDocument
{guard}
document = QTextDocument()
for _ in range(3 * min(sys.getrefcount(None), 1_000_000)):
    document.setModified(False)
print("survived")
"""


def run_calls(guard: str) -> subprocess.CompletedProcess:
    code = CALLS.format(guard=guard)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal since Python 3.12")
def test_void_qt_calls_without_the_guard_abort_python() -> None:
    result = run_calls("")
    if result.returncode == 0:
        pytest.skip("this PySide6 keeps None's references right: the guard is not needed")
    assert "deallocating None" in result.stderr


def test_with_the_guard_as_the_app_installs_it_they_never_do() -> None:
    result = run_calls(GUARD)
    assert result.returncode == 0 and "survived" in result.stdout, result.stderr[-2000:]


def test_the_guard_is_given_once() -> None:
    protect_singletons()
    assert protect_singletons() is False
    assert sys.version_info >= (3, 12) or all(
        sys.getrefcount(singleton) > RESERVE for singleton in (None, True, False)
    )


EMITS = """
import sys
from PySide6.QtCore import QObject, Signal
{guard}
class Sender(QObject):
    said = Signal(object)
sender = Sender()
for _ in range(3 * min(sys.getrefcount(True), 1_000_000)):
    sender.said.emit(1)
print("survived")
"""


def run_emits(guard: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", EMITS.format(guard=guard)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal since Python 3.12")
def test_signal_emits_without_the_guard_abort_python() -> None:
    result = run_emits("")
    if result.returncode == 0:
        pytest.skip("this PySide6 keeps True's references right: the guard is not needed")
    assert "deallocating True or False" in result.stderr


def test_signal_emits_with_the_guard_never_do() -> None:
    result = run_emits(GUARD)
    assert result.returncode == 0 and "survived" in result.stdout, result.stderr[-2000:]
