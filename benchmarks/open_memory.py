"""Memory of the app with a long post open: PSS of the app, its render child, the preview's page.

Run: PYTHONPATH=. .venv/bin/python benchmarks/open_memory.py [--size 1000000] [--runs 3]
     [--baseline /work/main]

Each run starts the real app afresh (benchmarks/typing_driver.py, offscreen, no typing) on a
generated post and reads the PSS of each process of its tree (/proc/PID/smaps_rollup): the app,
its "render child" (the live render process, editor/render/live_render_process.py, with the render
worker it may start), the preview's Chromium "renderer" and the other Chromium processes; twice:
- "shown": right after the preview first shows the whole post (before the page's collection,
  which editor/gui/preview/page_memory.py asks for 1.5 s after the last patch);
- "settled": once the app has been quiet for a while and its PSS stopped moving.
and a third time in a separate start where the page cannot be asked to collect (V8 flags chosen
for it, so `prepare_qt_environment` adds no `--expose-gc`): "uncollected", what the page itself
holds when nothing forces a collection. "anonymous" is the settled reading of anonymous memory
only (Pss_Anon): what the processes allocated themselves, without the shared libraries' pages,
whose share moves with how many other Qt processes run on the machine. With --baseline
CHECKOUT the same runs are made against that checkout, interleaved, and both are printed side
by side (medians). Target (issue 16): the 1 MB post open in at most 400 MiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from typing_memory import TARGET_OPEN_MIB, App, post_text, pss_by_process  # noqa: E402

# V8 flags that change nothing (the default stack size) but keep the app from adding its own.
NO_COLLECTION_FLAGS = "--disable-gpu --js-flags=--stack-size=984"
KINDS = ("app", "render child", "renderer", "other")
MOMENTS = ("shown", "settled", "uncollected", "anonymous")


def kinds_of(figures: dict[str, float]) -> dict[str, float]:
    """Fold the processes into the app, the preview's renderer and the rest (MiB)."""
    folded = {kind: 0.0 for kind in KINDS}
    for kind, mib in figures.items():
        folded[kind if kind in KINDS else "other"] += mib
    return folded


def one_open(checkout: Path, post: Path, collect: bool) -> dict[str, dict[str, float]]:
    """Open `post` in a fresh app; return PSS by kind when shown and once settled."""
    flags = "--disable-gpu" if collect else NO_COLLECTION_FLAGS
    with tempfile.TemporaryDirectory(prefix="draftpress-open-") as scratch:
        app = App(checkout, post, 0, Path(scratch), chromium_flags=flags)
        try:
            app.wait_for("opened")
            shown = kinds_of(pss_by_process(app.process.pid))
            settled = kinds_of(app.pss())
            anonymous = kinds_of(pss_by_process(app.process.pid, "Pss_Anon"))
        finally:
            app.stop()
    return {"shown": shown, "settled": settled, "anonymous": anonymous}


def main() -> int:
    """Run the opens and print medians (and a baseline's beside them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout, e.g. /work/main")
    args = parser.parse_args()
    checkouts = {"this": ROOT}
    if args.baseline is not None:
        checkouts["baseline"] = args.baseline.resolve()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    readings: dict[str, dict[str, list[dict[str, float]]]] = {
        name: {moment: [] for moment in MOMENTS} for name in checkouts
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="draftpress-posts-") as folder:
        post = Path(folder) / "post.md"
        post.write_text(post_text(args.size), encoding="utf-8")
        for _ in range(args.runs):  # interleaved, so both see the same machine
            for name, checkout in checkouts.items():
                collected = one_open(checkout, post, collect=True)
                for moment in ("shown", "settled", "anonymous"):
                    readings[name][moment].append(collected[moment])
                readings[name]["uncollected"].append(
                    one_open(checkout, post, collect=False)["settled"]
                )
    print(
        f"{args.size // 1000} KB post open, {args.runs} runs each "
        f"({time.perf_counter() - started:.0f} s), PSS medians in MiB:"
    )
    totals: dict[str, float] = {}
    for moment in MOMENTS:
        for name in checkouts:
            runs = readings[name][moment]
            medians = {kind: statistics.median(run[kind] for run in runs) for kind in KINDS}
            total = statistics.median(sum(run.values()) for run in runs)
            totals[f"{name} {moment}"] = total
            each = ", ".join(f"{sum(run.values()):.0f}" for run in runs)
            parts = "  ".join(f"{kind} {medians[kind]:5.0f}" for kind in KINDS)
            print(f"{moment:>12} {name:>8}: total {total:5.0f}  ({parts})  [runs: {each}]")
    for moment in ("settled", "uncollected"):
        total = totals[f"this {moment}"]
        verdict = "target met" if total <= TARGET_OPEN_MIB else "TARGET MISSED"
        line = f"{moment}: {verdict} (<= {TARGET_OPEN_MIB:.0f} MiB)"
        if "baseline" in checkouts:
            line += f", this/baseline {total / totals[f'baseline {moment}']:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
