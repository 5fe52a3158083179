"""The window's modules leave no sources behind in linecache (PySide6 reads every one of them).

Measured with a 1 MB post open (issue 16): linecache held the lines of 550 modules, about
19 MiB of the app's heap, because shiboken6's import hook reads the source of every module
imported after PySide6. A fresh interpreter, as the app starts, so what earlier tests imported
does not hide it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, linecache
import PySide6.QtWebEngineWidgets
import editor.gui.main_window
import editor.render.incremental  # imported later by the app, on its render thread
kept = [name for name, entry in linecache.cache.items() if len(entry) > 1]
first = linecache.getline(editor.gui.main_window.__file__, 1)
print(json.dumps({"kept": kept, "first line": first}))
"""


def test_imported_modules_sources_are_not_kept() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(found["kept"]) <= 5, found["kept"]  # the last import (a package and its parts)
    # a traceback still shows its lines: linecache reads the file again
    first = (ROOT / "editor" / "gui" / "main_window.py").read_text(encoding="utf-8").splitlines()[0]
    assert found["first line"] == first + "\n"
