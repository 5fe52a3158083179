"""The plans behind Bold, Italic, Code and Link, and the folded record's words (no window)."""

from __future__ import annotations

import pytest

from editor.core.front_matter import parse_front_matter
from editor.gui.editing.record_folding import record_label
from editor.gui.editing.span_toggle import SpanEdit, plan_link, toggle_span


def applied(text: str, plan: SpanEdit) -> tuple[str, str]:
    """Return the text after the plan and the selection it leaves."""
    for position, removed, inserted in plan.replacements:
        text = text[:position] + inserted + text[position + removed :]
    low, high = sorted((plan.anchor, plan.position))
    return text, text[low:high]


@pytest.mark.parametrize(
    ("text", "start", "end", "marker", "after", "selected"),
    [
        ("a word here", 2, 6, "**", "a **word** here", "word"),
        ("a **word** here", 4, 8, "**", "a word here", "word"),  # surrounded: unwrap
        ("a **word** here", 2, 10, "**", "a word here", "word"),  # included: unwrap
        ("a __word__ here", 4, 8, "**", "a word here", "word"),  # the other spelling
        ("a **word** here", 4, 8, "*", "a ***word*** here", "word"),  # italic on bold
        ("a ***word*** here", 5, 9, "*", "a **word** here", "word"),
        ("a ***word*** here", 5, 9, "**", "a *word* here", "word"),
        ("a word  here", 2, 8, "*", "a *word*  here", "word"),  # blanks stay outside
        ("run a`b now", 4, 7, "`", "run ``a`b`` now", "a`b"),
        ("run `a` now", 4, 7, "`", "run a now", "a"),
    ],
)
def test_a_selection_is_wrapped_or_unwrapped(text, start, end, marker, after, selected) -> None:
    assert applied(text, toggle_span(text, start, end, marker)) == (after, selected)


@pytest.mark.parametrize(
    ("text", "at", "marker", "after", "cursor"),
    [
        ("Say  now", 4, "**", "Say **** now", 6),  # start a span
        ("Say **** now", 6, "**", "Say  now", 4),  # changed my mind
        ("Say **loud** now", 10, "**", "Say **loud** now", 12),  # step out
        ("Say *loud* now", 9, "*", "Say *loud* now", 10),
        ("Say `loud` now", 9, "`", "Say `loud` now", 10),
    ],
)
def test_at_the_cursor_a_span_starts_or_is_left(text, at, marker, after, cursor) -> None:
    plan = toggle_span(text, at, at, marker)
    assert applied(text, plan)[0] == after
    assert plan.anchor == plan.position == cursor


@pytest.mark.parametrize(
    ("selected", "url", "after", "cursor"),
    [
        ("words", "https://e.org", "[words](https://e.org)", 22),
        ("", "https://e.org", "[](https://e.org)", 1),
        ("https://e.org/x", "", "[](https://e.org/x)", 1),
        ("words", "", "[words]()", 8),
        ("", "", "[]()", 1),
    ],
)
def test_link_plans(selected, url, after, cursor) -> None:
    plan = plan_link(selected, url)
    assert applied(selected, plan)[0] == after
    assert plan.position == cursor


def test_the_folded_record_says_where_and_when_in_words() -> None:
    one = parse_front_matter(
        "status: draft\nremote:\n  blog: CI Blog\n  id: 3\n  modified_gmt: '2026-12-03T09:00:00'\n"
    )
    assert record_label(one) == "Saved as a draft on CI Blog · 3 Dec 2026"
    two = parse_front_matter(
        "remote:\n- blog: CI Blog\n  id: 3\n  modified_gmt: '2026-12-03T09:00:00'\n"
        "- blog: Home\n  id: abc\n  modified_gmt: '2026-12-04T09:00:00'\n"
    )
    assert record_label(two) == "Published to CI Blog, Home · 4 Dec 2026"
    unfinished = parse_front_matter("remote:\n  blog: CI Blog\n  pending_create: {title: x}\n")
    assert record_label(unfinished) == "Publishing to CI Blog did not finish · publish record"
