"""The preview page's memory stays flat while the writer types: its garbage is collected.

Every patch parses the changed pieces' HTML and lays them out again; what that leaves behind
(the parser's and the layout's objects, about 0.3 MiB a keystroke in a 100 KB post) is garbage
of the page's collector. The renderer process runs no script of its own between patches, so its
collector's heuristics, which watch the script heap, never see a reason to run: measured, the
process grew from 98 to 306 MiB over 1,000 keystrokes and kept it while idle, and one full
collection brought it back to where it started (issue 16; benchmarks/typing_memory.py).

So once the patches pause (or after many in a row), the page is asked for a major collection,
run incrementally (`execution: 'async'`: the call returns at once, the marking runs in slices
between the page's tasks, so a patch arriving meanwhile is not held up). `gc` exists only when
Chromium starts with `--js-flags=--expose-gc` (added by editor/app.py's
`prepare_qt_environment` before Qt starts); it is visible to every script world, but the post's
own world runs no script at all (the preview disables JavaScript; ours runs in the isolated
ApplicationWorld). At the pause the app's own C heap is trimmed too (malloc_trim, on a worker
thread): what the render thread freed stays in its arena otherwise.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from editor.gui.preview.live_render import release_free_memory
from editor.gui.preview.preview_view import PreviewView
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

PAUSE_MS = 1500  # no patch for this long: typing paused, collect now
PATCHES_BEFORE_COLLECTING = 100  # typing without a pause: collect after this many patches
COLLECT_SCRIPT = (
    "typeof gc === 'function' ? (gc({type: 'major', execution: 'async'}), true) : false"
)


class PageMemory(QObject):
    """Asks the preview page to collect its garbage (and trims the app's heap) in pauses."""

    def __init__(self, preview: PreviewView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.collections = 0  # collections the page ran (for tests and logs)
        self.available = True  # False once the page said it cannot collect (no flag)
        self._patches = 0  # patches since the last collection
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self._paused)
        preview.body_applied.connect(self._patched)

    def _patched(self, _serial: int) -> None:
        """Count a patch; collect after a pause, or now after many without one."""
        if not self.available:
            return
        self._patches += 1
        if self._patches >= PATCHES_BEFORE_COLLECTING:
            self.collect()
        else:
            self._pause.start()

    def _paused(self) -> None:
        """Typing paused: collect the page's garbage and give the app's free heap back."""
        self.collect()
        # What the render thread freed stays in its heap arena otherwise. Off the GUI thread:
        # after a long render the trim takes tens of ms (ctypes lets go of the interpreter lock).
        run_in_background(
            release_free_memory,
            on_success=lambda _result: None,
            on_failure=lambda error: log.info("the heap was not trimmed: %s", error),
        )

    def collect(self) -> None:
        """Ask the page for a major collection if it was patched since the last one."""
        self._pause.stop()
        if not self._patches:
            return
        self._patches = 0
        self.preview.run_script(COLLECT_SCRIPT, self._collected)

    def _collected(self, started: object) -> None:
        """Count the collection, or stop asking if the page cannot collect."""
        if started is True:
            self.collections += 1
        elif self.available:
            self.available = False
            log.info("the preview page cannot collect its garbage (no --expose-gc)")
