"""The lossless round trip, piece by piece: pull_content and content_for_body (no server)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.publish.block_parser import content_pieces, split_content
from editor.publish.round_trip import body_parts, content_for_body, pull_content
from editor.render.markdown_renderer import render_markdown

PARAGRAPH = (
    '<!-- wp:paragraph -->\n<p>He said "hello" -- and left… <sup>2</sup></p>\n'
    "<!-- /wp:paragraph -->"
)
HEADING = "<!-- wp:heading -->\n<h2>A heading</h2>\n<!-- /wp:heading -->"
LIST = "<!-- wp:list -->\n<ul><li>one</li><li>two</li></ul>\n<!-- /wp:list -->"
GALLERY = (
    '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images '
    'columns-default is-cropped"><!-- wp:image {"id":12} -->\n<figure class="wp-block-image">'
    '<img src="https://blog.example/a.jpg" alt="" class="wp-image-12"/></figure>\n'
    "<!-- /wp:image --></figure>\n<!-- /wp:gallery -->"
)
LATEST = '<!-- wp:latest-posts {"postsToShow":3} /-->'
SHORTCODE = '<!-- wp:shortcode -->\n[gallery ids="1,2"]\n<!-- /wp:shortcode -->'
ESCAPED = "<!-- wp:paragraph -->\n<p>Never paste &lt;script&gt; here.</p>\n<!-- /wp:paragraph -->"
MORE = "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->"
IMAGE = (
    '<!-- wp:image {"id":7,"sizeSlug":"large","linkDestination":"none"} -->\n'
    '<figure class="wp-block-image size-large"><img src="https://blog.example/cat.jpg" '
    'alt="A cat" class="wp-image-7"/><figcaption class="wp-element-caption">A cat</figcaption>'
    "</figure>\n<!-- /wp:image -->"
)
PIECES = [PARAGRAPH, HEADING, LIST, GALLERY, LATEST, SHORTCODE, ESCAPED, MORE, IMAGE]
POST = "\n\n".join(PIECES)

CLASSIC = (
    "First paragraph, written in the classic editor\nwith a soft break.\n\n"
    '[caption id="attachment_5" align="alignleft" width="300"]<img class="wp-image-5" '
    'src="https://blog.example/dog.jpg" alt="Dog" width="300" height="200" /> A dog[/caption]\n\n'
    "<!--more-->\n\n"
    '[gallery ids="1,2,3"]\n\n'
    "<table><caption>Scores</caption><tr><td>1</td></tr><tfoot><tr><td>x</td></tr></tfoot>"
    "</table>\n\n"
    "Last words with H<sub>2</sub>O and <mark>marked</mark> text."
)


def _blocks(content: str) -> list[str]:
    """Top-level pieces of content, spaces left out."""
    return [piece.text for piece in content_pieces(content) if piece.kind != "space"]


def test_an_untouched_block_post_goes_back_byte_for_byte() -> None:
    body, copy = pull_content(POST)
    assert content_for_body(body, copy)[0] == POST


def test_an_untouched_classic_post_goes_back_byte_for_byte() -> None:
    body, copy = pull_content(CLASSIC)
    assert content_for_body(body, copy)[0] == CLASSIC


def test_pulling_what_an_untouched_publish_sends_gives_the_same_markdown() -> None:
    for content in (POST, CLASSIC):
        body, copy = pull_content(content)
        again, _copy = pull_content(content_for_body(body, copy)[0])
        assert again == body


def test_prose_converts_and_what_markdown_cannot_say_stays_verbatim() -> None:
    body, _copy = pull_content(POST)
    assert "## A heading" in body
    assert "- one\n- two" in body
    assert 'He said "hello" -- and left… <sup>2</sup>' in body
    for island in (GALLERY, LATEST, SHORTCODE, MORE):
        assert island in body


def test_escaped_text_stays_text_after_the_pull() -> None:
    body, _copy = pull_content(
        ESCAPED + "\n\n" + "<!-- wp:paragraph -->\n<p>&lt;!-- x --&gt;</p>\n<!-- /wp:paragraph -->"
    )
    html = render_markdown(body)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<!--" not in html


def test_an_edited_word_changes_only_its_block() -> None:
    body, copy = pull_content(POST)
    edited = body.replace("A heading", "A better heading")
    content, _new_copy = content_for_body(edited, copy)
    before, after = _blocks(POST), _blocks(content)
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [1]
    assert "A better heading" in after[1]


def test_an_edited_classic_chunk_changes_only_that_chunk() -> None:
    body, copy = pull_content(CLASSIC)
    edited = body.replace("Last words", "Final words")
    content, _copy = content_for_body(edited, copy)
    before, after = _blocks(CLASSIC), _blocks(content)
    assert before[:-1] == after[:-1]
    assert "Final words" in after[-1] and "<sub>2</sub>" in after[-1]


def test_an_edited_image_keeps_its_media_id() -> None:
    body, copy = pull_content(IMAGE)
    assert "![A cat](https://blog.example/cat.jpg)" in body
    content, _copy = content_for_body(body.replace("A cat", "A black cat"), copy)
    assert '"id":7' in content and "wp-image-7" in content and "A black cat" in content


def test_moved_and_inserted_paragraphs_keep_every_untouched_piece() -> None:
    body, copy = pull_content(POST)
    parts = body.split("\n\n## A heading\n\n")
    edited = "A new first paragraph.\n\n## A heading\n\n" + parts[0] + "\n\n" + parts[1]
    content, _copy = content_for_body(edited, copy)
    for piece in PIECES:
        assert piece in content
    assert "<p>A new first paragraph.</p>" in content


def test_the_new_copy_maps_the_sent_content_so_a_second_publish_sends_the_same() -> None:
    body, copy = pull_content(POST)
    edited = body.replace("A heading", "Another heading")
    content, new_copy = content_for_body(edited, copy)
    assert content_for_body(edited, new_copy)[0] == content
    assert [part.segment is not None for part in body_parts(edited, new_copy)] == [True] * len(
        new_copy.segments
    )


_SPACE = st.sampled_from(["\n\n", "\n", "\n\n\n", " \n\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), _SPACE), min_size=1, max_size=8), _SPACE)
def test_any_sequence_of_blocks_goes_back_byte_for_byte(items, lead) -> None:
    content = lead + "".join(piece + space for piece, space in items)
    body, copy = pull_content(content)
    assert content_for_body(body, copy)[0] == content
    assert "".join(piece.text for piece in split_content(content)) == content


def test_classic_shortcodes_stay_verbatim_even_next_to_an_edit() -> None:
    body, copy = pull_content(CLASSIC)
    assert '[gallery ids="1,2,3"]' in body
    edited = body.replace('[gallery ids="1,2,3"]', '[gallery ids="1,2,3"]\n\nA new line.')
    content, _copy = content_for_body(edited, copy)
    assert '\n[gallery ids="1,2,3"]\n' in content and "“" not in content


def test_nested_lists_start_numbers_and_heading_anchors_convert_and_go_back() -> None:
    content = (
        '<!-- wp:list {"ordered":true,"start":3} -->\n<ol start="3"><li>Pride<ul><li>the ball'
        "</li></ul></li><li>Moby-Dick</li></ol>\n<!-- /wp:list -->\n\n"
        '<!-- wp:heading {"level":3} -->\n<h3 id="smaller">A smaller <em>heading</em></h3>\n'
        "<!-- /wp:heading -->"
    )
    body, copy = pull_content(content)
    assert "3. Pride\n    - the ball\n4. Moby-Dick" in body
    assert "### A smaller *heading* {#smaller}" in body
    assert content_for_body(body, copy)[0] == content
    edited, _copy = content_for_body(body.replace("Moby-Dick", "Moby Dick"), copy)
    assert 'start="3"' in edited and "<li>Moby Dick</li>" in edited
    assert '<h3 id="smaller">' in edited.split("<!-- wp:heading", 1)[1]


def test_an_island_the_writer_edits_is_sent_as_written() -> None:
    body, copy = pull_content(POST)
    edited_gallery = GALLERY.replace('alt=""', 'alt="A new alt"')
    content, _copy = content_for_body(body.replace(GALLERY, edited_gallery), copy)
    assert edited_gallery in content
    assert [b for b in _blocks(content) if b != edited_gallery] == [
        b for b in _blocks(POST) if b != GALLERY
    ]


def test_new_text_is_sent_as_written_with_its_blank_lines_inside_code() -> None:
    body, copy = pull_content(POST)
    code = "```python\nfirst = 1\n\n\n    \nlast = 2\n```"
    edited = body.replace("## A heading", "## A heading\n\n" + code + "\n\nAfter the code.")
    content, _copy = content_for_body(edited, copy)
    # Python-Markdown empties the whitespace-only line itself; the blank lines all stay.
    assert "first = 1\n\n\n\nlast = 2" in content
    for piece in PIECES:
        assert piece in content
