"""Incremental rendering equals a full render, byte for byte, after every edit."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer

FULL = MarkdownRenderer()
EXAMPLES = int(os.environ.get("DRAFTPRESS_HYPOTHESIS_EXAMPLES", "150"))

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
    "<!-- a comment -->",
    "Text with {: #custom-id } attributes.\n{: #para-id }",
]
EDIT_CHARS = st.sampled_from(list("ab \n>-*`#/|1.!:[]()~_^\"'<{}") + ["```", "///", "\n\n", "    "])


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


def assert_pieces_match(renderer: IncrementalRenderer, html: str) -> None:
    """The pieces join to the HTML, in order, each starting on a line of the text."""
    pieces = renderer.blocks
    assert "".join(piece.html for piece in pieces) == html
    lines = [piece.line for piece in pieces]
    if len(pieces) > 1 and pieces[-1].html.startswith('<div class="footnote">'):
        lines.pop()  # the footnotes piece points at the first footnote definition
    assert lines == sorted(lines)
    assert all(0 <= line <= renderer.text.count("\n") for line in lines)


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
        html = renderer.edit(position, removed, added)
        assert renderer.text == expected_text
        assert html == FULL.render_document(expected_text)
        assert_pieces_match(renderer, html)
    other = data.draw(documents())  # render() of a different text is incremental too
    assert renderer.render(other) == FULL.render_document(other)
