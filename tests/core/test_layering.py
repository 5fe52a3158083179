"""The core, the renderer and the command line work without Qt: none of them imports PySide6."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import editor.core, editor.publish, editor.render
    names = []
    for package in (editor.core, editor.render, editor.publish):
        names.append(package.__name__)
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
            names.append(module.name)
    import editor.cli, editor.resource_locator
    for module in pkgutil.walk_packages(editor.cli.__path__, "editor.cli."):
        importlib.import_module(module.name)
        names.append(module.name)
    names += ["editor.cli", "editor.resource_locator"]
    qt = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
    print(json.dumps({"imported": names, "qt": qt}))
    """
)


def test_core_render_and_cli_import_without_pyside6(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["qt"] == []
    assert {"editor.core.post", "editor.core.library", "editor.render.page"} <= set(
        report["imported"]
    )
    assert "editor.render.markdown_renderer" in report["imported"]
    assert "editor.publish.publisher" in report["imported"]


def test_the_core_does_no_network_work(tmp_path: Path) -> None:
    probe = (
        "import importlib, pkgutil, sys, editor.core\n"
        "for m in pkgutil.walk_packages(editor.core.__path__, 'editor.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in ('httpx', 'httpcore', 'urllib3', 'requests') if n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
