"""Raw islands: WordPress block markup in the Markdown comes out of the renderer untouched."""

from __future__ import annotations

import random
from pathlib import Path

from editor.core.block_grammar import depth_after
from editor.core.post import Post
from editor.render.block_split import split_blocks
from editor.render.export import render_post_page
from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer, render_markdown
from editor.render.piece_delta import apply_delta
from editor.render.preview_render import preview_delta, preview_pieces
from editor.render.raw_islands import find_islands, island_spans, with_placeholders

FULL = MarkdownRenderer()

GALLERY = (
    '<!-- wp:gallery {"linkTo":"none"} -->\n'
    '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
    '<!-- wp:image {"id":12} -->\n'
    '<figure class="wp-block-image"><img src="https://blog/a.jpg" alt="" class="wp-image-12"/>'
    "</figure>\n"
    "<!-- /wp:image -->\n"
    "\n"
    '<!-- wp:image {"id":13} -->\n'
    '<figure class="wp-block-image"><img src="https://blog/b.jpg" alt="" class="wp-image-13"/>'
    "</figure>\n"
    "<!-- /wp:image --></figure>\n"
    "<!-- /wp:gallery -->"
)
LATEST = '<!-- wp:latest-posts {"postsToShow":3} /-->'
SHORTCODE = (
    "<!-- wp:shortcode -->\n"
    '[contact-form to="ada@example.com" subject=\'Hi -- "there"\']\n'
    "<!-- /wp:shortcode -->"
)
COLUMNS = (
    '<!-- wp:columns -->\n<div class="wp-block-columns">'
    + "".join(
        f'<!-- wp:column -->\n<div class="wp-block-column"><!-- wp:paragraph -->\n'
        f'<p>Column {n} -- "quoted"</p>\n<!-- /wp:paragraph --></div>\n<!-- /wp:column -->\n\n'
        for n in range(3)
    )
    + "</div>\n<!-- /wp:columns -->"
)
TABBED = (
    '<!-- wp:preformatted -->\n<pre class="wp-block-preformatted">if x:\n\treturn "y"\n'
    "   \n\n  *not emphasis*</pre>\n<!-- /wp:preformatted -->"
)
POST = "\n\n".join(
    [
        "---\ntitle: Islands\n---",
        'Intro with "quotes" and *emphasis*.',
        GALLERY,
        LATEST,
        SHORTCODE,
        COLUMNS,
        TABBED,
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->",
        "Outro -- done.",
    ]
)


def test_every_island_is_in_the_html_byte_for_byte() -> None:
    html = render_markdown(POST)
    for island in (GALLERY, LATEST, SHORTCODE, COLUMNS, TABBED):
        assert island in html
    assert "<p>Intro with &ldquo;quotes&rdquo; and <em>emphasis</em>.</p>" in html
    assert "<p>Outro &ndash; done.</p>" in html


def test_a_shortcode_island_keeps_straight_quotes_and_gets_no_paragraph() -> None:
    html = render_markdown(SHORTCODE + '\n\nA "quoted" line.\n')
    assert html.startswith(SHORTCODE + "\n")
    assert "&rdquo;" not in html.split("\n<p>")[0]
    assert "<p>[contact-form" not in html
    assert "<p>A &ldquo;quoted&rdquo; line.</p>" in html


def test_without_islands_the_same_markup_would_be_rewritten() -> None:
    # the cause the islands remove: Python-Markdown alone turns a shortcode into prose
    indented = "\n".join("x" + line for line in SHORTCODE.split("\n"))
    assert "&rdquo;" in render_markdown(indented)


def test_an_island_inside_fenced_code_stays_code() -> None:
    text = f"```\n{LATEST}\n```\n"
    assert not list(island_spans(text))
    assert "&lt;!-- wp:latest-posts" in render_markdown(text)


def test_an_opener_after_a_paragraph_line_is_not_an_island() -> None:
    text = f"A paragraph\n{LATEST}\n"
    assert not list(island_spans(text))
    assert render_markdown(text).startswith("<p>A paragraph")


def test_text_right_after_an_island_is_its_own_paragraph() -> None:
    html = render_markdown(f"{LATEST}\nNext *line*.\n")
    assert html == f"{LATEST}\n<p>Next <em>line</em>.</p>"


def test_an_unclosed_island_runs_to_the_end_of_the_text_as_wordpress_reads_it() -> None:
    text = '<!-- wp:group -->\n<div class="wp-block-group">\n\n"Still" *raw*.\n'
    assert [(s, e) for s, e in island_spans(text)] == [(0, len(text) - 1)]
    assert render_markdown(text) == text.rstrip("\n")


def test_islands_are_named_and_labelled() -> None:
    body = POST.split("---\n\n", 1)[1]
    labels = [(i.name, i.label, i.dynamic) for i in find_islands(body)]
    assert labels == [
        ("core/gallery", "Gallery, 2 images", False),
        ("core/latest-posts", "Latest posts (dynamic)", True),
        ("core/shortcode", "Shortcode [contact-form] (dynamic)", True),
        ("core/columns", "Columns (3)", False),
        ("core/preformatted", "Preformatted", False),
        ("core/more", "More", False),
    ]
    third_party = find_islands(
        '<!-- wp:acme/price-table {"id":3} -->\n<div>€3</div>\n<!-- /wp:acme/price-table -->'
    )[0]
    assert third_party.label == "Price table (acme)" and not third_party.dynamic
    empty = find_islands("<!-- wp:acme/counter -->\n<!-- /wp:acme/counter -->")[0]
    assert empty.dynamic and empty.label == "Counter (acme) (dynamic)"


