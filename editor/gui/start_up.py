"""Work the window's first screen does not need, started once that screen is up.

The window shows its panes and the post's preview first; what only a later click needs (the
publishing room: blog clients, accounts, the outbox) is built right after, or at once when the
writer uses it before then (see `PublishingRoom`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from editor.gui.preview import PreviewView

log = logging.getLogger(__name__)

# After the preview first shows a post: time for its frame to reach the screen first.
SETTLE_MS = 100
# After the window is shown, when no post comes to the preview (none to open, or a slow one).
FALLBACK_MS = 1500


class AfterFirstScreen(QObject):
    """Runs `job` once: SETTLE_MS after the preview first shows a post's text (`shows_text`),
    or FALLBACK_MS after the window is first shown, whichever comes first; never once the
    window is closed (`cancel`)."""

    def __init__(
        self,
        window: QWidget,
        preview: PreviewView,
        shows_text: Callable[[], bool],
        job: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._preview = preview
        self._shows_text = shows_text
        self._job: Callable[[], None] | None = job
        self._settling = False  # the preview shows a post: the job runs SETTLE_MS from then
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        preview.body_applied.connect(self._preview_applied)
        window.installEventFilter(self)
        self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Start the fallback wait when the window is first shown."""
        if (
            watched is self._window
            and event.type() == QEvent.Type.Show
            and self._job is not None
            and not self._timer.isActive()
        ):
            self._timer.start(FALLBACK_MS)
        return False

    def _preview_applied(self, _serial: int) -> None:
        """The preview shows a render: once it is a post's text, run the job shortly."""
        if self._job is not None and not self._settling and self._shows_text():
            self._settling = True
            self._timer.start(SETTLE_MS)

    def _run(self) -> None:
        """Run the job (once), unless the window was closed meanwhile."""
        job, self._job = self._job, None
        self._stop_watching()
        if job is not None and self._window.isVisible():
            job()

    def cancel(self) -> None:
        """The window closes: never run the job (what it builds is built on use instead)."""
        self._job = None
        self._timer.stop()
        self._stop_watching()

    @property
    def pending(self) -> bool:
        """Tell whether the job is still to run."""
        return self._job is not None

    def _stop_watching(self) -> None:
        """Stop listening to the preview and the window (once)."""
        if not self._watching:
            return
        self._watching = False
        self._preview.body_applied.disconnect(self._preview_applied)
        self._window.removeEventFilter(self)
