"""The splitter's fence pattern finds the fenced blocks Python-Markdown finds (tabs expanded)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from editor.render.fences import FENCED_BLOCK


def _expanded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text.expandtabs(4)` and, for each raw offset (and the end), its expanded offset."""
    offsets, parts, column = [], [], 0
    for char in text:
        offsets.append(sum(map(len, parts)))
        part = " " * (4 - column % 4) if char == "\t" else char
        column = 0 if char == "\n" else column + len(part)
        parts.append(part)
    expanded = "".join(parts)
    offsets.append(len(expanded))
    assert expanded == text.expandtabs(4)
    return expanded, offsets


def test_a_tab_after_a_closing_fence_closes_it() -> None:
    match = FENCED_BLOCK.search("```\n\n```\t")
    assert match is not None and match.span() == (0, 9)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="`~ \t\na{}.", max_size=40))
def test_the_same_blocks_as_in_the_expanded_text(text: str) -> None:
    expanded, offsets = _expanded_with_offsets(text)
    raw = [(offsets[m.start()], offsets[m.end()]) for m in FENCED_BLOCK.finditer(text)]
    pattern = FencedBlockPreprocessor.FENCED_BLOCK_RE
    assert raw == [m.span() for m in pattern.finditer(expanded)]
