"""Incremental rendering equals a full render, byte for byte, after every edit."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.piece_delta import RenderedBlock, apply_delta

FULL = MarkdownRenderer()
EXAMPLES = int(os.environ.get("DRAFTPRESS_HYPOTHESIS_EXAMPLES", "300"))

BLOCKS = [
    'A paragraph with *emphasis*, **strong**, `code` and "quotes".',
    "Two lines\nof one paragraph.",
    "# A heading",
    "## A heading",
    "# Another heading {#a-heading}",
    "Setext heading\n--------------",
    "- item one\n- item two",
    "- loose one\n\n- loose two",
    "1. first\n2. second\n    - nested",
    "> A quote\n> on two lines.",
    "> A quote\n\n> that continues",
    "```python\nprint('x')\n\nprint('y')\n```",
    "~~~\nplain code\n~~~",
    "```\nan unclosed fence",
    "    indented code\n\n    more code",
    "![An image](pic.png)\n\n/// caption\nA caption (art by [Me](https://example.com))\n///",
    "> Quoted words.\n\n/// caption\n— Someone, [Source](https://example.com)\n///",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "---",
    "[A link](https://example.com) in text.",
    "A line with a hard break  \nand more.",
    "See [the docs][docs] and [Docs] and [missing][].",
    "[docs]: https://example.com/docs",
    '[docs]: https://example.com/other "Other"',
    "A note[^1] and another[^two] and again[^1].",
    "- a list with a note[^1]\n- and [docs]",
    "[^1]: The first note.",
    "> A quoted note[^two], *emphasised[^1]*.\n\n| a[^1] | b |\n|---|---|\n| 1 | 2[^two] |",
    "Term[^1]\n: Definition[^two].",
    "## A heading[^two]",
    "[^two]: The second note.\n\n    With a second paragraph.",
    "The HTML and CSS specs.",
    "*[HTML]: Hyper Text Markup Language",
    "*[CSS]: Cascading Style Sheets",
    "[TOC]",
    "Term\n: A definition.",
    "Another term\n: Its definition.\n\n    Continued.",
    "<div>\nraw *HTML*\n</div>",
    '<div markdown="1">\n*inside*\n</div>',
    "<div>\n\nan open div",
    "</div>",
    "<div markdown=",
    'An <b>inline</b> tag, a <a href="https://example.com">link</a> and <aside',
    "<!-- a comment -->",
    "Text with {: #custom-id } attributes.\n{: #para-id }",
    # raw islands: WordPress block markup kept verbatim (blank lines, tabs, quotes inside)
    '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery">'
    '<!-- wp:image {"id":12} -->\n<figure><img src="a.jpg" alt=""/></figure>\n'
    '<!-- /wp:image -->\n\n<!-- wp:image {"id":13} -->\n<figure><img src="b.jpg" alt=""/>'
    "</figure>\n<!-- /wp:image --></figure>\n<!-- /wp:gallery -->",
    '<!-- wp:latest-posts {"postsToShow":3} /-->',
    '<!-- wp:shortcode -->\n[gallery ids="1,2" link="file"]\n<!-- /wp:shortcode -->',
    '<!-- wp:preformatted -->\n<pre class="wp-block-preformatted">a\tb\n\n  "c"</pre>\n'
    "<!-- /wp:preformatted -->",
    "<!-- wp:html -->\n\n[docs]: https://example.com/island\n\n[^1]: Not a note.\n\n# Not a heading"
    "\n<!-- /wp:html -->",
    "<!-- wp:html -->\n```\n\n<p>a fence inside</p>\n<!-- /wp:html -->",
    '<!-- wp:group -->\n<div class="wp-block-group">\n\nan unclosed group',
    "<!-- /wp:group -->",
    "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->",
    "<!--more-->",
    '<!-- wp:spacer -->\n<div class="wp-block-spacer"></div>\n<!-- /wp:spacer --> trailing *text*',
]
EDIT_CHARS = st.sampled_from(
    list("ab \n>-*`#/|1.!:[]()~_^\"'<{}")
    + ["```", "///", "\n\n", "    ", "<!-- wp:x -->", "<!-- /wp:x -->", "<!-- wp:y /-->", "\t"]
)


@st.composite
def documents(draw) -> str:
    """A document made of blocks from the dialect, separated by one or more blank lines."""
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=10))
    gaps = draw(
        st.lists(
            st.sampled_from(["\n\n", "\n\n\n", "\n"]), min_size=len(blocks), max_size=len(blocks)
        )
    )
    front = draw(st.sampled_from(["", "---\ntitle: T\n---\n"]))
    return front + "".join(block + gap for block, gap in zip(blocks, gaps, strict=True))


@st.composite
def edits(draw, text: str) -> tuple[int, int, str]:
    """One edit as QTextDocument reports it: position, characters removed, text added."""
    position = draw(st.integers(0, len(text)))
    removed = draw(st.integers(0, min(8, len(text) - position)))
    added = "".join(draw(st.lists(EDIT_CHARS, max_size=4)))
    if draw(st.booleans()) and len(text) > 2:  # sometimes a whole block from the corpus
        added = draw(st.sampled_from(BLOCKS)) + draw(st.sampled_from(["", "\n", "\n\n"]))
    return position, removed, added


def assert_delta_keeps_pieces(renderer: IncrementalRenderer, shown: list[RenderedBlock]) -> None:
    """Pieces patched with the last delta are the renderer's pieces, lines included."""
    htmls, lines = [piece.html for piece in shown], [piece.line for piece in shown]
    apply_delta(htmls, lines, renderer.last_delta)
    assert list(zip(lines, htmls, strict=True)) == [(p.line, p.html) for p in renderer.blocks]


