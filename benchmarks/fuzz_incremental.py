"""The long editing-session fuzz run: incremental render against full render, many sessions.

Run (from the repository root):

    .venv/bin/python -m benchmarks.fuzz_incremental --sessions 5000 [--seed 1] [--gestures 12]

Each session imitates a writer (tests/render/editing_sessions.py) on the corpus in
tests/render/data/corpus; after every edit the incremental render must equal a full
`render_markdown` of the same text, and its delta must patch the previous pieces. Each failure
is printed shrunk to a minimal before/edit pair (or the shortest run of edits that still fails),
ready to paste into tests/render/test_editing_sessions.py. Exits 1 when anything failed.

This run is the gate for raising the Python-Markdown cap in pyproject.toml (see the README).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.render.editing_sessions import (  # noqa: E402
    SHRINK_SECONDS,
    Failure,
    Oracle,
    run_sessions,
)

log = logging.getLogger("fuzz_incremental")


def main(argv: list[str] | None = None) -> int:
    """Run the sessions; print each failure shrunk and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gestures", type=int, default=12, help="writer gestures per session")
    parser.add_argument("--batch", type=int, default=100, help="sessions between progress lines")
    parser.add_argument(
        "--shrink-seconds",
        type=float,
        default=SHRINK_SECONDS,
        help="how long the shrinking of one failure may take",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    started = time.monotonic()
    failures: list[Failure] = []
    seen: set[str] = set()

    def report(failure: Failure) -> None:
        described = failure.describe()
        key = described.split("\n", 2)[0] + described.split("\n", 2)[1]
        if key not in seen:
            seen.add(key)
            log.info("FAILURE %d\n%s\n", len(seen), described)

    oracle = Oracle(shrink_seconds=args.shrink_seconds)
    done = 0
    while done < args.sessions:
        count = min(args.batch, args.sessions - done)
        failures += run_sessions(f"{args.seed}-{done}", count, args.gestures, report, oracle)
        done += count
        log.info(
            "%d sessions, %d failing (%d distinct), %d stopped by a part too slow to render, "
            "%.0f s",
            done,
            len(failures),
            len(seen),
            oracle.inconclusive,
            time.monotonic() - started,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
