"""What the safety net costs: journal writes, revision snapshots and listing them.

Run: .venv/bin/python benchmarks/drafts_safety_speed.py [--rounds 15]
In a temporary data folder, for posts of 8 KB, 100 KB, 1 MB and 10 MB of Markdown, prints the
median time of one recovery journal write (JSON, temp file, fsync, rename; it runs off the GUI
thread), of one save that keeps the replaced version, of listing a post's 50 revisions (what
File > Revisions… does before it opens) and of counting one revision's words (the list fills
these in one by one in the background).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from editor.core.post import Post  # noqa: E402
from editor.core.recovery_journal import JournalSession  # noqa: E402
from editor.core.revisions import (  # noqa: E402
    RevisionLimits,
    describe_revisions,
    keep_revision,
    revision_word_count,
    save_keeping_revision,
)

PARAGRAPH = (
    "Draftpress keeps every word you type. This paragraph is filler text of ordinary "
    "prose, with *emphasis*, a [link](https://example.com) and a few numbers: 1, 2, 3.\n\n"
)


def markdown_of_size(size: int) -> str:
    """Return a post of about `size` bytes."""
    return "---\ntitle: Benchmark\n---\n\n" + PARAGRAPH * (size // len(PARAGRAPH) + 1)


def median_ms(action, rounds: int) -> float:
    """Run `action` `rounds` times and return the median in milliseconds."""
    times = []
    for round_number in range(rounds):
        start = time.perf_counter()
        action(round_number)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    """Print the medians as a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    sizes = {"8 KB": 8_000, "100 KB": 100_000, "1 MB": 1_000_000, "10 MB": 10_000_000}
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DRAFTPRESS_DATA_DIR"] = str(Path(folder) / "data")
        session = JournalSession()
        print(
            f"{'post':>8} {'journal write':>15} {'save + revision':>16} {'list 50 revs':>17}"
            f" {'count 1 rev':>16}"
        )
        for label, size in sizes.items():
            text = markdown_of_size(size)
            journal = median_ms(
                lambda n, text=text: session.write("bench", text + str(n), None, None), args.rounds
            )
            post_file = Path(folder) / f"post-{size}.md"
            post_file.write_text(text, encoding="utf-8")
            save = median_ms(
                lambda n, text=text, path=post_file: save_keeping_revision(
                    Post(text + str(n), path), path, force=True
                ),
                args.rounds,
            )
            listed = post_file.with_name(f"listed-{size}.md")
            limits = RevisionLimits(max_count=50)
            for n in range(50):
                keep_revision(listed, (text + str(n)).encode(), limits=limits)
            rounds = max(1, args.rounds // 5) if size >= 1_000_000 else args.rounds
            listing = median_ms(lambda _n, path=listed: describe_revisions(path), args.rounds)
            newest = describe_revisions(listed)[0].revision
            counting = median_ms(lambda _n, rev=newest: revision_word_count(rev), rounds)
            print(
                f"{label:>8} {journal:>12.1f} ms {save:>13.1f} ms {listing:>14.1f} ms"
                f" {counting:>13.1f} ms"
            )
        session.remove("bench")
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
