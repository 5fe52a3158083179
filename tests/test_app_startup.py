"""The shipped start-up path holds start-up only: no test hooks, no probes, smoke check apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

EDITOR = Path(__file__).resolve().parents[1] / "editor"


def _imported_modules(path: Path) -> set[str]:
    """Return every module a source file imports, at any depth (function bodies too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_shipped_module_drives_widgets_through_qttest() -> None:
    # QtTest types into widgets for tests; a test driver lives in tests/ (tests/gui/typing_app.py).
    users = [p.relative_to(EDITOR.parent).as_posix() for p in sorted(EDITOR.rglob("*.py"))
             if any(m.startswith("PySide6.QtTest") for m in _imported_modules(p))]
    assert users == []


def test_the_app_reads_no_test_or_probe_variables() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in EDITOR.rglob("*.py"))
    assert "DRAFTPRESS_TEST_TYPE" not in text
    assert "DRAFTPRESS_STARTUP_PROBE" not in text


def test_starting_the_app_does_not_import_the_smoke_check() -> None:
    # The command line and app module a writer's start goes through; the smoke check is
    # imported only for the hidden --smoke-test flag.
    probe = "import sys, editor.cli, editor.app; print('editor.smoke_check' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=EDITOR.parent, check=True)
    assert ran.stdout.strip() == "False"


def loaded_with_the_window(modules: tuple[str, ...]) -> list[str]:
    """Return which of `modules` a fresh interpreter has loaded after importing the window."""
    probe = (
        "import sys, editor.cli, editor.app, editor.gui.main_window; "
        f"print(sorted(m for m in {modules!r} if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=EDITOR.parent, check=True)
    return ast.literal_eval(ran.stdout.strip())


def test_importing_the_window_leaves_the_blog_clients_out() -> None:
    # The first screen needs none of them: publishing, accounts and HTML paste import them on
    # first use (or once the window is up). A fresh interpreter, as a writer's start is.
    assert loaded_with_the_window(("httpx", "keyring", "bs4")) == []


def test_importing_the_window_leaves_images_encodings_yaml_and_dictionaries_out() -> None:
    # Pillow (inserting an image), charset-normalizer (opening a file that is not UTF-8),
    # ruamel.yaml (reading or writing front matter) and Enchant (read on its own thread while
    # the window is built, see spelling.preload_speller) load when first needed, not with the
    # window's modules.
    assert loaded_with_the_window(("PIL", "charset_normalizer", "enchant", "ruamel.yaml")) == []


def test_importing_the_window_leaves_pyyaml_and_the_markdown_extensions_out() -> None:
    # PyYAML reads front matter for the library's listing (on its worker); the dialect's
    # Markdown extensions (pymdown's caption compiles about 60 ms of patterns on import) load
    # when the renderer is built, off the GUI thread, not with the window's modules.
    assert loaded_with_the_window(("yaml", "pymdownx")) == []


def test_importing_the_window_leaves_the_changed_on_disk_question_out() -> None:
    # Asked only when another program changes the open file.
    assert loaded_with_the_window(("editor.gui.document.disk_conflict_dialog",)) == []


def test_importing_the_window_leaves_the_renderer_out() -> None:
    # The live preview renders in its own process (editor.render.live_render_process): the
    # window's process sends edits and shows results, so the renderer's modules load only in
    # that process (and for export or publishing), not with the window's (issue 16: memory).
    renderer = ("editor.render.incremental", "editor.render.block_markdown",
                "editor.render.markdown_renderer", "editor.render.guarded_blocks")
    assert loaded_with_the_window(renderer) == []
