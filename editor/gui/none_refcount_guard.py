"""Keeps Python 3.11's None alive under PySide6 6.12, whose void methods drop a reference to it.

Measured with PySide6 6.12.0 on CPython 3.11: every call of a Qt method returning void (for
example `QTextDocument.setModified`, or `QSyntaxHighlighter.setFormat` for each highlighted
block) takes one reference from None without having given one. After a few hundred thousand
such calls (opening a 10 MB post, or hours of typing) None's count reaches zero and Python
aborts with "none_dealloc: deallocating None". Since Python 3.12 None is immortal and this
does not happen. On 3.11 we give None a reference count so large that no session can use it
up; None is never freed anyway, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

RESERVE = 1 << 48  # about 2.8e14 calls: centuries of typing


def protect_none() -> bool:
    """Give None a large reference reserve on Python < 3.12; tell whether it was given."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if sys.getrefcount(None) > RESERVE:
        return False  # given already
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field
    refcount.value += RESERVE
    log.debug("gave None a reference reserve (PySide6 void methods drop references to it)")
    return True
