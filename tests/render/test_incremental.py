"""Incremental rendering equals a full render, byte for byte, after every edit."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.render.incremental import IncrementalRenderer, split_blocks
from editor.render.markdown_renderer import MarkdownRenderer

FULL = MarkdownRenderer()
EXAMPLES = int(os.environ.get("DRAFTPRESS_HYPOTHESIS_EXAMPLES", "150"))

BLOCKS = [
    'A paragraph with *emphasis*, **strong**, `code` and "quotes".',
    "Two lines\nof one paragraph.",
    "# A heading",
    "## Another heading",
    "Setext heading\n--------------",
    "- item one\n- item two",
    "- loose one\n\n- loose two",
    "1. first\n2. second\n    - nested",
    "> A quote\n> on two lines.",
    "> A quote\n\n> that continues",
    "```python\nprint('x')\n\nprint('y')\n```",
    "~~~\nplain code\n~~~",
    "    indented code\n\n    more code",
    "![An image](pic.png)\n\n/// caption\nA caption (art by [Me](https://example.com))\n///",
    "> Quoted words.\n\n/// caption\n— Someone, [Source](https://example.com)\n///",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "---",
    "[A link](https://example.com) in text.",
    "A line with a hard break  \nand more.",
]
EDIT_CHARS = st.sampled_from(list("ab \n>-*`#/|1.!:[]()~_\"'") + ["```", "///", "\n\n", "    "])


@st.composite
def documents(draw) -> str:
    """A document made of blocks from the dialect, separated by one or more blank lines."""
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=8))
    gaps = draw(
        st.lists(
            st.sampled_from(["\n\n", "\n\n\n", "\n"]), min_size=len(blocks), max_size=len(blocks)
        )
    )
    return "".join(block + gap for block, gap in zip(blocks, gaps, strict=True))


@st.composite
def edits(draw, text: str) -> tuple[int, int, str]:
    """One edit as QTextDocument reports it: position, characters removed, text added."""
    position = draw(st.integers(0, len(text)))
    removed = draw(st.integers(0, min(8, len(text) - position)))
    added = "".join(draw(st.lists(EDIT_CHARS, max_size=4)))
    return position, removed, added


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_edit_gives_exactly_the_full_render(data) -> None:
    text = data.draw(documents())
    renderer = IncrementalRenderer()
    assert renderer.render(text) == FULL.render_document(text)
    for _ in range(data.draw(st.integers(1, 4))):
        position, removed, added = data.draw(edits(renderer.text))
        expected_text = renderer.text[:position] + added + renderer.text[position + removed :]
        assert renderer.edit(position, removed, added) == FULL.render_document(expected_text)


def test_an_edit_re_renders_only_the_block_it_touched() -> None:
    text = "\n\n".join(f"Paragraph number {n} of a long post." for n in range(200))
    renderer = IncrementalRenderer()
    renderer.render(text)
    position = text.index("number 100") + len("number 100")
    html = renderer.edit(position, 0, " (edited)")
    assert renderer.last_rendered_blocks == 1
    assert "Paragraph number 100 (edited) of a long post." in html


def test_document_wide_constructs_fall_back_to_a_full_render() -> None:
    for text in (
        "A note[^1].\n\n[^1]: The note.",
        "See [x][ref].\n\n[ref]: https://e.com",
        "[TOC]\n\n# A",
        "# Same\n\n# Same",
        "<div>\n\nraw\n\n</div>",
    ):
        assert split_blocks(text) is None
        renderer = IncrementalRenderer()
        assert renderer.render(text) == FULL.render_document(text)


def test_blocks_join_to_the_body_and_know_their_source_line() -> None:
    text = "---\ntitle: T\n---\n# Head\n\nOne paragraph.\n\n\n- a\n- b\n"
    renderer = IncrementalRenderer()
    html = renderer.render(text)
    assert "".join(block.html for block in renderer.blocks) == html
    lines = text.split("\n")
    assert [lines[block.line] for block in renderer.blocks] == ["# Head", "One paragraph.", "- a"]
