"""Start the real app on a post and print when its first preview is shown (for preview_speed.py).

Run: PYTHONPATH=. python benchmarks/startup_probe.py POST [--exit]
It goes through the app's own start-up (editor.app.run_app) and only adds a listener to the
shown window, so the app itself ships no probe. Prints a JSON line
{"startup_probe": "window_shown", "seconds": ...} once the event loop runs with the window shown
(its first paint is done in that turn), then {"startup_probe": "first_preview", "seconds": ...}
when the first render of a non-empty post reaches the preview; with --exit the app then quits.
Seconds count from the start of this script (the interpreter's own start-up, about 20 ms, is
not in them). Each line also carries "gui_cpu", the CPU seconds the GUI thread has used by then
(time.thread_time: what the start-up's own work costs, much less moved by other processes'
load than the seconds are), and "cpu", those of the whole app process (every thread).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

STARTED = time.monotonic()


def install_startup_probe(window: MainWindow, then_exit: bool) -> None:
    """Print when the window is up and when the first render of a post reaches the preview."""
    from PySide6.QtCore import QTimer

    def report(moment: str) -> None:
        seconds = round(time.monotonic() - STARTED, 3)
        cpu = {"gui_cpu": round(time.thread_time(), 3), "cpu": round(time.process_time(), 3)}
        print(json.dumps({"startup_probe": moment, "seconds": seconds, **cpu}), flush=True)

    def shown() -> None:
        report("window_shown")

    QTimer.singleShot(0, shown)

    def applied(_serial: int) -> None:
        result = window.live.last_result
        if result is None or not result.text:
            return
        window.preview.body_applied.disconnect(applied)
        report("first_preview")
        if then_exit:
            from PySide6.QtCore import QCoreApplication

            QTimer.singleShot(0, QCoreApplication.quit)

    window.preview.body_applied.connect(applied)


def main() -> int:
    """Start the app on the post with the probe."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("post", type=Path)
    parser.add_argument("--exit", action="store_true", help="quit once the preview is shown")
    args = parser.parse_args()
    from editor.app import run_app

    return run_app(args.post, after_start=lambda window: install_startup_probe(window, args.exit))


if __name__ == "__main__":
    sys.exit(main())
