"""Content pulled from a blog is hostile: its text stays text and it cannot stall the pull."""

from __future__ import annotations

import time

import pytest

from editor.publish import round_trip
from editor.publish.round_trip import content_for_body, pull_content
from editor.render.markdown_renderer import render_markdown


def test_escaped_markup_in_a_pulled_post_never_becomes_live_html() -> None:
    content = (
        "<!-- wp:paragraph -->\n<p>Never paste &lt;script&gt;alert(1)&lt;/script&gt; or "
        "&lt;!-- x --&gt; &amp;lt; here.</p>\n<!-- /wp:paragraph -->"
    )
    body, copy = pull_content(content)
    html = render_markdown(body)
    assert "<script>" not in html and "<!--" not in html
    assert "&lt;script&gt;" in html and "&amp;lt;" in html
    assert content_for_body(body, copy)[0] == content


def test_a_piece_too_slow_to_check_stays_raw_instead_of_stalling_the_pull(monkeypatch) -> None:
    monkeypatch.setattr(round_trip, "PIECE_SECONDS", 0.05)
    real = round_trip.render_markdown_piece

    def slow(markdown, classic, refs):  # stands in for Python-Markdown's quadratic inputs
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pass
        return real(markdown, classic, refs)

    monkeypatch.setattr(round_trip, "render_markdown_piece", slow)
    content = "<!-- wp:paragraph -->\n<p>Plain words.</p>\n<!-- /wp:paragraph -->"
    started = time.monotonic()
    body, copy = pull_content(content)
    assert time.monotonic() - started < 2
    assert body.strip() == content  # kept as a raw island
    assert content_for_body(body, copy)[0] == content


def test_an_edited_part_too_slow_to_convert_ends_in_a_plain_error(monkeypatch) -> None:
    monkeypatch.setattr(round_trip, "hard_deadline", lambda _chars: 0.05)
    real = round_trip.render_markdown_piece

    def slow(markdown, classic, refs):  # stands in for Python-Markdown's quadratic inputs
        if "Edited" in markdown:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
        return real(markdown, classic, refs)

    content = "<!-- wp:paragraph -->\n<p>Plain words.</p>\n<!-- /wp:paragraph -->"
    body, copy = pull_content(content)
    monkeypatch.setattr(round_trip, "render_markdown_piece", slow)
    started = time.monotonic()
    with pytest.raises(round_trip.PieceTooSlow, match="Edited words"):
        content_for_body(body + "\nEdited words.\n", copy)
    assert time.monotonic() - started < 2
