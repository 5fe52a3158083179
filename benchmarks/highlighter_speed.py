"""The Markdown highlighter's work on hostile lines and on ordinary posts, against a baseline.

Run (from the repository root):

    PYTHONPATH=. .venv/bin/python benchmarks/highlighter_speed.py [--sizes 30,60] [--repeats 5]
        [--baseline rt-core]

Issue 18, finding 11: one long line of `*a `, `_a `, `**a `, `[`, `![`, `<http:` or `[a][` made
the highlighter quadratic on the GUI thread. For each such line (of each size in KB), and for
`<!-- wp:a {` inside a raw island, this prints the milliseconds of `highlightBlock` work to
highlight the line when a post opens ("open") and after one keystroke in its middle ("key"),
as medians, for this working tree and, side by side, for the highlighter of the `--baseline`
commit (its markdown_highlighter.py, in editor/gui/editing/ or before the gui rooms in
editor/gui/, and `editor/core/block_grammar.py`, read with `git show` into temporary
modules), with their ratio. Then the same for ordinary posts: the whole of a generated 100 KB
post (benchmarks/render_speed.py), and one of its prose lines (with emphasis, strong and a
link) highlighted and typed in.
A baseline case whose first run takes over a second is measured once (it is quadratic: the
60 KB cases take tens of seconds each). Offscreen, no window: a QTextDocument with the
plain-text layout, as in the editor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QTextCursor, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextDocumentLayout  # noqa: E402
from render_speed import document as ordinary_post  # noqa: E402

import editor.gui.editing.markdown_highlighter as current  # noqa: E402

HOSTILE = ["*a ", "_a ", "**a ", "[", "![", "<http:", "[a]["]
ISLAND = "<!-- wp:a {"
PROSE = "After it, *emphasis*, **strong** and a [link](https://example.com) are shown."
SLOW_BASELINE_MS = 1000.0


def baseline_module(commit: str) -> types.ModuleType:
    """Load the highlighter of `commit` (with its block grammar) as a temporary module."""

    def load(path: str, name: str) -> types.ModuleType:
        source = subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        module = types.ModuleType(name)
        module.__file__ = f"{commit}:{path}"
        sys.modules[name] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
        return module

    grammar = load("editor/core/block_grammar.py", "baseline_block_grammar")
    path = "editor/gui/editing/markdown_highlighter.py"
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}:{path}"], cwd=ROOT, check=False, capture_output=True
    )
    if known.returncode != 0:  # a commit from before the gui rooms: flat editor/gui modules
        import editor.gui.editing.inline_spans as spans

        path = "editor/gui/markdown_highlighter.py"
        sys.modules.setdefault("editor.gui.inline_spans", spans)
    highlighter = load(path, "baseline_markdown_highlighter")
    highlighter.depth_after = grammar.depth_after  # type: ignore[attr-defined]
    highlighter.LINE_DELIMITER = grammar.LINE_DELIMITER  # type: ignore[attr-defined]
    return highlighter


class Probe:
    """A document highlighted by one version's highlighter, its highlightBlock work timed."""

    def __init__(self, module: types.ModuleType, text: str) -> None:
        self.work = 0.0
        probe = self

        class Timed(module.MarkdownHighlighter):  # type: ignore[name-defined,misc]
            def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
                began = time.perf_counter()
                super().highlightBlock(text)
                probe.work += time.perf_counter() - began

        self.document = QTextDocument()
        self.document.setDocumentLayout(QPlainTextDocumentLayout(self.document))
        self.document.setPlainText(text)
        self.highlighter = Timed(self.document)

    def ms(self, action: Callable[[], object]) -> float:
        """Run `action` and return the highlighter's work it caused, in milliseconds."""
        self.work = 0.0
        action()
        return self.work * 1000

    def open_ms(self, number: int | None) -> float:
        """Highlight one block (or, None, the whole document) as opening does."""
        if number is None:
            return self.ms(self.highlighter.rehighlight)
        return self.ms(lambda: self.highlighter.rehighlightBlock(self.block(number)))

    def key_ms(self, number: int, offset: int) -> float:
        """Type one character at `offset` in block `number`, then take it back; the mean."""
        cursor = QTextCursor(self.document)
        cursor.setPosition(self.block(number).position() + offset)
        typed = self.ms(lambda: cursor.insertText("x"))
        erased = self.ms(cursor.deletePreviousChar)
        return (typed + erased) / 2

    def block(self, number: int):  # noqa: ANN201 (a QTextBlock)
        """Return block `number`."""
        return self.document.findBlockByNumber(number)


def compare(
    baseline: types.ModuleType, text: str, number: int | None, offset: int, repeats: int
) -> tuple[tuple[float, float, int], tuple[float, float, int]]:
    """Median ms to open and per keystroke, this tree's and the baseline's, runs interleaved.

    Each also says how many runs it made: a baseline case slower than SLOW_BASELINE_MS on its
    first run is not repeated.
    """
    probes = [Probe(current, text), Probe(baseline, text)]
    figures: list[tuple[list[float], list[float]]] = [([], []), ([], [])]
    for run in range(repeats):
        for probe, (opens, keys) in zip(probes, figures, strict=True):
            if run and probe is probes[1] and max(opens[0], keys[0]) > SLOW_BASELINE_MS:
                continue
            if not run:
                probe.highlighter.rehighlight()
            opens.append(probe.open_ms(number))
            keys.append(probe.key_ms(number or 0, offset))
    ours, base = (
        (statistics.median(opens), statistics.median(keys), len(opens)) for opens, keys in figures
    )
    return ours, base


def row(name: str, ours: tuple[float, float, int], base: tuple[float, float, int]) -> str:
    """One line of the table."""
    cells = [f"{name:<24}"]
    for index in (0, 1):
        ratio = base[index] / ours[index]
        shown = f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"
        cells.append(f"{ours[index]:>9.2f} {base[index]:>10.2f} {shown:>9}")
    return "  ".join(cells) + f"  {base[2]:>3}"


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,60", help="hostile line sizes in KB")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", default="rt-core", help="the commit to compare with")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    baseline = baseline_module(args.baseline)
    print(f"highlightBlock work in ms (median of {args.repeats}; 'n': the baseline's runs)")
    print(
        f"{'case':<24}  {'open: this':>9} {args.baseline:>10} {'ratio':>9}  "
        f"{'key: this':>9} {args.baseline:>10} {'ratio':>9}  {'n':>3}"
    )
    for size in (int(kb) for kb in args.sizes.split(",")):
        cases = [
            (piece, f"x\n\n{piece * (size * 1000 // len(piece))}\n\n{PROSE}", 2)
            for piece in HOSTILE
        ]
        island = f"x\n\n<!-- wp:group -->\n{ISLAND * (size * 1000 // len(ISLAND))}\n"
        cases.append(("island " + ISLAND, island, 3))
        for piece, text, number in cases:
            offset = len(text.split("\n")[number]) // 2
            ours, base = compare(baseline, text, number, offset, args.repeats)
            print(row(f"{piece!r} {size} KB", ours, base), flush=True)
    post = ordinary_post(100 * 1024)
    ours, base = compare(baseline, post, None, 0, args.repeats)
    print(row("100 KB post, all", ours, base)[:60] + "  (the whole post; no keystroke)")
    line = post[: post.index("A paragraph of prose", len(post) // 2)].count("\n")
    offset = len("A paragraph of prose for section 9")  # a line with emphasis, strong, a link
    ours, base = compare(baseline, post, line, offset, args.repeats)
    print(row("100 KB post, prose line", ours, base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
