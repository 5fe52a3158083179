"""GUI test set-up: QtWebEngine must be imported before the QApplication exists."""

from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede QApplication creation)
