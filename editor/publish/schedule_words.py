"""Say in words when a post goes out: "Scheduled for 4 Dec 2026, 09:00 on CI Blog".

The same rule as publishing (publish_rules.post_date): a future date schedules the post, as
status Scheduled does; a bare date goes out at 09:00. Used by the Details form.
"""

from __future__ import annotations

import datetime as dt

from editor.publish import errors
from editor.publish.post_statuses import normalise_status
from editor.publish.publish_rules import post_date


def spoken_time(when: dt.datetime) -> str:
    """Return "4 Dec 2026, 09:00"."""
    return f"{when.day} {when:%b %Y, %H:%M}"


def schedule_sentence(date: str, status: str, blog: str, now: dt.datetime | None = None) -> str:
    """Return what the post's date and status will do on the blog, or "" when nothing to say."""
    word = normalise_status(status or "draft")
    on_blog = f" on {blog}" if blog else ""
    try:
        sent = post_date(date, word, (now or dt.datetime.now()).date())
    except errors.PublishError as error:
        return str(error)
    if sent is None:
        return ""
    when = dt.datetime.fromisoformat(sent)
    future = when > (now or dt.datetime.now())
    if word == "future":
        if future:
            return f"Scheduled for {spoken_time(when)}{on_blog}."
        return (
            f"The date ({spoken_time(when)}) has passed: give a date in the future to "
            "schedule it, or the blog publishes it at once."
        )
    if word == "publish" and future:
        return f"Publishing schedules it: it goes out on {spoken_time(when)}{on_blog}."
    return ""
