"""A notification that a post went out while the writer was doing something else.

It shows in the system tray's balloon where the desktop has a tray (QSystemTrayIcon), and
nowhere else: the status bar line is the caller's. Never a modal box over the writer's work.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QSystemTrayIcon, QWidget

log = logging.getLogger(__name__)

SHOWN_FOR_MS = 8000


class SentNotice:
    """Shows 'sent' notifications through a tray icon made on first use, if there is a tray."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.tray: QSystemTrayIcon | None = None

    def available(self) -> bool:
        """Tell whether this desktop shows tray notifications."""
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def show(self, title: str, text: str) -> bool:
        """Show a notification if the desktop can; return whether it was shown."""
        if not self.available():
            log.info("no system tray: only the status bar says %r", text)
            return False
        if self.tray is None:
            self.tray = QSystemTrayIcon(self.window.windowIcon(), self.window)
            self.tray.setToolTip("Draftpress")
        self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, SHOWN_FOR_MS)
        return True
