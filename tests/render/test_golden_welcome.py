"""The welcome post renders exactly as the reviewed golden HTML.

Set DRAFTPRESS_UPDATE_GOLDEN=1 to rewrite tests/render/data/welcome.html after a deliberate
change to the dialect, then read the new file before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from editor.render.markdown_renderer import render_markdown
from editor.resource_locator import read_resource_text

GOLDEN = Path(__file__).parent / "data" / "welcome.html"


def test_welcome_post_renders_as_the_golden_html() -> None:
    html = render_markdown(read_resource_text("welcome", "welcome-to-draftpress.md"))

    if os.environ.get("DRAFTPRESS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(html, encoding="utf-8", newline="\n")

    assert html == GOLDEN.read_text(encoding="utf-8")


def test_golden_html_holds_each_construct_of_the_dialect() -> None:
    """Guards the golden file itself against being regenerated from a broken renderer."""
    golden = GOLDEN.read_text(encoding="utf-8")

    assert (
        '<figure>\n<img alt="A hammer raised over a neat row of nails, one of which is a screw"'
        ' src="welcome-to-draftpress.assets/wrong-tool.png">\n<figcaption>\n'
    ) in golden
    assert "<figure>\n<blockquote>\n" in golden
    assert "</blockquote>\n<figcaption>\n<p>\u2014 Jane Example, <a " in golden
    assert '<div class="codehilite"><pre>' in golden
    assert '<span class="k">def</span>' in golden
    assert golden.count("<table>") == 2
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in golden
    assert '<div class="footnote">' in golden
    assert "title: Welcome" not in golden
    assert "<p><img" not in golden
