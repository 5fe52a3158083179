"""Write a post's `date:` in the format its file already uses, changing nothing else.

The Details form sets the date and time; the front matter keeps its own spelling of it: `T` or
a space between date and time, seconds or not, a time zone suffix, quotes. Only the value on the
`date:` line changes, so every other byte of the front matter stays as the writer left it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DATE_LINE = re.compile(
    r"^(?P<head>date:[ \t]*)(?P<quote>['\"]?)(?P<value>[^'\"#\n]*?)(?P=quote)"
    r"(?P<tail>[ \t]*(?:#[^\n]*)?)$",
    re.MULTILINE,
)
_VALUE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})(?:(?P<sep>[T ]|[ \t]+)(?P<hm>\d{1,2}:\d{2})(?P<sec>:\d{2}"
    r"(?:\.\d+)?)?(?P<zone>[ \t]*(?:Z|[+-]\d{2}(?::?\d{2})?))?)?$"
)


@dataclass(frozen=True)
class DateSpelling:
    """How a file writes its date: the separator, seconds or not, a zone suffix."""

    separator: str = "T"
    seconds: bool = True
    zone: str = ""
    has_time: bool = True

    def write(self, when: dt.datetime) -> str:
        """Return `when` (wall time, minutes precision) spelled this way."""
        day = when.strftime("%Y-%m-%d")
        clock = when.strftime("%H:%M:%S" if self.seconds else "%H:%M")
        return f"{day}{self.separator}{clock}{self.zone}"


def spelling_of(value: str) -> DateSpelling | None:
    """Return how a `date:` value is spelt (None: not a date this form can write back)."""
    match = _VALUE.match(value.strip())
    if match is None:
        return None
    if match["hm"] is None:
        return DateSpelling(has_time=False)
    return DateSpelling(match["sep"], match["sec"] is not None, match["zone"] or "")


def with_post_date(front_matter: str, when: dt.datetime) -> str | None:
    """Return the front matter YAML with its `date:` set to `when` in the file's own spelling.

    None when there is no top-level `date:` line this can rewrite in place (the caller then sets
    the field the ordinary way). A date without a time gains one, as `YYYY-MM-DDTHH:MM:SS`.
    """
    match = _DATE_LINE.search(front_matter)
    if match is None:
        return None
    spelling = spelling_of(match["value"])
    if spelling is None:
        return None
    if not spelling.has_time:
        spelling = DateSpelling()
    value = spelling.write(when)
    start, end = match.span("value")
    return front_matter[:start] + value + front_matter[end:]


def shown_date(value: str) -> dt.datetime | None:
    """Return a front matter date as the wall time the form shows (None: none or unreadable).

    A bare date shows at 09:00, the time a scheduled bare date is published at.
    """
    text = value.strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        return None
    if len(text) <= 10:
        when = when.replace(hour=9)
    return when.replace(tzinfo=None)
