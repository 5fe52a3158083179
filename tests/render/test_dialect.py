"""The Draftpress Markdown dialect: what each construct renders to."""

from __future__ import annotations

import re

import pytest

from editor.render.markdown_renderer import MarkdownRenderer, render_markdown, shared_renderer


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    """One renderer for the module, as the app uses one for its life."""
    return MarkdownRenderer()


def test_captioned_image_is_a_figure_with_img_and_figcaption(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("![A cat](cat.png)\n\n/// caption\nOur *cat*.\n///\n")

    assert html == (
        '<figure>\n<img alt="A cat" src="cat.png">\n'
        "<figcaption>\n<p>Our <em>cat</em>.</p>\n</figcaption>\n</figure>"
    )


def test_captioned_image_is_not_wrapped_in_a_paragraph(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("![A](a.png)\n/// caption\nCap\n///\n")

    assert "<p><img" not in html
    assert html.startswith("<figure>\n<img ")


def test_image_with_text_in_its_paragraph_stays_in_the_paragraph(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render_body("Look: ![A](a.png)\n\n/// caption\nCap\n///\n")

    assert '<figure>\n<p>Look: <img alt="A" src="a.png"></p>' in html


def test_image_without_caption_is_a_plain_paragraph(renderer: MarkdownRenderer) -> None:
    assert renderer.render_body("![A](a.png)") == '<p><img alt="A" src="a.png"></p>'


def test_quote_with_caption_is_a_figure_with_blockquote_and_attribution(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render_body(
        "> Less is more.\n\n/// caption\n\u2014 Someone, [Essays](https://example.com)\n///\n"
    )

    assert html == (
        "<figure>\n<blockquote>\n<p>Less is more.</p>\n</blockquote>\n"
        "<figcaption>\n<p>\u2014 Someone, "
        '<a href="https://example.com">Essays</a></p>\n</figcaption>\n</figure>'
    )


def test_fenced_code_is_highlighted_with_css_classes_not_inline_styles(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render_body("```python\ndef f(x):\n    return 'hi'\n```\n")

    assert html.startswith('<div class="codehilite"><pre>')
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">f</span>' in html
    assert "<span class=\"s1\">'hi'</span>" in html
    assert "style=" not in html


def test_fenced_code_without_a_language_is_not_guessed(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("```\ndef f(): pass\n```\n")

    assert html.startswith('<div class="codehilite"><pre>')
    assert "def f(): pass" in html
    assert '<span class="k">' not in html


def test_code_keeps_its_quotes_and_dashes_plain(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body('Use `"x" -- y` here.')

    assert '<code>"x" -- y</code>' in html


def test_table_renders_with_head_and_body(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("| Name | Size |\n| ---- | ---: |\n| a | 1 |\n| b | 22 |\n")

    assert html == (
        "<table>\n<thead>\n<tr>\n<th>Name</th>\n"
        '<th style="text-align: right;">Size</th>\n</tr>\n</thead>\n<tbody>\n'
        '<tr>\n<td>a</td>\n<td style="text-align: right;">1</td>\n</tr>\n'
        '<tr>\n<td>b</td>\n<td style="text-align: right;">22</td>\n</tr>\n</tbody>\n</table>'
    )


def test_footnotes_get_a_reference_and_a_note_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("A claim.[^src]\n\n[^src]: The source.\n")

    assert '<sup id="fnref:src"><a class="footnote-ref" href="#fn:src">1</a></sup>' in html
    assert '<div class="footnote">' in html
    assert '<li id="fn:src">\n<p>The source.&#160;<a class="footnote-backref"' in html


def test_toc_marker_gives_a_table_of_contents_and_headings_get_ids(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render_body("[TOC]\n\n# First part\n\n## A detail\n\n# Second part\n")

    assert html.startswith('<div class="toc">\n<ul>\n<li><a href="#first-part">First part</a>')
    assert '<a href="#a-detail">A detail</a>' in html
    assert '<h1 id="first-part">First part</h1>' in html
    assert '<h2 id="a-detail">A detail</h2>' in html
    assert '<h1 id="second-part">Second part</h1>' in html


def test_headings_get_ids_without_a_toc_marker(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("## Hello there\n")

    assert html == '<h2 id="hello-there">Hello there</h2>'


def test_smart_quotes_dashes_and_ellipses(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("\"Quoted\" and 'single' -- it's done...")

    assert html == (
        "<p>&ldquo;Quoted&rdquo; and &lsquo;single&rsquo; &ndash; it&rsquo;s done&hellip;</p>"
    )


def test_sane_lists_keep_ordered_and_bulleted_lists_apart(renderer: MarkdownRenderer) -> None:
    html = renderer.render_body("1. one\n2. two\n\n* bullet\n* more\n")

    assert html == (
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n<ul>\n<li>bullet</li>\n<li>more</li>\n</ul>"
    )


def test_sane_lists_keep_the_start_number(renderer: MarkdownRenderer) -> None:
    assert renderer.render_body("3. three\n4. four\n").startswith('<ol start="3">')


def test_front_matter_is_not_rendered_as_text(renderer: MarkdownRenderer) -> None:
    html = renderer.render_document("---\ntitle: Secret title\ntags: [x]\n---\nVisible body.\n")

    assert html == "<p>Visible body.</p>"


def test_document_without_front_matter_is_rendered_whole(renderer: MarkdownRenderer) -> None:
    assert renderer.render_document("Just text.\n") == "<p>Just text.</p>"


def test_broken_front_matter_is_still_skipped_in_the_preview() -> None:
    assert render_markdown("---\ntitle: [oops\n---\nBody.\n") == "<p>Body.</p>"


def test_rendering_twice_gives_identical_output(renderer: MarkdownRenderer) -> None:
    text = "[TOC]\n\n# Same\n\n# Same\n\nNote[^1] and ![i](i.png)\n\n[^1]: One.\n"

    first = renderer.render_body(text)
    second = renderer.render_body(text)

    assert first == second
    assert '<h1 id="same_1">Same</h1>' in first  # ids are unique within, not across, renders
    assert "same_2" not in second


def test_footnotes_do_not_leak_into_the_next_render(renderer: MarkdownRenderer) -> None:
    renderer.render_body("With a note.[^a]\n\n[^a]: The note.\n")

    html = renderer.render_body("No notes here.\n")

    assert html == "<p>No notes here.</p>"
    assert "footnote" not in html


def test_link_references_do_not_leak_into_the_next_render(renderer: MarkdownRenderer) -> None:
    renderer.render_body("[site][s]\n\n[s]: https://example.com\n")

    assert renderer.render_body("[site][s]") == "<p>[site][s]</p>"


def test_render_markdown_uses_one_shared_renderer() -> None:
    assert shared_renderer() is shared_renderer()
    assert render_markdown("*hi*") == "<p><em>hi</em></p>"


def test_code_quotes_and_unaligned_tables_carry_no_inline_styles(
    renderer: MarkdownRenderer,
) -> None:
    text = "```js\nlet x = 1;\n```\n\n> q\n\n/// caption\nc\n///\n\n| a |\n| - |\n| 1 |\n"

    html = renderer.render_body(text)

    assert re.findall(r'style="[^"]*"', html) == []
