#!/usr/bin/env python3
"""Measure issue 11's round trip over the corpus against a WordPress this script starts.

For every post of tests/data/round_trip: create it, pull it, publish it untouched, publish it
forced, pull it again, edit one word and publish (tests/integration/round_trip.py), then print
the issue's table and the failing posts of each column.

Usage: PYTHONPATH=. python scripts/round_trip_report.py [--only SUBSTRING] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.integration.round_trip import (  # noqa: E402
    RoundTrip,
    describe,
    load_corpus,
    run_round_trip,
)
from tests.integration.wordpress_server import WordPressServer  # noqa: E402


def columns(trips: list[RoundTrip]) -> list[tuple[str, list[RoundTrip]]]:
    """The issue's columns, each with the posts that count in it."""
    edited = [t for t in trips if not t.no_prose]
    return [
        ("untouched publishes that sent anything", [t for t in trips if not t.untouched_ok]),
        ("forced publishes not byte-identical", [t for t in trips if not t.forced_identical]),
        (
            "one-word edits that changed more than one block (or failed)",
            [t for t in edited if not t.edit_ok],
        ),
        ("posts whose pull is not a fixed point", [t for t in trips if not t.fixed_point]),
    ]


STEP_OF_COLUMN = ("untouched", "forced", "edit", "second pull")


def main(argv: list[str] | None = None) -> int:
    """Run the corpus and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only posts whose name contains this")
    parser.add_argument("--json", type=Path, help="also write every post's outcome here")
    parser.add_argument("--verbose", action="store_true", help="print why each post failed")
    args = parser.parse_args(argv)
    posts = [p for p in load_corpus() if args.only in p.name]
    began = time.monotonic()
    with WordPressServer() as server, tempfile.TemporaryDirectory() as tmp:
        print(f"WordPress started in {server.start_seconds:.1f} s at {server.url}")
        before = (server.count_posts(), server.count_media())
        trips = []
        for index, post in enumerate(posts):
            trips.append(run_round_trip(server, post, Path(tmp) / str(index)))
        after = (server.count_posts(), server.count_media())
    elapsed = time.monotonic() - began
    edited = [t for t in trips if not t.no_prose]
    print()
    print("| measure | posts |")
    print("|---|---|")
    print(
        f"| posts tried | {len(trips)} (block {sum(not t.classic for t in trips)}, "
        f"classic {sum(t.classic for t in trips)}) |"
    )
    identical = sum(t.forced_identical for t in trips)
    table = columns(trips)
    print(f"| untouched publishes that sent anything | {len(table[0][1])} |")
    print(f"| forced publishes byte-identical | {identical} of {len(trips)} |")
    print(
        f"| one-word edits that changed more than one block (or failed) | {len(table[2][1])} "
        f"of {len(edited)} edited ({len(trips) - len(edited)} without prose) |"
    )
    print(f"| posts whose pull is not a fixed point | {len(table[3][1])} |")
    print()
    print(
        f"server: posts {before[0]} -> {after[0]} (created {len(trips)}), "
        f"media {before[1]} -> {after[1]}"
    )
    errors = [t for t in trips if t.errors]
    print(f"posts with a step that raised: {len(errors)}")
    print(f"run time: {elapsed:.0f} s ({elapsed / max(len(trips), 1):.2f} s a post)")
    for (title, failing), step in zip(table, STEP_OF_COLUMN, strict=True):
        print(f"\n{title} ({len(failing)}):")
        for trip in failing:
            if args.verbose:
                print(f"  {trip.name}: {describe(trip, step)[:600]}")
            else:
                print(f"  {trip.name}")
    if errors:
        print("\nerrors:")
        for trip in errors:
            for step, error in trip.errors.items():
                print(f"  {trip.name} [{step}]: {error.splitlines()[-1][:300]}")
    if args.json:
        args.json.write_text(json.dumps([asdict(t) for t in trips], indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