def assert_pieces_match(renderer: IncrementalRenderer, html: str) -> None:
    """The pieces join to the HTML, in order, each starting on a line of the text."""
    pieces = renderer.blocks
    assert "".join(piece.html for piece in pieces) == html
    lines = [piece.line for piece in pieces]
    if len(pieces) > 1 and pieces[-1].html.startswith('<div class="footnote">'):
        lines.pop()  # the footnotes piece points at the first footnote definition
    assert lines == sorted(lines)
    assert all(0 <= line <= renderer.text.count("\n") for line in lines)
    text_lines = renderer.text.split("\n")
    if renderer.last_rendered_blocks != -1 and html:  # each block starts on one of its lines
        assert all(text_lines[line].strip() for line in lines)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_every_edit_gives_exactly_the_full_render(data) -> None:
    text = data.draw(documents())
    renderer = IncrementalRenderer()
    html = renderer.render(text)
    assert html == FULL.render_document(text)
    assert_pieces_match(renderer, html)
    for _ in range(data.draw(st.integers(1, 6))):
        position, removed, added = data.draw(edits(renderer.text))
        expected_text = renderer.text[:position] + added + renderer.text[position + removed :]
        shown = renderer.blocks
        renderer.edit(position, removed, added)
        assert_delta_keeps_pieces(renderer, shown)
        html = renderer.html
        assert renderer.text == expected_text
        assert html == FULL.render_document(expected_text)
        assert_pieces_match(renderer, html)
    other = data.draw(documents())  # render() of a different text is incremental too
    assert renderer.render(other) == FULL.render_document(other)


def _sections(count: int, note_every: int = 0) -> str:
    """A long post: headings (repeated titles), paragraphs using reference links, notes."""
    parts = []
    for n in range(count):
        note = f"[^n{n}]" if note_every and n % note_every == 0 else ""
        parts.append(
            f"## {'Results' if n % 2 else 'Method'}\n\n"
            f"Paragraph {n} cites [the source][src{n % 5}] and HTML.{note}\n\n"
        )
    parts.append("*[HTML]: Hyper Text Markup Language\n\n")
    parts.extend(f"[src{k}]: https://example.com/{k}\n\n" for k in range(5))
    if note_every:
        parts.extend(f"[^n{n}]: Note {n}.\n\n" for n in range(0, count, note_every))
    return "".join(parts)


def test_an_edit_re_renders_only_the_block_it_touched() -> None:
    text = "\n\n".join(f"Paragraph number {n} of a long post." for n in range(200))
    renderer = IncrementalRenderer()
    renderer.render(text)
    before = renderer.blocks
    position = text.index("number 100") + len("number 100")
    renderer.edit(position, 0, " (edited)")
    html = renderer.html
    assert renderer.last_rendered_blocks == 1
    assert "Paragraph number 100 (edited) of a long post." in html
    after = renderer.blocks
    assert after[99].html is before[99].html and after[101].html is before[101].html
    assert after[100].html != before[100].html


def test_changing_a_definition_re_renders_only_the_blocks_that_use_it() -> None:
    text = _sections(60)
    renderer = IncrementalRenderer()
    renderer.render(text)
    before = {piece.line: piece.html for piece in renderer.blocks}
    position = text.index("https://example.com/3") + len("https://example.com/")
    renderer.edit(position, 1, "33")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    # the definitions block, and the 12 paragraphs citing src3
    assert 1 <= renderer.last_rendered_blocks <= 14
    changed = [p for p in renderer.blocks if before.get(p.line) != p.html]
    assert all("example.com/33" in p.html for p in changed if "Paragraph" in p.html)
    assert sum("Paragraph" in p.html for p in changed) == 12


