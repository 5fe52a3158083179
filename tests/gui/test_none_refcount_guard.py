"""PySide6 6.12 on Python 3.11 drops a reference to None in each void method call: the guard
the app installs at start keeps such calls from ever aborting Python ("deallocating None")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from editor.gui.none_refcount_guard import RESERVE, protect_none

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
    result = run_calls("from editor.gui.none_refcount_guard import protect_none\nprotect_none()")
    assert result.returncode == 0 and "survived" in result.stdout, result.stderr[-2000:]


def test_the_guard_is_given_once() -> None:
    protect_none()
    assert protect_none() is False
    assert sys.version_info >= (3, 12) or sys.getrefcount(None) > RESERVE
