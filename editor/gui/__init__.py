"""The PySide6 window around the pure layers.

Here: the window, its menus, the workers, the message box. Panes, dialogs and controllers live
in rooms (`editing`, `inserting`, `preview`, `document`, `sidebar`, `safety`, `publishing`),
each entered only through its `__init__`; tests/test_import_graph.py holds them to that.
"""

from editor.gui.module_sources import forget_module_sources
from editor.gui.none_refcount_guard import protect_singletons

# Before any Qt call from this package: PySide6 6.12 on Python 3.11 drops a reference to None
# in every void method call and one to True in every signal emit (see none_refcount_guard). One
# place covers the app, the tests and the benchmarks alike.
protect_singletons()
# PySide6 reads the source of every module imported after it, and linecache would keep it all
# (about 19 MiB): see module_sources.
forget_module_sources()
