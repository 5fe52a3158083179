"""Library speed: listing a folder of 10,000 posts and filtering the list as the writer types.

Run: .venv/bin/python benchmarks/library_speed.py [--posts 10000] [--rounds 5]
Writes the posts (front matter with title, date, status, tags; a third carry a `remote:` publish
record) into a temporary folder, then prints the median of: a cold listing (every file read; the
first start on a library), a listing at the next start (summaries from the stored cache, files
only statted), a warm listing (the same run's cache), filling the pane's model, and filtering
the shown list by one typed letter after another (title, tag and status).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from editor.core.library import list_posts  # noqa: E402
from editor.core.listing_cache import ListingCache  # noqa: E402
from editor.publish.remote_record import recorded_blog_of  # noqa: E402

log = logging.getLogger("benchmark")

POST = """---
title: Post number {n} about a rather long subject that writers like to use, part {n}
date: 2026-{month:02d}-{day:02d}
status: {status}
tags:
  - tag{tag}
  - travel
{remote}---
Body of post {n}.
"""
REMOTE = """remote:
  blog: CI Blog
  id: {n}
  content_sha256: 0123456789abcdef
"""


def write_posts(root: Path, count: int) -> None:
    """Write `count` posts into `root`."""
    for n in range(count):
        text = POST.format(
            n=n,
            month=n % 12 + 1,
            day=n % 28 + 1,
            status="publish" if n % 3 == 0 else "draft",
            tag=n % 50,
            remote=REMOTE.format(n=n) if n % 3 == 0 else "",
        )
        (root / f"2026-01-01-post-{n}.md").write_text(text, encoding="utf-8")


def timed(action: Callable[[], object]) -> float:
    """Return the seconds `action` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from PySide6.QtWidgets import QApplication

    from editor.gui.sidebar import LibraryPane

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_posts(root, args.posts)
        store = Path(folder + "-listing.json")
        cold, restart, warm, fill, filtering = [], [], [], [], []
        for _ in range(args.rounds):
            store.unlink(missing_ok=True)
            cache = ListingCache(store)
            cold.append(timed(lambda c=cache: list_posts(root, recorded_blog_of, c)))
            restarted = ListingCache(store)
            restart.append(timed(lambda c=restarted: list_posts(root, recorded_blog_of, c)))
            summaries = list_posts(root, recorded_blog_of, cache)
            warm.append(timed(lambda c=cache: list_posts(root, recorded_blog_of, c)))
            pane = LibraryPane()
            pane.resize(320, 600)
            fill.append(timed(lambda p=pane, s=summaries: p.show_listing(s)))
            for typed in ("t", "tr", "tra", "trav", "post 99", "draft", ""):
                filtering.append(timed(lambda p=pane, t=typed: p.filter_edit.setText(t)))
            pane.deleteLater()
            app.processEvents()
        log.info("%d posts", args.posts)
        log.info("listing, cold (every file read): median %.0f ms", statistics.median(cold) * 1000)
        log.info(
            "listing, next start (stored):    median %.0f ms", statistics.median(restart) * 1000
        )
        log.info("listing, warm (cache by mtime):  median %.0f ms", statistics.median(warm) * 1000)
        log.info("filling the pane:                median %.0f ms", statistics.median(fill) * 1000)
        log.info(
            "filter, one keystroke:           median %.1f ms, longest %.1f ms",
            statistics.median(filtering) * 1000,
            max(filtering) * 1000,
        )


if __name__ == "__main__":
    main()
