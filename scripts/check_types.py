#!/usr/bin/env python3
"""Run mypy (configured in pyproject.toml) and hold the code to mypy-baseline.txt.

editor/core, editor/render and editor/publish are checked strictly and may have no error at
all. Everywhere else, the errors mypy reports must be exactly those in mypy-baseline.txt: a new
error fails the check, and so does a baseline entry that no longer occurs (the baseline only
shrinks: run `scripts/check_types.py --update` after fixing one, and commit the file).

Errors are keyed by file, error code and message, not by line, so edits that move code do not
disturb the baseline. Exit status: 0 when the check passes, 1 when it fails, 2 when mypy itself
could not run.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

log = logging.getLogger("check_types")

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
STRICT = ("editor/core/", "editor/render/", "editor/publish/")
HEADER = (
    "# mypy errors accepted outside the strict packages (editor/core, editor/render and\n"
    "# editor/publish may have none). One error a line, `file: [code] message`; a line that\n"
    "# occurs twice stands for two errors. This file only shrinks: fix an error, then run\n"
    "# `scripts/check_types.py --update` and commit. Never add to it by hand.\n"
)


def run_mypy() -> list[dict[str, object]]:
    """Run mypy over the configured files; return its errors (notes left out)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--output", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        log.error("mypy could not run (exit %s):\n%s", result.returncode, result.stderr)
        raise SystemExit(2)
    errors = []
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            continue
        report = json.loads(line)
        if report.get("severity") == "error":
            errors.append(report)
    return errors


def key_of(report: dict[str, object]) -> str:
    """Return an error's baseline key: file, code and message, without line numbers."""
    message = re.sub(r" on line \d+", "", str(report["message"]))
    path = str(report["file"]).replace("\\", "/")
    return f"{path}: [{report.get('code') or 'misc'}] {message}"


def read_baseline() -> Counter[str]:
    """Return the baseline's entries with their counts."""
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def write_baseline(entries: Counter[str]) -> None:
    """Write the baseline, sorted, one line per error."""
    lines = sorted(entries.elements())
    BASELINE.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def _moved(new: Counter[str], gone: Counter[str]) -> int:
    """Count new errors that match a vanished baseline entry but for the file's folder."""

    def unfoldered(key: str) -> str:
        path, _, rest = key.partition(": ")
        return f"{path.rsplit('/', 1)[-1]}: {rest}"

    left = Counter(unfoldered(key) for key in gone.elements())
    return sum((Counter(unfoldered(key) for key in new.elements()) & left).values())


def main(argv: list[str] | None = None) -> int:
    """Check the types; with --update, rewrite the baseline to today's errors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--update", action="store_true", help="rewrite mypy-baseline.txt to the errors found now"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.INFO)

    reports = run_mypy()
    strict = [r for r in reports if str(r["file"]).replace("\\", "/").startswith(STRICT)]
    current = Counter(key_of(r) for r in reports if r not in strict)
    failed = False
    if strict:
        failed = True
        log.error(
            "%d mypy error(s) in the strict packages (never baselined; fix them):", len(strict)
        )
        for r in strict:
            log.error("  %s:%s: %s  [%s]", r["file"], r["line"], r["message"], r["code"])

    if args.update:
        write_baseline(current)
        log.info("mypy-baseline.txt now lists %d error(s).", sum(current.values()))
        return 1 if failed else 0

    baseline = read_baseline()
    new, gone = current - baseline, baseline - current
    if new:
        failed = True
        log.error("%d new mypy error(s) (not in mypy-baseline.txt; fix them):", sum(new.values()))
        for r in reports:
            if key_of(r) in new:
                log.error("  %s:%s: %s  [%s]", r["file"], r["line"], r["message"], r["code"])
    if gone:
        failed = True
        log.error(
            "%d baseline error(s) no longer occur: well done. Run `scripts/check_types.py "
            "--update` and commit mypy-baseline.txt so they cannot come back:",
            sum(gone.values()),
        )
        for line in sorted(gone.elements()):
            log.error("  %s", line)
    moved = _moved(new, gone)
    if moved:
        log.error(
            "%d of these look like the same error in a moved file (same file name, code and "
            "message): after a move, `--update` is right if the total did not grow.",
            moved,
        )
    if not failed:
        log.info(
            "mypy: no errors in the strict packages; %d baselined error(s) elsewhere, no new ones.",
            sum(current.values()),
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
