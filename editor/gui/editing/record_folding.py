"""Where the `remote:` publish record is in the editor, and the one line that stands for it.

The record stays in the file (the file alone says which blog post it is: a copy on another
machine updates the same post, and losing the data folder never makes a second post or image);
the editor folds it (`island_folding.IslandFolds`) into a line such as "Published to CI Blog ·
3 Dec 2026". Found from the document's lines, so a fold follows the text as it is now.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QTextDocument

from editor.core.front_matter import FrontMatterError, parse_front_matter

RECORD_KEY = "remote"
FRONT_MATTER_LINES = 400  # a front matter longer than this is not looked into
_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_RECORD_LINE = re.compile(rf"^{RECORD_KEY}[ \t]*:(?:[ \t]|$)")
_TOP_LEVEL_KEY = re.compile(r"^[^\s#-]")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class RecordLines:
    """The record's first and last line (block numbers) and what its folded line says."""

    first: int
    last: int
    label: str


def is_record_line(text: str) -> bool:
    """Tell whether a line is the `remote:` key of the front matter."""
    return _RECORD_LINE.match(text) is not None


def find_record(document: QTextDocument) -> RecordLines | None:
    """Return the lines of the front matter's `remote:` record (None: it has none)."""
    block = document.firstBlock()
    if not block.isValid() or not _OPEN.match(block.text()):
        return None
    lines: list[str] = []
    first = last = -1
    block = block.next()
    while block.isValid() and not _CLOSE.match(block.text()):
        text = block.text()
        if len(lines) >= FRONT_MATTER_LINES:
            return None
        if first < 0 and is_record_line(text):
            first = last = block.blockNumber()
        elif first >= 0 and last == block.blockNumber() - 1 and not _TOP_LEVEL_KEY.match(text):
            last = block.blockNumber()  # the record's nested lines, its list items, blanks
        lines.append(text)
        block = block.next()
    if first < 0 or not block.isValid():
        return None
    while last > first and not document.findBlockByNumber(last).text().strip():
        last -= 1  # blank lines after the record are not the record's
    if last == first:
        return None  # nothing to fold
    try:
        data = parse_front_matter("\n".join(lines))
    except FrontMatterError:
        return None
    return RecordLines(first, last, record_label(data))


def _records(value: Any) -> list[dict[str, Any]]:
    """Return the record's entries: one mapping (one blog) or a list (several)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [entry for entry in value if isinstance(entry, dict)]
    return []


def _day(stamp: Any) -> dt.date | None:
    """Return the day of a recorded time ("2026-12-03T10:04:05"), if it reads as one."""
    try:
        return dt.datetime.fromisoformat(str(stamp)[:19]).date()
    except ValueError:
        return None


def record_label(front_matter: Any) -> str:
    """Return the folded line's words: "Published to CI Blog · 3 Dec 2026" and the like."""
    entries = _records(front_matter.get(RECORD_KEY)) if isinstance(front_matter, dict) else []
    blogs = [str(entry.get("blog") or "") for entry in entries]
    names = ", ".join(dict.fromkeys(blog for blog in blogs if blog)) or "your blog"
    if entries and all(entry.get("id") in (None, "") for entry in entries):
        return f"Publishing to {names} did not finish · publish record"
    days = [day for entry in entries if (day := _day(entry.get("modified_gmt")))]
    status = str(front_matter.get("status") or "") if isinstance(front_matter, dict) else ""
    verb = {
        "draft": "Saved as a draft on",
        "pending": "Sent for review to",
        "future": "Scheduled on",
        "private": "Published privately to",
    }.get(status, "Published to")
    label = f"{verb} {names}"
    if days:
        day = max(days)
        label += f" · {day.day} {_MONTHS[day.month - 1]} {day.year}"
    return label
