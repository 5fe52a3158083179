"""The GUI thread's own CPU time per keystroke in a long post, and what it goes to.

Run: PYTHONPATH=. .venv/bin/python benchmarks/typing_gui_cpu.py [--sizes 100000,1000000]
     [--bursts 5] [--keys 20] [--off spelling,preview] [--profile 30] [--baseline /work/main]

Types bursts of real key events (one every 50 ms, a fast typist: words for half the burst, then
Backspace until they are gone) into the middle of a generated post in the real window
(offscreen) and prints, per size, the median over bursts of the GUI thread's CPU time per key
(`time.thread_time`, so other jobs on the machine and the render thread do not count) and of
the editor's paints per key. The burst ends when the last key's render is back.

`--off` turns pieces off one at a time to attribute the cost: `spelling` (checking off),
`preview` (edits no longer fed to the renderer: no render, no patch, no details), `highlighter`
(the Markdown highlighter detached), `paint` (the editor's viewport not repainted), `spacing`
(lines at their natural height), `layout-override` (the spaced-line layout's Python methods
removed: Qt's own layout, unspaced).
`--profile N` prints cProfile's N top functions (by the GUI thread's CPU time, not wall time:
waits for the interpreter lock do not count) during one more burst. `--baseline DIR` runs the
same measurement on the code in DIR in a child process after this one's, sizes interleaved, so
both figures come from the same minutes. Typing starts once the highlighter's background pass
over the loaded post is done.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from preview_speed import CODE, WindowBench, post_text  # noqa: E402

INTERVAL_MS = 50
PHRASE = "and then we wrote some more "


class PaintCounter:
    """Counts the paint events of one widget and the share of it they repaint."""

    def __init__(self, widget) -> None:  # noqa: ANN001 (a QWidget)
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self) -> None:
                super().__init__()
                self.count = 0
                self.area = 0.0  # in whole widgets

            def eventFilter(self, watched, event) -> bool:  # noqa: N802, ANN001 (Qt API)
                if event.type() == QEvent.Type.Paint:
                    self.count += 1
                    whole = max(1, watched.width() * watched.height())
                    rects = event.region()
                    self.area += sum(r.width() * r.height() for r in rects) / whole
                return False

        self.filter = Filter()
        widget.installEventFilter(self.filter)

    @property
    def count(self) -> int:
        """Return the paints counted so far."""
        return self.filter.count

    @property
    def area(self) -> float:
        """Return the area repainted so far, in whole widgets."""
        return self.filter.area


def turn_off(bench: WindowBench, pieces: list[str]) -> None:
    """Switch the named pieces of the window off (see the module's docstring)."""
    window = bench.window
    editor = window.editor
    for piece in pieces:
        if piece == "spelling":
            editor.spelling.configure(False, "")
        elif piece == "preview":
            window.live.feed.suspend()
        elif piece == "highlighter":
            editor.highlighter.setDocument(None)
        elif piece == "paint":
            editor.viewport().setUpdatesEnabled(False)
        elif piece == "spacing":  # lines at their natural height (the layout still asked)
            layout = editor.document().documentLayout()
            layout.spacing = 1.0
            editor.document().markContentsDirty(0, editor.document().characterCount())
        elif piece == "layout-override":
            pass  # done before the window is made (`remove_layout_override`)
        elif piece:
            raise SystemExit(f"unknown piece to turn off: {piece}")


def remove_layout_override() -> None:
    """Let Qt's own layout answer blockBoundingRect (no Python call per block; no spacing)."""
    from editor.gui.editing import writing_layout

    for name in ("blockBoundingRect", "documentChanged"):
        if name in vars(writing_layout.SpacedLineLayout):
            delattr(writing_layout.SpacedLineLayout, name)


def run_until(condition, timeout_s: float = 120.0) -> None:  # noqa: ANN001
    """Run the event loop until `condition()` holds, checking every 20 ms."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: condition() and loop.quit())
    check.start(20)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    give_up.start(int(timeout_s * 1000))
    loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError("the burst did not finish")


def burst(bench: WindowBench, keys: int, paints: PaintCounter) -> tuple[float, float, float]:
    """Type one burst; return GUI CPU ms, editor paints and the editor's area painted, per key."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    window = bench.window
    typed: list[int] = []
    typist = QTimer()
    typist.setInterval(INTERVAL_MS)

    def type_one() -> None:
        if len(typed) < keys // 2:  # new words (spelling sees new text), then taken back
            QTest.keyClick(window.editor, PHRASE[len(typed) % len(PHRASE)])
        else:
            QTest.keyClick(window.editor, Qt.Key.Key_Backspace)
        typed.append(1)
        if len(typed) >= keys:
            typist.stop()

    typist.timeout.connect(type_one)
    renderer = window.live.renderer
    painted, area = paints.count, paints.area
    started = time.thread_time()
    typist.start()
    if window.live.feed.suspended:
        run_until(lambda: len(typed) >= keys)
    else:  # the last key's render is back and patched in (a no-op patch applies nothing)
        run_until(
            lambda: len(typed) >= keys
            and window.live.last_result is not None
            and window.live.last_result.serial >= renderer._serial
        )
    cpu = (time.thread_time() - started) * 1000 / keys
    return cpu, (paints.count - painted) / keys, (paints.area - area) / keys


def measure(sizes: list[int], bursts: int, keys: int, off: list[str], profile: int) -> None:
    """Print the GUI CPU per key for each size on the code in CODE."""
    if "layout-override" in off:
        remove_layout_override()
    bench = WindowBench()
    paints = PaintCounter(bench.window.editor.viewport())
    for size in sizes:
        bench.load(post_text(size))
        highlighter = bench.window.editor.highlighter
        run_until(lambda h=highlighter: h.lazy_limit is None, 300)  # the background pass done
        turn_off(bench, off)
        burst(bench, 4, paints)  # settle: the first keys after a load check spelling etc.
        print(f"typing now (process {os.getpid()}; for perf or py-spy)", flush=True)
        results = [burst(bench, keys, paints) for _ in range(bursts)]
        cpu = [r[0] for r in results]
        label = f"off: {','.join(off)}" if off else "all on"
        print(
            f"{CODE.name:>10} {size // 1000:>5} KB ({label}): GUI CPU per key median "
            f"{statistics.median(cpu):5.2f} ms [{', '.join(f'{c:.1f}' for c in cpu)}], "
            f"paints per key {statistics.median(r[1] for r in results):.1f} "
            f"({statistics.median(r[2] for r in results):.2f} of the editor), "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if profile:
            profiler = cProfile.Profile(time.thread_time)  # CPU, not waits for the GIL
            profiler.enable()
            burst(bench, keys, paints)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(profile)
            stats.sort_stats("tottime").print_stats(profile)
            stats.print_callers("blockBoundingRect")


def main() -> int:
    """Measure this checkout, and the baseline's beside it when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--off", default="")
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--baseline", help="another checkout, measured in turn with this one")
    args = parser.parse_args()
    off = [piece for piece in args.off.split(",") if piece]
    sizes = [int(size) for size in args.sizes.split(",")]
    if not args.baseline:
        measure(sizes, args.bursts, args.keys, off, args.profile)
        return 0
    for size in sizes:  # interleaved: this code, then the baseline, per size
        for code in (ROOT, Path(args.baseline)):
            command = [
                sys.executable, __file__, "--sizes", str(size), "--bursts", str(args.bursts),
                "--keys", str(args.keys), "--off", args.off,
            ]
            env = dict(os.environ, DRAFTPRESS_BENCH_CODE=str(code))
            subprocess.run(command, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
