"""The live render child starts first thing in the app's start-up, before Qt's widgets and the
window are imported, so that its start (an interpreter, the renderer, a warm-up render) overlaps
theirs and the first post finds it ready (editor/app.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def test_the_render_child_is_started_before_the_window_is_built() -> None:
    env = dict(
        os.environ,  # the test's own DRAFTPRESS_HOME, _CONFIG_DIR and _DATA_DIR (tmp)
        PYTHONPATH=str(CHECKOUT),
        QT_QPA_PLATFORM="offscreen",
    )
    ran = subprocess.run(
        [sys.executable, "-m", "tests.gui.start_order_app"],
        env=env, cwd=CHECKOUT, capture_output=True, text=True, timeout=120,
        start_new_session=True,  # its own process group: its web engine helpers go with it
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    first = seen["starts"][0]
    assert first == {"qt_widgets_loaded": False, "window_module_loaded": False}
    assert seen["child_running_when_shown"] is True
