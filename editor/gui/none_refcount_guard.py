"""Keeps Python 3.11's None, True and False alive under PySide6 6.12, which drops references.

Measured with PySide6 6.12.0 on CPython 3.11: every call of a Qt method returning void (for
example `QTextDocument.setModified`, or `QSyntaxHighlighter.setFormat` for each highlighted
block) takes one reference from None without having given one. After a few hundred thousand
such calls (opening a 10 MB post, or hours of typing) None's count reaches zero and Python
aborts with "none_dealloc: deallocating None". Likewise every `Signal.emit()` takes one
reference from True (measured: 100 emits, True's count 100 lower; "bool_dealloc: deallocating
True or False" once it reaches zero), and each background result is an emit on a worker thread.
Since Python 3.12 these objects are immortal and this does not happen. On 3.11 we give None,
True and False a reference count so large that no session can use it up; they are never freed
anyway, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

RESERVE = 1 << 48  # about 2.8e14 calls: centuries of typing


SINGLETONS = (None, True, False)


def protect_singletons() -> bool:
    """Give None, True and False a large reference reserve on Python < 3.12; tell if given."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    given = False
    for singleton in SINGLETONS:
        if sys.getrefcount(singleton) > RESERVE:
            continue  # given already
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt, the first field
        refcount.value += RESERVE
        given = True
    if given:
        log.debug("gave None, True and False a reference reserve (PySide6 drops references)")
    return given
