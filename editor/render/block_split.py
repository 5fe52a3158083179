"""Split Markdown into top-level blocks Python-Markdown would never join (no Qt).

A block starts at a line after a blank line, unless the line continues what came before:
indented lines (code, list and footnote continuations), list items after a list, quotes after a
quote, definitions (`: ...`) and paragraphs holding definitions after a definition list, and
caption blocks (`/// caption`), which wrap the block before them. Fenced code is found the way
Python-Markdown finds it (its own pattern over the whole text, tabs as it expands them: see
`fences`) and is never split, nor is a raw island (WordPress block markup kept verbatim, see
`raw_islands`: blank lines inside it belong to it); an unclosed caption block swallows the rest.
Raw HTML that stays open is not the splitter's business: the renderer notices it and merges
blocks (see `block_markdown`).

The split can be redone from any block start: nothing carries over a block boundary except the
position of the next fenced block, which the pattern finds again from there.
"""

from __future__ import annotations

import re
from collections.abc import Container

from editor.render.fences import FENCED_BLOCK
from editor.render.raw_islands import island_at

_FENCE = FENCED_BLOCK  # as Python-Markdown sees fences: after tabs are expanded
_CAPTION_FENCE = re.compile(r" {0,3}(/{3,})(.*)")
# A caption fence inside a container: after list, quote or definition markers, or indented
# under one. An unclosed caption opened there swallows the paragraphs after the container too.
_CONTAINER_MARKERS = re.compile(r"(?:[ \t]*(?:[*+-]|\d+[.)]|>|:)(?=[ \t]|$)[ \t]*)+")
_NESTED_CAPTION_FENCE = re.compile(r"[ \t]*(/{3,})(.*)")
_LIST_ITEM = re.compile(r" {0,3}([*+-]|\d+[.)])(\s|$)")
# (Python-Markdown expands tabs first: a tab after the colon is one to four spaces)
_DEFINITION = re.compile(r"(?:^|\n) {0,3}:[ \t]")
# Definitions render to nothing: what follows them continues what came before (a list, a quote,
# code, the element a caption wraps), so a definition never starts a block.
# A reference definition's label may run over lines of its paragraph (not over a blank line).
_DEFINITION_LINE = re.compile(r" {0,3}\[(?:[^\]\n]|\n(?![ \t]*(?:\n|$)))*\]:|\*\[")
_VISIBLE = re.compile(r"\S")
_CHUNK_END = re.compile(r"\n[ \t]*(?:\n|$)")


