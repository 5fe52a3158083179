"""Memory of the app and its preview while typing: PSS after opening a post and after N keys.

Run: PYTHONPATH=. .venv/bin/python benchmarks/typing_memory.py [--keys 1000] [--size 100000]
     [--runs 3] [--baseline /work/main] [--open-size 1000000]

Each run starts the real app afresh (benchmarks/typing_driver.py, offscreen) on a generated
post, waits until the preview shows it and the app has been quiet for a moment, reads the PSS
of the whole process tree (the app and its QtWebEngine processes, /proc/PID/smaps_rollup),
types N real key events into the editor (each once the previous one's patch is in the page),
waits again and reads the PSS again. It prints the medians over the runs: PSS after opening,
after typing, the growth per key and the part of the growth in the preview's renderer process.
With --baseline CHECKOUT the same runs are made against that checkout too, interleaved, and
both are printed side by side with their ratio. --open-size also measures the tree's PSS with a
post of that size open (no typing). Targets (issue 16): growth within 10 MiB after 1,000 keys
in a 100 KB post; a 1 MB post open in at most 400 MiB.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from render_speed import document  # noqa: E402

TARGET_GROWTH_MIB = 10.0
TARGET_OPEN_MIB = 400.0
QUIET_SECONDS = 5.0  # let the app settle (the page collects 1.5 s after the last patch)
SETTLED_MIB = 1.0
SETTLE_READINGS = 15


def post_text(size: int) -> str:
    """Return a post of about `size` bytes with front matter."""
    return f"---\ntitle: A {size // 1000} KB post\n---\n" + document(size)


def process_tree(pid: int) -> list[int]:
    """Return `pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        stack.extend(children.get(current, []))
    return tree


def pss_by_process(pid: int, field: str = "Pss") -> dict[str, float]:
    """Return the PSS (MiB) of each process of `pid`'s tree, by a short name.

    `field` "Pss_Anon" counts only anonymous memory (what the processes allocated themselves),
    which does not move with how many other processes on the machine map the same libraries.
    """
    figures: dict[str, float] = {}
    for member in process_tree(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
            command = Path(f"/proc/{member}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        kib = sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith(f"{field}:")
        )
        kind = "app" if member == pid else "other"
        if any(b"multiprocessing" in argument for argument in command):
            kind = "render child"  # the live render process, its worker, multiprocessing's tracker
        for argument in command:
            if argument.startswith(b"--type="):
                kind = argument.decode()[len("--type=") :]
        if kind == "zygote":  # the page's renderer is forked from the zygote: counted with it
            kind = "renderer"
        figures[kind] = figures.get(kind, 0.0) + kib / 1024
    return figures


@dataclass
class RunFigures:
    """What one run measured (MiB)."""

    opened: dict[str, float]
    typed: dict[str, float]
    opened_anonymous: float = 0.0  # the tree's anonymous memory (Pss_Anon) after opening
    typed_anonymous: float = 0.0  # and after typing

    @property
    def growth(self) -> float:
        """Return the whole tree's growth."""
        return sum(self.typed.values()) - sum(self.opened.values())

    @property
    def renderer_growth(self) -> float:
        """Return the growth of the preview's renderer process."""
        return self.typed.get("renderer", 0.0) - self.opened.get("renderer", 0.0)


class App:
    """One app process started by typing_driver.py against a checkout."""

    def __init__(
        self,
        checkout: Path,
        post: Path,
        keys: int,
        scratch: Path,
        chromium_flags: str = "--disable-gpu",
    ) -> None:
        env = dict(
            os.environ,
            PYTHONPATH=str(checkout),
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            QTWEBENGINE_DISABLE_SANDBOX="1",
            QTWEBENGINE_CHROMIUM_FLAGS=chromium_flags,
            DRAFTPRESS_HOME=str(scratch / "library"),
            DRAFTPRESS_CONFIG_DIR=str(scratch / "config"),
            DRAFTPRESS_DATA_DIR=str(scratch / "data"),
        )
        python = checkout / ".venv" / "bin" / "python"
        self.process = subprocess.Popen(
            [
                str(python if python.exists() else sys.executable),
                str(ROOT / "benchmarks" / "typing_driver.py"),
                str(post),
                "--keys",
                str(keys),
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=str(scratch),
        )

    def wait_for(self, stage: str) -> None:
        """Read the driver's lines until it reports `stage`."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{") and json.loads(line).get("stage") == stage:
                return
        raise RuntimeError(f"the app ended before {stage!r}")

    def go_on(self) -> None:
        """Tell the driver to start its next stage."""
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def pss(self) -> dict[str, float]:
        """Return the tree's PSS by process once the app is quiet and its PSS has settled.

        After QUIET_SECONDS, read once a second until two readings agree within SETTLED_MIB
        (the page's collection runs in slices), at most SETTLE_READINGS times.
        """
        time.sleep(QUIET_SECONDS)
        reading = pss_by_process(self.process.pid)
        for _ in range(SETTLE_READINGS):
            time.sleep(1.0)
            following = pss_by_process(self.process.pid)
            if abs(sum(following.values()) - sum(reading.values())) < SETTLED_MIB:
                return following
            reading = following
        return reading

    def stop(self) -> None:
        """End the app."""
        self.process.kill()
        self.process.wait(timeout=30)


def one_run(checkout: Path, post: Path, keys: int) -> RunFigures:
    """Open `post` in a fresh app, read PSS, type `keys` keys, read PSS again."""
    with tempfile.TemporaryDirectory(prefix="draftpress-typing-") as scratch:
        app = App(checkout, post, keys, Path(scratch))
        try:
            app.wait_for("opened")
            opened = app.pss()
            opened_anonymous = sum(pss_by_process(app.process.pid, "Pss_Anon").values())
            app.go_on()
            app.wait_for("typed")
            typed = app.pss()
            typed_anonymous = sum(pss_by_process(app.process.pid, "Pss_Anon").values())
        finally:
            app.stop()
    return RunFigures(opened, typed, opened_anonymous, typed_anonymous)


def open_only(checkout: Path, post: Path) -> float:
    """Open `post` in a fresh app; return the tree's PSS once its preview is shown (MiB)."""
    with tempfile.TemporaryDirectory(prefix="draftpress-open-") as scratch:
        app = App(checkout, post, 0, Path(scratch))
        try:
            app.wait_for("opened")
            return sum(app.pss().values())
        finally:
            app.stop()


def describe(name: str, runs: list[RunFigures], keys: int) -> dict[str, float]:
    """Print one checkout's medians; return them."""
    figures = {
        "opened": statistics.median(sum(run.opened.values()) for run in runs),
        "typed": statistics.median(sum(run.typed.values()) for run in runs),
        "growth": statistics.median(run.growth for run in runs),
        "renderer": statistics.median(run.renderer_growth for run in runs),
    }
    growths = ", ".join(
        f"{run.growth:.1f} ("
        + " ".join(
            f"{kind} {run.typed[kind] - run.opened.get(kind, 0.0):+.1f}" for kind in run.typed
        )
        + ")"
        for run in runs
    )
    print(
        f"{name:>10}: PSS opened {figures['opened']:6.0f} MiB, after {keys} keys "
        f"{figures['typed']:6.0f} MiB, growth {figures['growth']:6.1f} MiB "
        f"({figures['growth'] / keys * 1024:5.0f} KiB/key; renderer process "
        f"{figures['renderer']:6.1f} MiB) [runs: {growths}]"
    )
    anonymous = ", ".join(
        f"{run.opened_anonymous:.0f} -> {run.typed_anonymous:.0f}" for run in runs
    )
    print(f"{'':>10}  anonymous memory only (Pss_Anon), opened -> typed: {anonymous} MiB")
    return figures


def main() -> int:
    """Run the measurements and print medians (and ratios against a baseline)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout, e.g. /work/main")
    parser.add_argument("--open-size", type=int, default=0, help="also open a post this big")
    args = parser.parse_args()
    checkouts = {"this": ROOT}
    if args.baseline is not None:
        checkouts["baseline"] = args.baseline.resolve()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="draftpress-posts-") as folder:
        post = Path(folder) / "post.md"
        post.write_text(post_text(args.size), encoding="utf-8")
        runs: dict[str, list[RunFigures]] = {name: [] for name in checkouts}
        for _ in range(args.runs):  # interleaved, so both see the same machine
            for name, checkout in checkouts.items():
                runs[name].append(one_run(checkout, post, args.keys))
        print(f"{args.size // 1000} KB post, {args.keys} keys, {args.runs} runs (medians):")
        results = {name: describe(name, runs[name], args.keys) for name in checkouts}
        growth = results["this"]["growth"]
        verdict = "target met" if growth <= TARGET_GROWTH_MIB else "TARGET MISSED"
        print(f"growth {growth:.1f} MiB: {verdict} (<= {TARGET_GROWTH_MIB:.0f} MiB)")
        if "baseline" in results:
            old = results["baseline"]["growth"]
            print(f"growth this/baseline: {growth / old:.2f}" if old > 0 else "")
        if args.open_size:
            big = Path(folder) / "big.md"
            big.write_text(post_text(args.open_size), encoding="utf-8")
            opens: dict[str, list[float]] = {name: [] for name in checkouts}
            for _ in range(args.runs):
                for name, checkout in checkouts.items():
                    opens[name].append(open_only(checkout, big))
            medians = {name: statistics.median(values) for name, values in opens.items()}
            for name, value in medians.items():
                values = ", ".join(f"{v:.0f}" for v in opens[name])
                print(
                    f"{name:>10}: PSS with a {args.open_size // 1000} KB post open "
                    f"{value:6.0f} MiB [runs: {values}]"
                )
            verdict = "target met" if medians["this"] <= TARGET_OPEN_MIB else "TARGET MISSED"
            print(f"open: {verdict} (<= {TARGET_OPEN_MIB:.0f} MiB)")
            if "baseline" in medians:
                print(f"open this/baseline: {medians['this'] / medians['baseline']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
