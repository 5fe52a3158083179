"""The command line imports only what a command needs, and its modules import in one direction."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import json, sys
    from editor.cli import main
    code = main(sys.argv[1:])
    heavy = sorted(
        name for name in sys.modules
        if name.split(".")[0] in ("PySide6", "shiboken6", "httpx", "keyring")
        or name.startswith("editor.publish") or name.startswith("editor.gui")
    )
    print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
    """
)


def _imports_after(args: list[str], cwd: Path) -> dict:
    """Run `draftpress ARGS` in a fresh Python; return its exit code and heavy imports."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(CHECKOUT), "HOME": str(cwd)},
        check=False,
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_render_imports_neither_qt_nor_publishing(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("# Hi\n\nA paragraph.\n", encoding="utf-8")

    report = _imports_after(["render", str(post), "-o", str(tmp_path / "out.html")], tmp_path)

    assert report == {"code": 0, "heavy": []}


def test_help_imports_neither_qt_nor_publishing(tmp_path: Path) -> None:
    for args in (["--help"], ["publish", "--help"], ["blogs"], ["rendr"]):
        report = _imports_after(args, tmp_path)
        assert report["heavy"] == [], args


def _cli_modules() -> dict[str, Path]:
    """The command line's modules by dotted name (editor/cli*.py and editor/cli/**.py)."""
    editor = CHECKOUT / "editor"
    files = [*editor.glob("cli*.py"), *editor.glob("cli/**/*.py")]
    modules = {}
    for path in files:
        parts = path.relative_to(CHECKOUT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imported(path: Path, modules: dict[str, Path]) -> set[str]:
    """The command-line modules that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        found |= {name for name in names if name in modules}
    return found


def test_the_command_line_has_no_import_cycle() -> None:
    modules = _cli_modules()
    assert len(modules) >= 5
    graph = {name: _imported(path, modules) - {name} for name, path in modules.items()}
    # the package imports its own modules by design; a module importing the package is a cycle
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append([*trail[trail.index(target) :], target])
            else:
                visit(target, [*trail, target])

    for name in sorted(graph):
        visit(name, [name])
    assert cycles == []
