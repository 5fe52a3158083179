"""Where an inserted quote or image goes: as its own block, one blank line before and after."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.snippet_placement import block_insertion

BLOCK = "> Quoted.\n\n/// caption\n— Ann\n///\n"


def insert(text: str, position: int, snippet: str = BLOCK) -> str:
    """Return the text after inserting `snippet` as block_insertion says."""
    start, end, replacement = block_insertion(text, position, snippet)
    assert 0 <= start <= end <= len(text)
    return text[:start] + replacement + text[end:]


BODY = BLOCK.rstrip("\n")


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("", 0, f"{BODY}\n"),
        ("One paragraph.", 0, f"One paragraph.\n\n{BODY}\n"),
        ("One paragraph.", 4, f"One paragraph.\n\n{BODY}\n"),
        ("One paragraph.", 14, f"One paragraph.\n\n{BODY}\n"),
        ("One paragraph.\n", 15, f"One paragraph.\n\n{BODY}\n"),
        ("One paragraph.\n\n\n\n", 16, f"One paragraph.\n\n{BODY}\n"),
        ("First.\n\nSecond.", 3, f"First.\n\n{BODY}\n\nSecond."),
        ("First.\n\nSecond.", 7, f"First.\n\n{BODY}\n\nSecond."),
        ("First.\n\n\n\n\nSecond.", 9, f"First.\n\n{BODY}\n\nSecond."),
        ("\n\n\nFirst.", 1, f"{BODY}\n\nFirst."),
    ],
)
def test_the_block_lands_between_paragraphs_with_one_blank_line_around_it(
    text: str, position: int, expected: str
) -> None:
    assert insert(text, position) == expected


@pytest.mark.parametrize("needle", ["The quick", "brown", "fox jumps", "lazy dog."])
def test_in_a_hard_wrapped_paragraph_the_block_goes_after_the_whole_paragraph(
    needle: str,
) -> None:
    text = "Before.\n\nThe quick brown\nfox jumps over\nthe lazy dog.\n\nAfter.\n"
    result = insert(text, text.index(needle) + 2)
    assert result == (
        f"Before.\n\nThe quick brown\nfox jumps over\nthe lazy dog.\n\n{BODY}\n\nAfter.\n"
    )


def test_lines_holding_only_spaces_count_as_blank_lines() -> None:
    text = "First.\n   \n\t\n  \nSecond."
    assert insert(text, 0) == f"First.\n\n{BODY}\n\nSecond."


def test_an_indented_line_after_the_block_keeps_its_indent() -> None:
    text = "Code follows:\n\n    indented code\n"
    assert insert(text, 0) == f"Code follows:\n\n{BODY}\n\n    indented code\n"


def test_the_cursor_on_an_empty_line_between_paragraphs_puts_the_block_there() -> None:
    text = "First.\n\n\nSecond."
    assert insert(text, len("First.\n")) == f"First.\n\n{BODY}\n\nSecond."


LINES = st.lists(
    st.one_of(
        st.just(""),
        st.sampled_from(["  ", "\t", " \t "]),
        st.text(st.sampled_from("ab *#>"), min_size=1, max_size=5).filter(str.strip),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(LINES, st.data())
def test_the_block_never_touches_text_and_never_gets_more_than_one_blank_line(
    text: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(text)))
    result = insert(text, position)
    before, found, after = result.partition(BODY)
    assert found, "the block is in the result"
    # Exactly one blank line between the block and the text around it, none at the start.
    if before:
        assert before.endswith("\n\n") and before[:-2].rstrip(" \t\n") == before[:-2]
        assert before[:-2].strip()
    if after.strip():
        assert after.startswith("\n\n") and after[2:3] not in ("", "\n")
        assert after[2:].split("\n")[0].strip(), "no blank-looking line right after the block"
    else:
        assert after == "\n"
    # Nothing but whitespace is lost or added around the block.
    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", before + after) == squeeze.sub("", text)
    # The block starts a line and is not glued into a paragraph.
    assert not before or before.endswith("\n")