def test_an_abbreviation_change_re_renders_the_blocks_holding_its_term() -> None:
    renderer = IncrementalRenderer()
    text = _sections(30)
    renderer.render(text)
    position = text.index("Hyper Text") + len("Hyper")
    renderer.edit(position, 0, "!")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    assert 'title="Hyper! Text Markup Language"' in html
    assert renderer.last_rendered_blocks <= 32


def test_a_footnote_added_early_renumbers_the_later_ones() -> None:
    text = _sections(40, note_every=10)
    renderer = IncrementalRenderer()
    renderer.render(text)
    position = text.index("Paragraph 3 ") + len("Paragraph 3")
    renderer.edit(position, 0, "[^early]")
    end = len(renderer.text)
    renderer.edit(end, 0, "\n\n[^first]: Defined first? No, last.\n")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    definition_at = renderer.text.index("[^n0]: Note 0.")
    renderer.edit(definition_at, 0, "[^early]: An early note.\n\n")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    assert 'href="#fn:n10">3</a>' in html  # n0, early, n10...
    assert renderer.blocks[-1].html.startswith('<div class="footnote">')
    lines = renderer.text.split("\n")
    assert lines[renderer.blocks[-1].line].startswith("[^early]:")


def test_repeated_references_to_a_note_get_numbered_back_links() -> None:
    renderer = IncrementalRenderer()
    text = "A[^x].\n\n- in a list[^x]\n\nB[^x].\n\n[^x]: The note.\n"
    html = renderer.render(text)
    assert html == FULL.render_document(text)
    assert 'id="fnref3:x"' in html
    renderer.edit(0, 0, "Zero[^x].\n\n")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)


def test_duplicate_headings_and_the_toc_follow_every_edit() -> None:
    text = "[TOC]\n\n" + _sections(20)
    renderer = IncrementalRenderer()
    renderer.render(text)
    renderer.edit(len("[TOC]\n\n"), 0, "## Results\n\nNew.\n\n## Method {#results_3}\n\n")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    assert 'href="#results_3"' in html and 'id="results_4"' in html
    position = renderer.text.index("## Method", 40) + len("## Meth")
    renderer.edit(position, 0, "o")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)


def test_render_of_an_edited_text_is_incremental() -> None:
    text = "\n\n".join(f"Paragraph {n}." for n in range(300))
    renderer = IncrementalRenderer()
    renderer.render(text)
    edited = text.replace("Paragraph 150.", "Paragraph 150, edited.")
    assert renderer.render(edited) == FULL.render_document(edited)
    assert renderer.last_rendered_blocks == 1


def test_an_unclosed_html_block_swallows_the_rest_exactly() -> None:
    text = "Intro.\n\n<div>\n\nNot *Markdown*.\n\n" + _sections(5)
    renderer = IncrementalRenderer()
    assert renderer.render(text) == FULL.render_document(text)
    renderer.edit(len(text), 0, "\n</div>\n\nAfter *that*.\n")
    html = renderer.html
    assert html == FULL.render_document(renderer.text)
    assert "<em>that</em>" in html


def test_rare_constructs_still_get_a_full_render() -> None:
    for text in (
        "A note[^1].\n\n[^1]: A note citing another[^2].\n\n[^2]: The other.",
        "Text.\n\n///Footnotes Go Here///\n\nMore[^1].\n\n[^1]: Note.",
        "# Heading\n\nText[^1].\n\n[^1]: Note.\n\n    # A heading inside a note",
    ):
        renderer = IncrementalRenderer()
        assert renderer.render(text) == FULL.render_document(text)
        assert renderer.last_rendered_blocks == -1
        assert [piece.html for piece in renderer.blocks] == [FULL.render_document(text)]


def test_an_edit_in_a_megabyte_post_renders_a_few_blocks() -> None:
    paragraph = "Plain words for a long book draft, " * 14
    parts = []
    for n in range(2200):
        parts.append(f"{paragraph}paragraph {n} [src{n % 5}].\n\n")
        if n % 50 == 0:
            parts.append(f"## Chapter {n // 50}[^c{n}]\n\n")
    parts.extend(f"[src{k}]: https://example.com/{k}\n\n" for k in range(5))
    parts.extend(f"[^c{n}]: Chapter note {n}.\n\n" for n in range(0, 2200, 50))
    text = "".join(parts)
    assert len(text) > 1_000_000
    renderer = IncrementalRenderer()
    renderer.render(text)
    position = text.index("paragraph 1100 ")
    renderer.edit(position, 0, "the ")
    assert renderer.last_rendered_blocks == 1
    renderer.edit(renderer.text.index("## Chapter 3") + 4, 0, "x")
    assert renderer.last_rendered_blocks == 1
    renderer.edit(renderer.text.index("[^c500]: Chapter") + 10, 0, "x")
    assert renderer.last_rendered_blocks <= 2
    renderer.edit(renderer.text.index("https://example.com/4") + 8, 0, "x")
    html = renderer.html
    assert renderer.last_rendered_blocks <= 2 + 440  # the definitions and the citing blocks
    assert html == FULL.render_document(renderer.text)


