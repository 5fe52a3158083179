"""The PySide6 window: panes, dialogs and workers around the pure layers."""

from editor.gui.none_refcount_guard import protect_none

# Before any Qt call from this package: PySide6 6.12 on Python 3.11 drops a reference to None
# in every void method call (see none_refcount_guard). One place covers the app, the tests and
# the benchmarks alike.
protect_none()
