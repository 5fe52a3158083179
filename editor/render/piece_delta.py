"""The preview's pieces and what one render changed in them (no Qt).

A render is handed out as pieces (`RenderedBlock`): one per top-level block, then the footnotes
div. An edit changes one contiguous range of them; `RenderDelta` says which, with the new pieces
and how far the source lines of the pieces after the range moved. `DeltaBatch` folds the deltas
of several edits into one, so that the preview patches once per batch without comparing lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedBlock:
    """One top-level piece of the preview: where its source starts and the HTML it renders to."""

    line: int  # 0-based line of the post text (front matter included) where the block starts
    html: str  # this piece of the body HTML; the pieces joined are the whole body HTML


@dataclass(frozen=True)
class RenderDelta:
    """Replace `removed` pieces from `start` with `pieces`; shift the lines of those after.

    `last_line`, when set, is the new line of the last piece, which lies after the range and
    does not follow the shift (the footnotes piece points at the first footnote definition).
    `count` is how many pieces there are after the change.
    """

    start: int
    removed: int
    pieces: tuple[RenderedBlock, ...]
    line_shift: int
    count: int
    last_line: int | None = None

    @property
    def size(self) -> int:
        """Return how many characters of HTML the delta carries."""
        return sum(len(piece.html) for piece in self.pieces)


def apply_delta(htmls: list[str], lines: list[int], delta: RenderDelta) -> None:
    """Apply a delta to parallel lists of piece HTML and piece lines, in place."""
    stop = delta.start + delta.removed
    after = len(lines) - stop
    htmls[delta.start : stop] = [piece.html for piece in delta.pieces]
    new_stop = delta.start + len(delta.pieces)
    if delta.line_shift and after:
        shift = delta.line_shift
        lines[stop:] = [line + shift for line in lines[stop:]]
    lines[delta.start : stop] = [piece.line for piece in delta.pieces]
    if delta.last_line is not None and len(lines) > new_stop:
        lines[-1] = delta.last_line


class DeltaBatch:
    """The unchanged prefix and suffix (in pieces) since the batch began, and the line shift."""

    def __init__(self, count: int) -> None:
        self.old_count = count  # pieces when the batch began
        self.count = count  # pieces now
        self.prefix = count
        self.suffix = count
        self.line_shift = 0

    @property
    def changed(self) -> bool:
        """Tell whether any delta was added."""
        return (
            self.prefix < self.old_count
            or self.count != self.old_count
            or (self.prefix + self.suffix < self.count)
        )

    def add(self, delta: RenderDelta) -> None:
        """Fold one more delta (of the state after the previous ones) into the batch."""
        self.prefix = min(self.prefix, delta.start)
        self.suffix = min(self.suffix, self.count - delta.start - delta.removed)
        self.count = delta.count
        self.line_shift += delta.line_shift

    def replace_all(self, count: int) -> None:
        """Every piece changed (a render from scratch): the batch replaces them all."""
        self.prefix = self.suffix = 0
        self.count = count
