"""The highlighter's inline rules: the same spans as plain regular expressions, in bounded time."""

from __future__ import annotations

import random
import re
import time

import pytest

from editor.gui.editing.inline_spans import INLINE_CHARS, INLINE_SPANS, inline_spans

# The rules written as plain regular expressions (what the highlighter used before): exact on
# short lines, quadratic on long hostile ones. The scanner must find exactly their spans.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>~|]")
IMAGE = re.compile(r"!\[(?P<text>[^\]]*)\](?P<tail>\([^)]*\)|\[[^\]]*\])")
LINK = re.compile(r"\[(?P<text>[^\]]+)\](?P<tail>\([^)]*\)|\[[^\]]*\])")
AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]+>")
STRONG = re.compile(r"\*\*(?=\S).+?(?<=\S)\*\*|(?<![\w_])__(?=\S).+?(?<=\S)__(?![\w_])")
EMPHASIS = re.compile(
    r"(?<!\*)\*(?=[^\s*]).*?(?<=[^\s*])\*(?!\*)|(?<![\w_])_(?=[^\s_]).*?(?<=[^\s_])_(?![\w_])"
)


def mask(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by NULs."""
    return text[:start] + "\x00" * (end - start) + text[end:]


def regex_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The inline spans as the plain regular expressions find them."""
    spans: list[tuple[int, int, str]] = []
    work = "\x00" * start + text[start:end] + "\x00" * (len(text) - end)
    for m in CODE_SPAN.finditer(work):
        spans.append((m.start(), m.end(), "code_span"))
        work = mask(work, m.start(), m.end())
    for m in ESCAPE.finditer(work):
        work = mask(work, m.start(), m.end())
    for m in IMAGE.finditer(work):
        spans.append((m.start(), m.start("tail"), "image"))
        tail = "ref_label" if m["tail"].startswith("[") else "link_url"
        spans.append((m.start("tail"), m.end(), tail))
        work = mask(work, m.start(), m.end())
    for m in LINK.finditer(work):
        spans.append((m.start(), m.start("tail"), "link_text"))
        tail = "ref_label" if m["tail"].startswith("[") else "link_url"
        spans.append((m.start("tail"), m.end(), tail))
        work = mask(mask(work, m.start(), m.start() + 1), m.end("text"), m.end())
    for m in AUTOLINK.finditer(work):
        spans.append((m.start(), m.end(), "link_text"))
        work = mask(work, m.start(), m.end())
    for m in STRONG.finditer(work):
        spans.append((m.start(), m.end(), "strong"))
        work = mask(mask(work, m.start(), m.start() + 2), m.end() - 2, m.end())
    for m in EMPHASIS.finditer(work):
        spans.append((m.start(), m.end(), "emphasis"))
    return spans


# fmt: off
PIECES = [
    " ", "\t", "\\", "\U0001f600", "*", "**", "***", "_", "__", "`", "``", "[", "]", "(", ")",
    "![", "<", ">", "a", "b_c", "<http:", "<mailto:", "x", "é", "#", "!", ":",
]
# fmt: on


def random_line(rng: random.Random) -> str:
    """A short line dense in markup characters."""
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(8))
def test_the_scanner_finds_exactly_what_the_regular_expressions_find(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2500):
        line = random_line(rng)
        start = rng.randint(0, min(3, len(line)))
        end = rng.randint(start, len(line))
        assert inline_spans(line, start, end) == regex_spans(line, start, end), (line, start, end)


def test_ordinary_prose_is_fully_highlighted() -> None:
    line = (
        "Some *emphasis*, __strong__, `code`, a [link](https://x.y/a_(b)) and "
        "![an image](pic.png), <https://example.com>, [a ref][r] and **bold `x` text**. "
    ) * 40
    assert len(line) < INLINE_CHARS
    assert inline_spans(line, 0, len(line)) == regex_spans(line, 0, len(line))
    assert len(inline_spans(line, 0, len(line))) == 40 * 12


def test_markup_past_the_limit_of_a_long_line_stays_plain() -> None:
    line = "word " * (INLINE_CHARS // 5) + "*late* [x](y)"
    assert inline_spans(line, 0, len(line)) == []
    early = "*early* " + line
    assert inline_spans(early, 0, len(early)) == [(0, 7, "emphasis")]


def test_a_line_dense_in_markup_is_highlighted_up_to_its_first_spans() -> None:
    line = "*a* " * INLINE_SPANS + "`late` **late**"
    spans = inline_spans(line, 0, len(line))
    assert spans == [(4 * n, 4 * n + 3, "emphasis") for n in range(INLINE_SPANS)]
    prose = "a [link](x) " * (INLINE_SPANS // 2 - 1) + "*em*"
    assert len(inline_spans(prose, 0, len(prose))) == INLINE_SPANS - 1


HOSTILE = ["*a ", "_a ", "**a ", "[", "![", "<http:", "[a][", "`a ``", "[a](", "a]("]


@pytest.mark.parametrize("piece", HOSTILE)
def test_a_hostile_line_up_to_the_limit_is_scanned_in_well_under_100_ms(piece: str) -> None:
    line = piece * (INLINE_CHARS // len(piece))
    best = float("inf")
    for _ in range(3):  # the best of three: a slow shared machine only adds to the time
        began = time.perf_counter()
        inline_spans(line, 0, len(line))
        best = min(best, time.perf_counter() - began)
    assert best < 0.1, f"{best * 1000:.0f} ms for {len(line)} characters of {piece!r}"
