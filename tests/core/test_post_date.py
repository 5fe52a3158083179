"""Writing a post's `date:` back in the file's own spelling, and the scheduling sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from editor.core.front_matter import with_front_matter_field
from editor.publish.schedule_words import schedule_sentence

WHEN = dt.datetime(2026, 12, 4, 9, 0)
NOW = dt.datetime(2026, 12, 3, 16, 0)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("date: 2026-01-02T10:11:12", "date: 2026-12-04T09:00:00"),
        ("date: 2026-01-02 10:11", "date: 2026-12-04 09:00"),
        ("date: '2026-01-02 10:11:12+01:00'  # c", "date: '2026-12-04 09:00:00+01:00'  # c"),
        ("date:   2026-01-02 10:11:12Z", "date:   2026-12-04 09:00:00Z"),
        ("date: 2026-01-02", "date: 2026-12-04T09:00:00"),
    ],
)
def test_the_date_keeps_its_spelling_and_nothing_else_changes(before: str, after: str) -> None:
    text = f"---\ntitle:   Odd  spacing\n{before}\ntags: [x,   y]\n---\nBody\n"
    assert with_front_matter_field(text, "date", WHEN) == text.replace(before, after)


def test_a_post_without_a_date_gets_one() -> None:
    text = "---\ntitle: x\n---\nBody\n"
    assert with_front_matter_field(text, "date", WHEN) == (
        "---\ntitle: x\ndate: 2026-12-04 09:00:00\n---\nBody\n"
    )


def test_scheduling_in_words() -> None:
    assert schedule_sentence("2026-12-04 09:00", "future", "CI Blog", NOW) == (
        "Scheduled for 4 Dec 2026, 09:00 on CI Blog."
    )
    assert schedule_sentence("2026-12-04", "publish", "CI Blog", NOW) == (
        "Publishing schedules it: it goes out on 4 Dec 2026, 09:00 on CI Blog."
    )
    assert "has passed" in schedule_sentence("2026-12-01T09:00:00", "future", "", NOW)
    assert "give it a date" in schedule_sentence("", "scheduled", "", NOW)  # Ghost's word
    assert schedule_sentence("2026-12-04", "draft", "CI Blog", NOW) == ""
    assert schedule_sentence("2026-11-04T08:00:00", "publish", "CI Blog", NOW) == ""
