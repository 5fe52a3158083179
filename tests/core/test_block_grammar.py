"""The block comment grammar: `depth_after` counts a line's delimiters in linear time."""

from __future__ import annotations

import random
import time

import pytest

from editor.core.block_grammar import LINE_DELIMITER, depth_after


def counted_by_the_pattern(line: str, depth: int) -> int:
    """The depth after `line` counted with LINE_DELIMITER itself (quadratic on hostile lines)."""
    for match in LINE_DELIMITER.finditer(line):
        if match.group("closer"):
            depth = max(0, depth - 1)
        elif not match.group("void"):
            depth += 1
    return depth


# fmt: off
PIECES = [
    " ", "\t", "<!--", "wp:", "/", "a", "core/", "x-y", "{", "}", "-->", "/-->", "} -->",
    '{"a":1}', "<!-- wp:b ", "<!-- /wp:b -->", "-", "!",
]
# fmt: on


@pytest.mark.parametrize("seed", range(4))
def test_depth_after_counts_exactly_the_delimiters_the_pattern_finds(seed: int) -> None:
    rng = random.Random(seed)
    changed = 0
    for _ in range(20_000):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 20)))
        depth = rng.randint(0, 2)
        expected = counted_by_the_pattern(line, depth)
        assert depth_after(line, depth) == expected, (line, depth)
        changed += expected != depth
    assert changed > 2_000  # the random lines do open and close blocks


def test_depth_after_counts_real_block_comments() -> None:
    line = '<!-- wp:group {"a":{"b":1}} --><!-- wp:image /--><!-- wp:acme/x-y  {} \t--> x'
    assert depth_after(line, 0) == 2
    assert depth_after("<!-- /wp:group --> <!-- /wp:columns -->", 1) == 0


@pytest.mark.parametrize("piece", ["<!-- wp:a {", "<!-- wp:a {} ", "<!-- wp:a {} <!-- /wp:"])
def test_a_60_kb_line_of_unfinished_block_comments_is_counted_in_well_under_100_ms(
    piece: str,
) -> None:
    line = piece * (60_000 // len(piece))
    began = time.perf_counter()
    assert depth_after(line, 1) == 1
    assert time.perf_counter() - began < 0.1
