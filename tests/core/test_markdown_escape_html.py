"""Text that looks like HTML is written so Markdown shows it, never turns it into markup."""

from __future__ import annotations

import pytest

from editor.core.markdown_escape import escape_inline, link, unescape
from editor.render.markdown_renderer import render_markdown


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a < b > c", "back\\slash <b>"],
)
def test_html_like_text_renders_as_text_and_reads_back(text: str) -> None:
    for written in (escape_inline(text), link(text, "https://example.com/a")):
        html = render_markdown(written)
        assert "<script" not in html and "<img" not in html and "\\&lt;" not in html
    assert unescape(escape_inline(text)) == text


@pytest.mark.parametrize("text", ["&lt;", "a &amp; b", "&#60;script&#62;", "AT&T; R&D &", "&lt"])
def test_text_that_looks_like_an_entity_shows_and_reads_back_as_typed(text: str) -> None:
    written = escape_inline(text)
    assert unescape(written) == text
    html = render_markdown(written)
    assert "<script" not in html
    shown = html.removeprefix("<p>").removesuffix("</p>")
    assert shown.replace("&amp;", "&") == text  # the reader sees what was typed
