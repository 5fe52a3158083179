"""Which date a publish sends: a future date schedules the post, a past one is left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from editor.publish import errors
from editor.publish.publish_rules import post_date as _post_date

TODAY = dt.date(2026, 11, 30)


def test_a_bare_future_date_is_sent_so_that_the_post_is_scheduled() -> None:
    assert _post_date("2026-12-24", "publish", TODAY) == "2026-12-24T09:00:00"


def test_a_bare_date_of_today_or_the_past_is_left_to_wordpress() -> None:
    assert _post_date("2026-11-30", "publish", TODAY) is None
    assert _post_date("2020-01-01", "draft", TODAY) is None


def test_a_date_with_a_time_is_sent_as_written() -> None:
    assert _post_date("2026-12-24 18:30:00", "publish", TODAY) == "2026-12-24T18:30:00"


def test_scheduling_without_a_date_or_with_a_broken_one_says_what_to_write() -> None:
    with pytest.raises(errors.PublishError, match="date and time"):
        _post_date("", "future", TODAY)
    with pytest.raises(errors.PublishError, match="YYYY-MM-DD"):
        _post_date("next tuesday", "publish", TODAY)
