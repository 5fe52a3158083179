"""Start-up: window shown, first preview painted, and the import of the main window, in medians.

Run: PYTHONPATH=. .venv/bin/python benchmarks/startup_speed.py [--runs 7] [--baseline /work/main]

Each run starts the real app afresh (benchmarks/startup_probe.py, offscreen) on an 8 KB post and
reads the probe's two moments: the event loop running with the window shown, and the first
render of the post in the preview (seconds from the start of the probe script). A separate
fresh interpreter times `import editor.gui.main_window` alone (after PySide6's QtWebEngine,
which any start-up needs first). With --baseline CHECKOUT the same is run against that checkout
too, interleaved, and both are printed side by side with their ratios. Targets (issue 16):
window within 0.4 s, first preview within 0.6 s.

Python's compiled bytecode is kept between the starts, as a writer's install keeps it (the
standalone app ships it; a source run writes `__pycache__` on its first start): each checkout
gets its own PYTHONPYCACHEPREFIX in a temporary folder (nothing is written into the checkouts)
and one uncounted first start fills it. PYTHONDONTWRITEBYTECODE, set in some shells, would
otherwise make every start compile every module of the app again (about 0.3 s measured).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from render_speed import document  # noqa: E402

TARGETS = {"window_shown": 0.4, "first_preview": 0.6, "import": None}
# CPU seconds (see startup_probe.py): the GUI thread's until the window shows, and the whole
# process's until the first preview; figures a loaded machine moves much less than seconds.
CPU_FIGURES = {"window_shown": "gui_cpu", "first_preview": "cpu"}
IMPORT_SCRIPT = (
    "import time, PySide6.QtWebEngineWidgets; t = time.perf_counter(); "
    "import editor.gui.main_window; print(time.perf_counter() - t)"
)


def environment(checkout: Path, scratch: Path, bytecode: Path) -> dict[str, str]:
    """Return the app's environment for a run against `checkout`, its bytecode in `bytecode`."""
    env = dict(
        os.environ,
        PYTHONPATH=str(checkout),
        PYTHONPYCACHEPREFIX=str(bytecode),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        QTWEBENGINE_DISABLE_SANDBOX="1",
        QTWEBENGINE_CHROMIUM_FLAGS=os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu"),
        DRAFTPRESS_HOME=str(scratch / "library"),
        DRAFTPRESS_CONFIG_DIR=str(scratch / "config"),
        DRAFTPRESS_DATA_DIR=str(scratch / "data"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def one_start(checkout: Path, post: Path, bytecode: Path) -> dict[str, float]:
    """Start the app once on `post`; return the probe's moments and the import time."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="draftpress-start-") as folder:
        env = environment(checkout, Path(folder), bytecode)
        probe = [sys.executable, str(ROOT / "benchmarks" / "startup_probe.py"), str(post)]
        process = subprocess.run(
            [*probe, "--exit"], env=env, capture_output=True, text=True, timeout=120
        )
        for line in process.stdout.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                figures[record["startup_probe"]] = float(record["seconds"])
                cpu = CPU_FIGURES.get(record["startup_probe"])
                if cpu is not None and cpu in record:
                    figures[f"{record['startup_probe']} {cpu}"] = float(record[cpu])
        imported = subprocess.run(  # in the checkout: `-c` puts the working folder first
            [sys.executable, "-c", IMPORT_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            cwd=checkout,
        )
        figures["import"] = float(imported.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    """Run the starts and print medians (and ratios against a baseline)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout, e.g. /work/main")
    args = parser.parse_args()
    checkouts = {"this": ROOT}
    if args.baseline is not None:
        checkouts["baseline"] = args.baseline.resolve()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory(prefix="draftpress-posts-") as folder:
        post = Path(folder) / "post.md"
        post.write_text("---\ntitle: An 8 KB post\n---\n" + document(8_000), encoding="utf-8")
        bytecode = {name: Path(folder) / f"bytecode-{name}" for name in checkouts}
        for name, checkout in checkouts.items():  # the first start compiles: not counted
            one_start(checkout, post, bytecode[name])
        started = time.perf_counter()
        for _ in range(args.runs):  # interleaved, so both see the same machine
            for name, checkout in checkouts.items():
                runs[name].append(one_start(checkout, post, bytecode[name]))
    print(f"{args.runs} starts each on an 8 KB post ({time.perf_counter() - started:.0f} s):")
    medians: dict[str, dict[str, float]] = {}
    cpu_keys = [f"{moment} {cpu}" for moment, cpu in CPU_FIGURES.items()]
    shown_keys = [*TARGETS, *(key for key in cpu_keys if key in runs["this"][0])]
    for name in checkouts:
        medians[name] = {
            key: statistics.median(run[key] for run in runs[name] if key in run)
            for key in shown_keys
            if any(key in run for run in runs[name])
        }
    for key in shown_keys:
        target = TARGETS.get(key)
        if any(key not in medians[name] for name in checkouts):
            continue
        line = f"{key:>22}:"
        for name in checkouts:
            values = ", ".join(f"{run[key]:.2f}" for run in runs[name] if key in run)
            line += f"  {name} median {medians[name][key]:.3f} s [{values}]"
        if "baseline" in medians:
            line += f"  this/baseline {medians['this'][key] / medians['baseline'][key]:.2f}"
        if target is not None:
            met = medians["this"][key] <= target
            line += f"  {'target met' if met else 'TARGET MISSED'} (<= {target} s)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
