"""How long the GUI thread waits for the interpreter lock while the live renderer types along.

Run: PYTHONPATH=. .venv/bin/python benchmarks/gil_handover.py [--seconds 4] [--rounds 3]
     [--intervals 5,1] [--cpu-load 0]

A thread edits a 1 MB post with the IncrementalRenderer without pause (what the live preview's
render thread does during a typing burst), while the main thread, standing in for the GUI
thread, sleeps 1 ms at a time and measures how late it wakes (the time it waited for the lock).
Printed for each switch interval (sys.setswitchinterval; Python's default is 5 ms, the app sets
editor.app.SWITCH_INTERVAL_S): the median, p99 and max wait over the rounds' medians, and the
edits per second the render thread managed meanwhile, with ratios against the first interval.
--cpu-load N runs N busy processes beside it (both cores busy, as in issue 16's measurement).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from render_speed import document  # noqa: E402

from editor.render.incremental import IncrementalRenderer  # noqa: E402


def one_round(renderer: IncrementalRenderer, position: int, seconds: float) -> tuple:
    """Edit in a thread for `seconds`; return (median, p99, max) waits in ms and edits/s."""
    stop: list[bool] = []
    edits = [0]

    def work() -> None:
        while not stop:
            renderer.edit(position, 0, "x")
            renderer.edit(position, 1, "")
            edits[0] += 2

    worker = threading.Thread(target=work)
    worker.start()
    waits = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        time.sleep(0.001)
        waits.append((time.perf_counter() - started - 0.001) * 1000)
    stop.append(True)
    worker.join()
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    return statistics.median(waits), p99, waits[-1], edits[0] / seconds


def main() -> int:
    """Measure each switch interval in interleaved rounds and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--intervals", default="5,1", help="switch intervals in ms")
    parser.add_argument("--cpu-load", type=int, default=0, help="busy processes beside")
    args = parser.parse_args()
    intervals = [float(value) for value in args.intervals.split(",")]
    text = document(1_000_000)
    renderer = IncrementalRenderer()
    renderer.render(text)
    position = text.index("A paragraph of prose", len(text) // 2) + len("A paragraph")
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.cpu_load)
    ]
    results: dict[float, list[tuple]] = {interval: [] for interval in intervals}
    try:
        for _ in range(args.rounds):  # interleaved, so every interval sees the same machine
            for interval in intervals:
                sys.setswitchinterval(interval / 1000)
                results[interval].append(one_round(renderer, position, args.seconds))
    finally:
        for process in busy:
            process.kill()
    print(
        f"1 MB post, {args.rounds} rounds of {args.seconds:.0f} s, {args.cpu_load} busy processes"
    )
    first = None
    for interval in intervals:
        rounds = results[interval]
        median, p99, worst, rate = (statistics.median(r[k] for r in rounds) for k in range(4))
        line = (
            f"switch interval {interval:4.1f} ms: GUI thread waits median {median:5.2f} ms, "
            f"p99 {p99:6.2f} ms, max {worst:6.1f} ms; render thread {rate:5.0f} edits/s"
        )
        if first is None:
            first = (median, p99, rate)
        else:
            line += (
                f"  (vs {intervals[0]:.0f} ms: waits x{median / first[0]:.2f}, "
                f"p99 x{p99 / first[1]:.2f}, edits x{rate / first[2]:.2f})"
            )
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
