"""Where an inserted block snippet goes: on its own, with blank lines around it."""

from __future__ import annotations


def place_block(text: str, position: int) -> tuple[int, int]:
    """Return the [start, end) range to replace so a block lands at a paragraph boundary.

    Inside a paragraph the block goes after the paragraph (never between two of its lines);
    the range is empty (pure insert) unless the cursor sits on an empty line, which the block
    then takes over.
    """
    position = max(0, min(len(text), position))
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:line_end].strip():
        return line_start, line_end
    while line_end < len(text):  # walk to the last line of the paragraph
        next_end = text.find("\n", line_end + 1)
        next_end = len(text) if next_end < 0 else next_end
        if not text[line_end + 1 : next_end].strip():
            break
        line_end = next_end
    return line_end, line_end


def block_insertion(text: str, position: int, snippet: str) -> tuple[int, int, str]:
    """Return (start, end, replacement) that inserts `snippet` as a block near `position`.

    The range also takes the newlines around the insertion point, so that exactly one blank
    line separates the block from the text before and after it.
    """
    start, end = place_block(text, position)
    while start > 0 and text[start - 1] in "\n \t":  # blank lines (and trailing blanks) before
        start -= 1
    while end < len(text):  # blank lines after, even ones holding spaces or tabs
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if text[end:line_end].strip(" \t"):
            break
        end = min(len(text), line_end + 1)
    prefix = "\n\n" if start > 0 else ""
    suffix = "\n\n" if end < len(text) else "\n"
    return start, end, prefix + snippet.strip("\n") + suffix