def split_blocks(body: str, start: int = 0, stop_at: Container[int] | None = None) -> list[int]:
    """Return the block start offsets from `start` (itself a block start) on.

    With `stop_at` (old block starts in new coordinates -> old index), stop at the first new
    block start found there and return it as the last element (the caller re-uses the old blocks
    from there); otherwise split to the end of `body`.
    """
    starts = [start]
    length = len(body)
    fence = _FENCE.search(body, start)
    has_list = has_quote = has_definition = False
    captions: list[str] = []
    blank_before = False
    position = start
    while position < length:
        line_start = position
        end = body.find("\n", position)
        next_position = length if end < 0 else end + 1
        line = body[position:next_position].rstrip("\n")
        if fence is not None and fence.start() < position:
            fence = _FENCE.search(body, position)
        if fence is not None and fence.start() == position:
            if (
                blank_before
                and not captions
                and _starts_block(body, position, line, has_list, has_quote)
            ):
                if stop_at is not None and position in stop_at and position > start:
                    starts.append(position)
                    return starts
                if position > starts[-1]:
                    starts.append(position)
                    has_list = has_quote = has_definition = False
            position = fence.end()
            if position < length and body[position] == "\n":
                position += 1
            fence = _FENCE.search(body, position)
            blank_before = False
            continue
        island_end = island_at(body, line_start) if line.startswith("<!--") else -1
        if island_end >= 0:  # a raw island: one block, whatever blank lines it holds
            if (
                blank_before
                and not captions
                and line_start > starts[-1]
                and not (has_definition and _chunk_has_definition(body, line_start))
            ):
                if stop_at is not None and line_start in stop_at:
                    starts.append(line_start)
                    return starts
                starts.append(line_start)
            line_end = body.find("\n", island_end)
            position = length if line_end < 0 else line_end + 1
            has_list = has_quote = has_definition = True  # raw HTML, as below
            blank_before = False
            continue
        position = next_position
        stripped = line.strip()
        if not stripped:
            # Python-Markdown blanks only whitespace lines after a newline: the body's first
            # line, spaces or tabs only, is part of the first block's text
            blank_before = blank_before or bool(line_start) or not line
            continue
        marker = _CAPTION_FENCE.fullmatch(line)
        if marker:
            slashes, rest = marker.group(1), marker.group(2).strip()
            if rest:
                captions.append(slashes)
            elif captions and captions[-1] == slashes:
                captions.pop()
            blank_before = False
            continue
        if (
            blank_before
            and not captions
            and line_start > starts[-1]
            and _starts_block(body, line_start, line, has_list, has_quote)
            and not (has_definition and _chunk_has_definition(body, line_start))
        ):
            if stop_at is not None and line_start in stop_at:
                starts.append(line_start)
                return starts
            starts.append(line_start)
            has_list = has_quote = has_definition = False
        nested = _nested_caption_fence(line, has_list or has_quote or has_definition)
        if nested is not None:
            slashes, opens = nested
            if opens:
                captions.append(slashes)
            elif captions and captions[-1] == slashes:
                captions.pop()
        if "<" in line:  # text after raw HTML on its line may start a list, a quote...
            has_list = has_quote = has_definition = True
        if not has_list and _LIST_ITEM.match(line):
            has_list = True
        if not has_quote and stripped.startswith(">"):
            has_quote = True
        if not has_definition and _DEFINITION.match(line):
            has_definition = True
        blank_before = False
    return starts


def _nested_caption_fence(line: str, in_container: bool) -> tuple[str, bool] | None:
    """Return (slashes, opens) for a caption fence inside a list, quote or definition."""
    if "//" not in line:
        return None
    markers = _CONTAINER_MARKERS.match(line)
    if markers is None and not (in_container and line[:1] in " \t"):
        return None
    fence = _NESTED_CAPTION_FENCE.fullmatch(line, markers.end() if markers else 0)
    if fence is None:
        return None
    return fence.group(1), bool(fence.group(2).strip())


def _starts_block(body: str, start: int, line: str, has_list: bool, has_quote: bool) -> bool:
    """Tell whether a line (at `start`, after a blank line) starts a block of its own."""
    if not line or line[0] in " \t":
        return False  # indented: code or a continuation
    if line.startswith(":"):
        return False  # a definition: the paragraph before it is its term
    if _DEFINITION_LINE.match(body, start):
        return False
    if has_quote and line.lstrip().startswith(">"):
        return False
    return not (has_list and _LIST_ITEM.match(line))


def _chunk_has_definition(body: str, start: int) -> bool:
    """Tell whether the paragraph at `start` joins a definition list before it.

    It does when it holds a definition line (`: ...`), or when the paragraph after it starts
    with one (that paragraph becomes a term, and the list before takes both in).
    """
    end = _CHUNK_END.search(body, start)
    if _DEFINITION.search(body, start, end.start() if end else len(body)):
        return True
    while end is not None:
        visible = _VISIBLE.search(body, end.end())
        if visible is None:
            return False
        line_start = body.rfind("\n", 0, visible.start()) + 1
        if not _DEFINITION_LINE.match(body, line_start):
            return bool(_DEFINITION.match(body[line_start : line_start + 8]))
        # a paragraph of reference or abbreviation definitions renders to nothing: look past it
        end = _CHUNK_END.search(body, line_start)
    return False
