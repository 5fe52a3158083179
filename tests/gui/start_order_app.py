"""Start the real app and report, as one line of JSON, what had been imported when the live
render child was asked to start, and whether it runs once the window shows (a test driver).

Run: python -m tests.gui.start_order_app. test_render_child_start.py reads its output; the app
ships no probe for it (the child's start is watched by wrapping it here).
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main() -> int:
    """Run the app's own start-up once, quit as soon as the window shows, print what was seen."""
    from editor import app
    from editor.render import live_render_process

    seen: dict[str, Any] = {"starts": []}
    start = live_render_process.LiveRenderProcess.prepare

    def prepare(self: live_render_process.LiveRenderProcess) -> None:
        seen["starts"].append({
            "qt_widgets_loaded": "PySide6.QtWidgets" in sys.modules,
            "window_module_loaded": "editor.gui.main_window" in sys.modules,
        })
        start(self)

    live_render_process.LiveRenderProcess.prepare = prepare  # type: ignore[method-assign]

    def shown(_window: object) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        seen["child_running_when_shown"] = (
            live_render_process.shared_render_process().pid() is not None
        )
        QTimer.singleShot(0, QApplication.instance().quit)

    status = app.run_app(None, after_start=shown)
    sys.stdout.write(json.dumps(seen) + "\n")
    return status


if __name__ == "__main__":  # the child is spawned: it imports this module without running it
    sys.exit(main())
