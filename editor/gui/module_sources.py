"""Module sources read at import are not kept for the whole session.

shiboken6's import hook (its `__feature__` support) asks `inspect.getsource` of every Python
module imported after PySide6 whether the module mentions PySide6, and `linecache` keeps each
file it read, line by line: about 19 MiB of the app's heap for its 550 modules, held as long as
the app runs, with a 1 MB post open (measured with tracemalloc, issue 16). The app uses no
`__feature__`, and linecache is only a cache: a traceback reads the lines it needs again.

`forget_module_sources` puts a finder first on `sys.meta_path` that empties the cache each time
a module is about to be imported (it finds nothing itself), so the cache holds at most the
source of the module imported last.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class SourceForgetter(MetaPathFinder):
    """Empties linecache before each import; finds no module itself."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        """Forget the sources read so far; let the other finders find the module."""
        linecache.clearcache()
        return None


def forget_module_sources() -> None:
    """Empty linecache now and before every later import (installed once per process)."""
    if not any(isinstance(finder, SourceForgetter) for finder in sys.meta_path):
        sys.meta_path.insert(0, SourceForgetter())
    linecache.clearcache()