def test_a_long_first_render_renders_each_block_once_with_definitions_at_the_end() -> None:
    parts = [
        f"Paragraph {n} cites [a source][src{n % 3}] and a note[^n{n % 4}].\n\n" for n in range(120)
    ]
    parts.append("*[HTML]: HyperText Markup Language\n\nSome HTML at the end.\n\n")
    parts.extend(f'[src{k}]: https://example.com/{k} "Source {k}"\n\n' for k in range(3))
    parts.extend(f"[^n{k}]: Note {k}.\n\n" for k in range(4))
    text = "".join(parts)
    renderer = IncrementalRenderer()

    assert renderer.render(text) == FULL.render_document(text)
    blocks = len(renderer.blocks) - 1  # the footnotes piece is assembled, not rendered
    # Definitions are guessed before rendering: no block is rendered a second time (the four
    # footnotes are rendered one by one, each once).
    assert 0 < renderer.last_rendered_blocks <= blocks + 4


@pytest.mark.parametrize(
    ("before", "edit"),
    [
        ("", (0, 0, "\t")),
        ("", (0, 0, "    ")),
        ("  ", (0, 0, "  ")),
        ("\n", (0, 1, "\t")),
        (":é\n", (0, 3, "\t")),
        ("---\ntitle: x\n---\n", (17, 0, "     ")),
        ("    x", (4, 1, "")),
    ],
)
def test_a_body_of_only_whitespace_renders_as_nothing_as_in_a_full_render(
    before: str, edit: tuple[int, int, str]
) -> None:
    # Issue 16's first rows: the incremental render gave an empty code block here.
    renderer = IncrementalRenderer()
    renderer.render(before)
    position, removed, added = edit
    after = before[:position] + added + before[position + removed :]
    renderer.edit(position, removed, added)
    assert renderer.html == MarkdownRenderer().render_document(after)
    assert IncrementalRenderer().render(after) == MarkdownRenderer().render_document(after)


def test_an_edit_hands_out_only_the_pieces_it_changed_and_batches_fold() -> None:
    text = _sections(400, note_every=8)
    renderer = IncrementalRenderer()
    renderer.render(text)
    shown = renderer.blocks
    renderer.take_delta()
    at = text.index("Paragraph", len(text) // 2)
    first = renderer.edit(at, 0, "Typed ")
    assert len(first.pieces) <= 2 and first.removed <= 2  # not the whole post
    assert first.count == len(shown)
    second = renderer.edit(len(renderer.text), 0, "\n\nA new last paragraph.\n")
    assert second.start > first.start
    batch = renderer.take_delta()  # both edits as one range
    assert batch.start == first.start and batch.count == len(shown) + 1
    htmls, lines = [p.html for p in shown], [p.line for p in shown]
    apply_delta(htmls, lines, batch)
    assert list(zip(lines, htmls, strict=True)) == [(p.line, p.html) for p in renderer.blocks]
    assert "".join(htmls) == FULL.render_document(renderer.text)
    assert renderer.take_delta().pieces == ()  # nothing since


@pytest.mark.parametrize(
    ("before", "edits"),
    [
        ("---\ntitle: x\n---", [(16, 0, "x"), (16, 1, "")]),  # front matter closed at the end
        ("---\ntitle: x\n---\nBody", [(17, 0, "# "), (16, 1, ""), (16, 0, "\n")]),
        ("Body\n", [(0, 0, "---\n"), (4, 0, "a: b\n"), (9, 0, "---\n"), (13, 0, "x")]),
        ("---\na: b\n---\n\nText " * 3, [(40, 0, "more "), (30, 5, "")]),
    ],
)
def test_edits_at_the_front_matter_give_the_text_and_the_full_render(
    before: str, edits: list[tuple[int, int, str]]
) -> None:
    # edit() copies only the body and joins the whole text when asked: the text, and whether
    # the front matter still ends where it did, must come out as from the whole text
    renderer = IncrementalRenderer()
    renderer.render(before)
    text = before
    for position, removed, added in edits:
        text = text[:position] + added + text[position + removed :]
        renderer.edit(position, removed, added)
        assert renderer.html == FULL.render_document(text)
        assert renderer.text == text
