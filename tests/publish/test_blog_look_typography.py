"""WordPress's typography in the blog-look body only: what wptexturize still changes after the
renderer's own smart quotes (measured against the test WordPress: tests/integration/
test_blog_look_wordpress.py compares the served text), never code, tags or what is published."""

from __future__ import annotations

from editor.publish.blog_look_page import PLAIN_HTML, blog_body_html
from editor.publish.blog_look_typography import texturize_html
from editor.publish.wordpress_blocks import html_to_blocks
from editor.render.checked_render import render_checked

PROSE = "She left - then came back. A 2x4 board (tm), 0x1F and 10x20.\n"


def test_a_lone_hyphen_trade_mark_and_times_become_wordpress_typography() -> None:
    body = blog_body_html(render_checked(PROSE))
    assert "She left \u2013 then came back. A 2\u00d74 board \u2122, 0x1F and 10\u00d720." in body


def test_code_tags_and_attributes_keep_their_characters() -> None:
    html = '<p><a href="/a - b?2x4" title=" - ">x - y</a> <code>a - b 2x4 (tm)</code></p>'
    assert texturize_html(html) == (
        '<p><a href="/a - b?2x4" title=" - ">x \u2013 y</a> <code>a - b 2x4 (tm)</code></p>'
    )
    assert texturize_html("<pre><code>- 2x4\n</code></pre><p>- 2x4</p>") == (
        "<pre><code>- 2x4\n</code></pre><p>\u2013 2\u00d74</p>"
    )


def test_what_is_published_and_other_engines_bodies_are_unchanged() -> None:
    html = render_checked(PROSE)
    assert "left - then" in html_to_blocks(html) and "2x4" in html_to_blocks(html)
    assert "left - then" in blog_body_html(html, style=PLAIN_HTML)  # Micropub: no WordPress rules
