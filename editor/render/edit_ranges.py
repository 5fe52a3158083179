"""Where an edit lands among a body's blocks: common prefixes, old starts, line numbers (no Qt)."""

from __future__ import annotations

from editor.render.shifted_offsets import ShiftedOffsets


def common_prefix_length(a: str, b: str) -> int:
    """Length of the common prefix of two strings, by bisection on slices."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix_length(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of two strings, at most `limit`, by bisection on slices."""
    low, high = 0, min(len(a), len(b), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


class OldStarts:
    """Old block starts, shifted into new coordinates, where a re-split may stop."""

    def __init__(self, starts: ShiftedOffsets, delta: int, from_index: int, minimum: int) -> None:
        self.starts, self.delta, self.from_index, self.minimum = starts, delta, from_index, minimum

    def __contains__(self, position: object) -> bool:
        if not isinstance(position, int) or position < self.minimum:
            return False
        old = position - self.delta
        index = self.starts.bisect_left(old, self.from_index)
        return index < len(self.starts) and self.starts[index] == old


def line_numbers(body: str, starts: list[int], from_offset: int, from_line: int) -> list[int]:
    """Return the body line of each start, counting on from a known offset and line."""
    lines = []
    for start in starts:
        from_line += body.count("\n", from_offset, start)
        from_offset = start
        lines.append(from_line)
    return lines


def may_repair_fences(body: str, start: int, removed: int, added: str) -> bool:
    """Tell whether an edit could change how fences pair up (a fence character or a line)."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", start + removed)
    around = body[line_start : len(body) if line_end < 0 else line_end]
    return any(c in added or c in around for c in "`~\n") or "\n" in body[start : start + removed]


def may_join_the_block_before(body: str, block_start: int, position: int, earlier: str) -> bool:
    """Tell whether an edit at `position` may merge the block before `block_start` backwards.

    Whether a paragraph after a definition list joins it depends on the first line of the
    paragraph after it (a definition there makes it a term): an edit on the first line of the
    block at `block_start` can merge the block before it into the one before that, `earlier`
    (only when `earlier` can hold a definition list: a colon, or raw HTML).
    """
    line_end = body.find("\n", block_start)
    if 0 <= line_end < position:
        return False
    return ":" in earlier or "<" in earlier
