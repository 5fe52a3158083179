"""What the library list knows about each post, kept between listings and between runs.

A post file is read again only when its mtime or size changed; the summaries are stored in the
data folder, so a library of thousands of posts lists at start-up without reading every file.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.core.atomic_file import atomic_write_bytes

log = logging.getLogger(__name__)

FORMAT = 1  # bumped when PostSummary changes: an older store is then ignored


@dataclass(frozen=True)
class PostSummary:
    """One line of the library list."""

    path: Path
    title: str
    date: str
    status: str
    modified: float
    problem: str = ""
    tags: tuple[str, ...] = ()
    blog: str = ""  # the blog the post's `remote:` record names ("" when never published)
    changed: bool = False  # its text changed since its last publish (False when not known)


Stamp = tuple[int, int]  # the file's mtime in ns and its size


def _summary_data(stamp: Stamp, summary: PostSummary) -> list[Any]:
    """Return one stored entry."""
    fields = [summary.title, summary.date, summary.status, summary.modified, summary.problem]
    return [*stamp, *fields, list(summary.tags), summary.blog, summary.changed]


def _summary_of(path: str, entry: list[Any]) -> tuple[Stamp, PostSummary]:
    """Rebuild one stored entry (raises on anything malformed)."""
    mtime, size, title, date, status, modified, problem, tags, blog, changed = entry
    summary = PostSummary(
        Path(path), str(title), str(date), str(status), float(modified), str(problem),
        tuple(str(tag) for tag in tags), str(blog), bool(changed),
    )  # fmt: skip
    return (int(mtime), int(size)), summary


class ListingCache:
    """Summaries already read, by path, kept while the file's mtime and size stay the same."""

    def __init__(self, store: Path | None = None) -> None:
        self.store = store  # a JSON file in the data folder; None: kept in memory only
        self._entries: dict[Path, tuple[Stamp, PostSummary]] = {}
        self._lock = threading.Lock()  # listings run on worker threads
        self._loaded = store is None
        self._dirty = False

    def _load(self) -> None:
        """Read the store once (a missing or unreadable one is simply an empty cache)."""
        self._loaded = True
        if self.store is None or not self.store.is_file():
            return
        try:
            data = json.loads(self.store.read_bytes())
            if data.get("format") != FORMAT:
                return
            for path, entry in data["posts"].items():
                stamp, summary = _summary_of(path, entry)
                self._entries[summary.path] = (stamp, summary)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning("ignoring the library's listing cache %s: %s", self.store, error)
            self._entries.clear()

    def get(self, path: Path, stamp: Stamp) -> PostSummary | None:
        """Return the cached summary of `path` if the file has not changed since."""
        with self._lock:
            if not self._loaded:
                self._load()
            entry = self._entries.get(path)
        if entry is None or entry[0] != stamp:
            return None
        return entry[1]

    def put(self, path: Path, stamp: Stamp, summary: PostSummary) -> None:
        """Remember the summary of `path` as read at `stamp`."""
        with self._lock:
            self._entries[path] = (stamp, summary)
            self._dirty = True

    def save(self, keep: set[Path]) -> None:
        """Forget posts not in `keep` (gone from the folder) and write the store if it changed."""
        with self._lock:
            gone = [path for path in self._entries if path not in keep]
            for path in gone:
                del self._entries[path]
            if self.store is None or not (self._dirty or gone):
                return
            posts = {str(p): _summary_data(*entry) for p, entry in self._entries.items()}
            self._dirty = False
        data = json.dumps({"format": FORMAT, "posts": posts}, ensure_ascii=False)
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.store, data.encode("utf-8"))
        except OSError as error:
            log.warning("could not keep the library's listing cache: %s", error)
