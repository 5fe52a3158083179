"""The layer directions hold: import-linter's contracts in pyproject.toml are kept.

The contracts say which way each layer may import (cli > app > gui > publish > render > core >
resource_locator) and that nothing below the window imports Qt. A new top-level module that
no layer names would escape them, so that is checked too.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import editor

ROOT = Path(__file__).resolve().parents[2]


def _layers() -> list[str]:
    """Return the layers contract's layer strings from pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c["layers"] for c in contracts if c["type"] == "layers")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package under `root` with the project's contracts."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--config",
            str(ROOT / "pyproject.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=False,
    )


def test_the_layer_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contracts(tmp_path: Path) -> None:
    # A copy of the package in which the core imports the renderer: the check must notice.
    copy = tmp_path / "editor"
    source = Path(editor.__file__).parent
    for path in source.rglob("*.py"):
        target = copy / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    slug = copy / "core" / "slug.py"
    slug.write_text(slug.read_text(encoding="utf-8") + "\nimport editor.render.page\n")

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    assert "editor.core.slug -> editor.render.page" in result.stdout


def test_every_top_level_module_belongs_to_a_layer() -> None:
    named = {
        part.strip().strip("()")
        for layer in _layers()
        for part in layer.replace("|", ":").split(":")
    }
    modules = {f"editor.{m.name}" for m in pkgutil.iter_modules(editor.__path__)}
    assert modules - named == set(), "add these to a layer in pyproject's [tool.importlinter]"
