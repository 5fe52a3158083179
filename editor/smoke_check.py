"""The hidden `--smoke-test FILE` of `build_app.py --smoke`: is the window up, does the preview
show the post? Imported only in that mode, never on a writer's start-up path."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from editor import __version__

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

SMOKE_TIMEOUT_MS = 30_000
# Read in the preview once the post's body is in: what the smoke test checks, as JSON.
_SMOKE_PROBE = """JSON.stringify((function () {
  var content = document.getElementById('content');
  var images = Array.from(document.images);
  var figures = Array.from(document.querySelectorAll('#content figure'));
  var sheets = Array.from(document.styleSheets);
  return {
    elements: content ? content.querySelectorAll(
      ':scope > :not(dp-chunk), :scope > dp-chunk > *').length : 0,
    figure_with_image_and_caption: figures.some(function (f) {
      return f.querySelector('img') && f.querySelector('figcaption'); }),
    quote: !!document.querySelector('#content blockquote'),
    highlighted_code: !!document.querySelector('#content .codehilite span'),
    styles: sheets.length > 0 && sheets.every(function (s) { return s.cssRules.length > 0; }),
    images: images.length,
    images_done: images.every(function (i) { return i.complete; }),
    broken_images: images.filter(function (i) { return i.complete && !i.naturalWidth; })
      .map(function (i) { return i.getAttribute('src'); })
  };
})())"""
_SMOKE_CHECKS = {  # what the preview must show, and what to say when it does not
    "figure_with_image_and_caption": "the preview has no <figure> with <img> and <figcaption>",
    "quote": "the preview has no <blockquote>",
    "highlighted_code": "the preview has no highlighted code (.codehilite spans)",
    "styles": "the preview page has no theme or code CSS",
}


def spelling_report() -> dict[str, object]:
    """Which dictionaries the app finds, and where the bundled ones are (for the smoke line)."""
    import os

    from editor.core import spelling

    bundled = spelling.bundled_dictionaries()
    return {
        "languages": spelling.available_languages(),
        "bundled": sorted(p.name for p in bundled.iterdir()) if bundled else [],
        "enchant_config_dir": os.environ.get("ENCHANT_CONFIG_DIR", ""),
    }


def spelling_problems() -> list[str]:
    """The standalone app must check English: its bundled dictionary is there and found."""
    from editor.core import spelling

    problems = []
    if spelling.dictionary_for("en_US", spelling.available_languages()) is None:
        problems.append(spelling.spelling_unavailable() or "no English dictionary is found")
    if getattr(sys, "frozen", False):
        bundled = spelling.bundled_dictionaries()
        if bundled is None or not (bundled / "en_US.dic").is_file():
            problems.append("the app bundles no en_US dictionary (build_app.py)")
    return problems


class SmokeCheck:
    """The hidden `--smoke-test FILE`: is the window up and does the preview show the post?

    Waits on the window's signals (the post opened, the preview body applied), then reads the
    preview's DOM; polls only for images to finish loading, which no signal reports.
    """

    def __init__(self, window: MainWindow, file: Path) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.file = file
        self.stage = "opening the post"
        self.opened = False
        self.done = False
        self.started = time.monotonic()
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)

    def start(self) -> None:
        """Open the post and start the clock."""
        self.window.document.opened.connect(self._opened)
        self.window.document.failed.connect(lambda message: self._finish(1, [message]))
        self.window.preview.body_applied.connect(self._body_applied)
        self.timer.start(SMOKE_TIMEOUT_MS)
        if not self.file.is_file():
            self._finish(1, [f"no such file: {self.file}"])
            return
        self.window.document.open_path(self.file)

    def _opened(self, _post: object) -> None:
        """The post is read: wait for its render to reach the preview."""
        self.opened = True
        self.stage = "rendering the preview"

    def _body_applied(self, _serial: int) -> None:
        """A render reached the preview: read it if it is the post's."""
        if self.opened and not self.done:
            self._probe()

    def _probe(self) -> None:
        """Ask the preview what it shows."""
        self.window.preview.run_script(_SMOKE_PROBE, self._probed)

    def _probed(self, result: object) -> None:
        """Judge what the preview shows, or wait for more (the post's body, its images)."""
        if self.done:
            return
        try:
            page = json.loads(str(result))
        except ValueError:
            self._finish(1, [f"the preview could not be read ({result!r})"])
            return
        if not page["elements"]:
            return  # the empty page shown before the post: its render comes next
        if page["images"] and not page["images_done"]:
            from PySide6.QtCore import QTimer

            self.stage = "loading the images"
            QTimer.singleShot(100, self._probe)
            return
        failed = [message for key, message in _SMOKE_CHECKS.items() if not page[key]]
        if not page["images"]:
            failed.append("the preview has no image")
        failed += [f"image did not load: {src}" for src in page["broken_images"]]
        if not self.window.isVisible():
            failed.append("the window is not visible")
        failed += spelling_problems()
        self._finish(1 if failed else 0, failed, page)

    def _timed_out(self) -> None:
        """Give up waiting."""
        self._finish(2, [f"timed out after {SMOKE_TIMEOUT_MS // 1000} s {self.stage}"])

    def _finish(self, status: int, failed: list[str], page: dict | None = None) -> None:
        """Print the result as one line of JSON and leave the event loop with `status`."""
        if self.done:
            return
        self.done = True
        self.timer.stop()
        from PySide6.QtCore import QCoreApplication, QTimer, qVersion

        from editor.resource_locator import resources_dir

        result = {
            "ok": status == 0,
            "failed": failed,
            "file": str(self.file),
            "window_title": self.window.windowTitle().replace("[*]", ""),
            "seconds": round(time.monotonic() - self.started, 2),
            "version": __version__,
            "qt": qVersion(),
            "python": platform.python_version(),
            "frozen": bool(getattr(sys, "frozen", False)),
            "resources": str(resources_dir()),
            "preview": page,
            "spelling": spelling_report(),
        }
        print(json.dumps(result), flush=True)
        # Deferred: a failure reported before the event loop runs must still end it.
        QTimer.singleShot(0, lambda: QCoreApplication.exit(status))
