"""Where the prose is: the parts of a post whose words are the writer's to spell-check (no Qt).

Never prose: the front matter, fenced code (and its fences), raw islands (WordPress block markup
kept verbatim), the dialect's `///` lines, reference definitions, and inside a line: code spans,
link and image targets, reference labels, autolinks, bare URLs, e-mail addresses, HTML tags and
comments, and attribute lists (`{: .class}`). The inline rules are the highlighter's own
(`inline_spans`); fenced code is found as the renderer finds it (Python-Markdown's pattern), raw
islands by `find_islands`, front matter by `split_front_matter`.

`prose_in_line` is what the editor asks for one line of the body (the highlighter's block
states say which lines are front matter, code or island); `prose_ranges` does the same for a
whole text, for tools and for tests that hold the two to the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.core.front_matter import split_front_matter
from editor.gui.editing.inline_spans import inline_spans
from editor.render.fences import FENCED_BLOCK
from editor.render.raw_islands import find_islands

Range = tuple[int, int]

# Kinds of `inline_spans` whose text is not prose ("link_text" of an autolink is handled apart).
_NOT_PROSE_KINDS = {"code_span", "link_url", "ref_label"}
_DIALECT_LINE = re.compile(r"^[ ]{0,3}/{3,}")  # `/// caption`, `/// details | ...`, closers
_FENCE_LINE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})")
_REF_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:")
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
_PAGE_BREAK = re.compile(r"^[ \t]*<!--(?:more|nextpage)\b")
_WORD_OR_LINK = re.compile(
    r"(?P<url>\b(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]])"
    r"|(?P<mail>(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<tag><!--.*?(?:-->|$)|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<attrs>\{:?[ ]*[#.][^{}]*\})"
)
_WORD = re.compile(r"(?<![^\W_])[^\W\d_]+(?:['’][^\W\d_]+)*(?![^\W_])")


def prose_in_line(line: str) -> list[Range]:
    """Return the prose ranges of one body line (not front matter, code or island)."""
    if not line.strip() or _DIALECT_LINE.match(line) or _FENCE_LINE.match(line):
        return []
    if _REF_DEFINITION.match(line) or _ABBREVIATION.match(line) or _PAGE_BREAK.match(line):
        return []
    excluded: list[Range] = []
    for start, end, kind in inline_spans(line, 0, len(line)):
        if kind in _NOT_PROSE_KINDS or (kind == "link_text" and line.startswith("<", start)):
            excluded.append((start, end))
    if "/" in line or "@" in line or "<" in line or "{" in line or "www." in line:
        excluded.extend(match.span() for match in _WORD_OR_LINK.finditer(line))
    return _complement(excluded, len(line))


def _complement(excluded: list[Range], length: int) -> list[Range]:
    """Return the parts of [0, length) outside the (possibly overlapping) `excluded` ranges."""
    ranges: list[Range] = []
    position = 0
    for start, end in sorted(excluded):
        if start > position:
            ranges.append((position, start))
        position = max(position, end)
    if position < length:
        ranges.append((position, length))
    return ranges


def prose_ranges(text: str) -> list[Range]:
    """Return the prose ranges of a whole post (offsets into `text`)."""
    body_start = split_front_matter(text).body_start
    skipped = [
        (m.start(), m.end())
        for m in FENCED_BLOCK.finditer(text, body_start)
    ]
    skipped += [
        (body_start + island.start, body_start + island.end)
        for island in find_islands(text[body_start:])
    ]
    skipped.sort()
    ranges: list[Range] = []
    for line_start, line in _lines(text, body_start):
        line_end = line_start + len(line)
        if any(start < line_end and line_start < end for start, end in skipped):
            continue
        ranges.extend((line_start + a, line_start + b) for a, b in prose_in_line(line))
    return ranges


def _lines(text: str, start: int) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for each line of text[start:], without its line break."""
    position = start
    for line in text[start:].split("\n"):
        yield position, line.removesuffix("\r")
        position += len(line) + 1


def words_in(text: str, ranges: list[Range]) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, word) for the words to check inside the prose `ranges` of `text`.

    A word is letters with inner apostrophes; words with digits, underscores or inner capitals
    (`WordPress`, `iPhone`, `NASA`) and single letters are left alone, as names and code.
    """
    for range_start, range_end in ranges:
        for match in _WORD.finditer(text, range_start, range_end):
            word = match.group()
            if len(word) < 2 or any(char.isupper() for char in word[1:]):
                continue
            yield match.start(), match.end(), word