def test_island_spans_agree_with_counting_line_by_line() -> None:
    # the editor's highlighter follows islands with depth_after, line by line
    text = POST.split("---\n\n", 1)[1]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for start, end in island_spans(text):
        first = offsets.index(start)
        depth = 0
        for number in range(first, len(lines)):
            depth = depth_after(lines[number], depth)
            if depth == 0:
                break
        assert offsets[number] + len(lines[number].rstrip()) == end


def test_the_preview_shows_dynamic_blocks_as_placeholders_and_static_ones_as_html() -> None:
    html = with_placeholders(render_markdown(POST))
    assert GALLERY in html and COLUMNS in html
    assert LATEST not in html and "[contact-form to=" not in html
    assert (
        '<div class="dp-dynamic-block" data-block="core/latest-posts">'
        "Latest posts — shown by the blog</div>"
    ) in html
    assert "Shortcode [contact-form] — shown by the blog" in html


def test_a_dynamic_block_nested_in_a_static_island_gets_a_placeholder_inside_it() -> None:
    group = (
        '<!-- wp:group -->\n<div class="wp-block-group"><!-- wp:archives /-->\n'
        "<p>static</p></div>\n<!-- /wp:group -->"
    )
    html = with_placeholders(render_markdown(group))
    assert html.startswith('<!-- wp:group -->\n<div class="wp-block-group"><div class="dp-dyn')
    assert "Archives — shown by the blog" in html and "<p>static</p>" in html


def test_placeholders_are_a_preview_step_only() -> None:
    assert LATEST in render_markdown(POST)
    plain = render_markdown("No islands, <!-- a comment -->.")
    assert with_placeholders(plain) is plain


def test_incremental_rendering_with_islands_equals_a_full_render() -> None:
    renderer = IncrementalRenderer()
    assert renderer.render(POST) == FULL.render_document(POST)
    pieces = [piece.html for piece in renderer.blocks]
    assert any(piece.startswith(GALLERY) for piece in pieces)  # the gallery is one block
    randomness = random.Random(11)
    alphabet = ["\n", "\n\n", "x", '"', "<!-- /wp:gallery -->", "<!-- wp:x -->", "```\n", "\t"]
    for _ in range(200):
        text = renderer.text
        position = randomness.randrange(len(text) + 1)
        removed = randomness.randrange(min(6, len(text) - position) + 1)
        renderer.edit(position, removed, randomness.choice(alphabet))
        html = renderer.html
        assert html == FULL.render_document(renderer.text)


def test_typing_inside_an_island_re_renders_only_that_island() -> None:
    text = "\n\n".join(f"Paragraph {n}." for n in range(50)) + "\n\n" + GALLERY + "\n\nEnd.\n"
    renderer = IncrementalRenderer()
    renderer.render(text)
    position = renderer.text.index("b.jpg")
    renderer.edit(position, 0, "x")
    html = renderer.html
    assert renderer.last_rendered_blocks == 1
    assert html == FULL.render_document(renderer.text)
    assert GALLERY.replace("b.jpg", "xb.jpg") in html


def test_the_splitter_keeps_an_island_with_blank_lines_as_one_block() -> None:
    text = f"Intro.\n\n{COLUMNS}\n\n{GALLERY}\n\nEnd.\n"
    starts = split_blocks(text)
    assert starts == [0, text.index(COLUMNS), text.index(GALLERY), text.index("End.")]
    # fenced code before an island hides it, as in a full render
    fenced = f"```\n\n{LATEST}\n\n```\n\n{LATEST}\n"
    assert split_blocks(fenced) == [0, fenced.rindex(LATEST)]


def test_the_standalone_page_shows_dynamic_blocks_as_placeholders() -> None:
    page = render_post_page(Post(POST, Path("islands.md")))
    assert "Latest posts — shown by the blog" in page and LATEST not in page
    assert GALLERY in page
    assert ".dp-dynamic-block {" in page  # styled by the theme


def test_preview_pieces_replace_dynamic_blocks_and_scan_only_what_an_edit_changed() -> None:
    renderer = IncrementalRenderer()
    renderer.render(POST)
    shown = list(preview_pieces(renderer.blocks))
    assert "".join(p.html for p in shown) == with_placeholders(FULL.render_document(POST))
    renderer.take_delta()
    renderer.edit(renderer.text.index("Outro"), 0, "New ")
    delta = preview_delta(renderer.take_delta())
    assert all("Latest posts" not in piece.html for piece in delta.pieces)  # not sent again
    htmls, lines = [p.html for p in shown], [p.line for p in shown]
    apply_delta(htmls, lines, delta)
    assert "".join(htmls) == with_placeholders(FULL.render_document(renderer.text))
    plain = IncrementalRenderer()
    plain.render("No block markup.")
    assert preview_pieces(plain.blocks)[0] == plain.blocks[0]
