"""The incremental renderer's pieces: kept up to date by range, handed out as deltas (no Qt).

`PieceBookkeeping` is the part of `IncrementalRenderer` that turns its blocks into the pieces
the preview shows: one per block (a notice for a block given up on), then the footnotes div, the
last visible one without trailing whitespace. After an edit only the pieces in the changed range
are built again (the re-split blocks, the blocks a definition or the document pass changed, the
end of the body); the rest keep their HTML, and their lines move by the edit's line shift.
"""

from __future__ import annotations

from editor.render.document_index import Block, Definitions
from editor.render.guarded_blocks import too_slow_notice
from editor.render.piece_delta import DeltaBatch, RenderDelta, RenderedBlock
from editor.render.shifted_offsets import ShiftedOffsets

# (first block replaced, blocks removed, blocks put in, how many lines the edit added)
Region = tuple[int, int, int, int]


class PieceBookkeeping:
    """The pieces of the last render, their delta and the joined HTML on demand."""

    _blocks: list[Block]
    _lines: ShiftedOffsets
    _body: str
    _first_line: int
    _footnotes_html: str
    _definitions: Definitions
    _full_html: str | None

    def _reset_pieces(self) -> None:
        """Start with no pieces."""
        self._htmls: list[str] = []
        self._tail = 0  # the first piece shown without its trailing whitespace
        self._blank = False  # the body is only whitespace: every piece is empty
        self._any_slow = False  # some block may be a notice (whose text holds line numbers)
        self._footnote_block_index = 0  # where the first footnote definition's block was
        self._joined: str | None = None
        self._batch = DeltaBatch(0)
        self.last_delta = RenderDelta(0, 0, (), 0, 0)

    # -- handing out -----------------------------------------------------------------------

    @property
    def html(self) -> str:
        """The whole body HTML of the last render (joined on first use)."""
        if self._joined is None:
            self._joined = "".join(self._htmls)
        return self._joined

    @property
    def blocks(self) -> list[RenderedBlock]:
        """The last render piece by piece, in document order, with each piece's source line."""
        return self._pieces_between(0, len(self._htmls))

    @property
    def piece_count(self) -> int:
        """How many pieces the last render has."""
        return len(self._htmls)

    def take_delta(self) -> RenderDelta:
        """Return what changed since the last call (all edits in between folded into one).

        `last_delta` is let go (after a whole render it holds every piece: 2 MiB at 1 MB).
        """
        batch = self._batch
        self._batch = DeltaBatch(len(self._htmls))
        self.last_delta = RenderDelta(0, 0, (), 0, batch.count)
        if not batch.changed:
            return RenderDelta(0, 0, (), 0, batch.count)
        stop = batch.count - batch.suffix
        return RenderDelta(
            batch.prefix,
            batch.old_count - batch.prefix - batch.suffix,
            tuple(self._pieces_between(batch.prefix, stop)),
            batch.line_shift,
            batch.count,
            self._last_line_after(stop),
        )

    def _pieces_between(self, start: int, stop: int) -> list[RenderedBlock]:
        """The pieces `start:stop` with their lines."""
        return [RenderedBlock(self._piece_line(i), self._htmls[i]) for i in range(start, stop)]

    def _last_line_after(self, stop: int) -> int | None:
        """The footnotes piece's line, when it lies at or after `stop`."""
        if self._full_html is None and self._footnotes_html and len(self._htmls) - 1 >= stop:
            return self._piece_line(len(self._htmls) - 1)
        return None

    # -- lines -------------------------------------------------------------------------------

    def _piece_line(self, index: int) -> int:
        """The post line (0-based) where piece `index` starts."""
        first_line = self._first_line
        if self._full_html is not None:
            return first_line
        blocks = self._blocks
        if index < len(blocks):
            line = first_line + self._lines[index]
            if index == 0:
                text = blocks[0].text
                line += text[: len(text) - len(text.lstrip())].count("\n")
            return line
        block = self._definitions.first_footnote_block
        if block is None:
            return first_line + self._lines[-1] if self._lines else first_line
        index = self._index_of(block)
        footnote_id = block.render.footnote_definitions[0][0]
        found = block.text.find(f"[^{footnote_id}]:")
        return first_line + self._lines[index] + block.text.count("\n", 0, max(found, 0))

    def _index_of(self, block: Block) -> int:
        """The index of a block, looked for first where it was last time."""
        guess = self._footnote_block_index
        blocks = self._blocks
        if not (guess < len(blocks) and blocks[guess] is block):
            guess = blocks.index(block)
            self._footnote_block_index = guess
        return guess

    def _body_is_blank(self) -> bool:
        """Tell whether the body is only whitespace (without copying it, as strip would)."""
        return not self._body or self._body.isspace()

    # -- building -----------------------------------------------------------------------------

    def _raw_html(self, index: int) -> str:
        """A piece's HTML before the end of the body is trimmed."""
        blocks = self._blocks
        if index < len(blocks):
            block = blocks[index]
            return self._notice(index) if block.render.too_slow else block.html
        return self._footnotes_html

    def _piece_html(self, index: int) -> str:
        """A piece's HTML as handed out."""
        if self._blank:
            return ""
        raw = self._raw_html(index)
        return raw.rstrip() if index >= self._tail else raw

    def _find_tail(self, count: int) -> int:
        """The last piece with something visible (0 when none has)."""
        for index in range(count - 1, -1, -1):
            if self._raw_html(index).strip():
                return index
        return 0

    def _count(self) -> int:
        """How many pieces the blocks and footnotes make."""
        if self._full_html is not None:
            return 1
        return len(self._blocks) + (1 if self._footnotes_html else 0)

    def _replace_all_pieces(self, old_count: int | None = None) -> RenderDelta:
        """Build every piece again (a render from scratch, a full render).

        `old_count` is how many pieces the delta replaces (those there now, unless given).
        """
        if old_count is None:
            old_count = len(self._htmls)
        self._joined = None
        if self._full_html is not None:
            self._htmls = [self._full_html]
        else:
            count = self._count()
            # Python-Markdown renders a source that is only whitespace as nothing at all (its
            # `convert` checks `source.strip()`), though a lone block of four spaces alone
            # would be an empty code block.
            self._blank = self._body_is_blank()
            self._tail = self._find_tail(count)
            self._any_slow = any(block.render.too_slow for block in self._blocks)
            self._htmls = [self._piece_html(index) for index in range(count)]
        self._batch.replace_all(len(self._htmls))
        pieces = tuple(self._pieces_between(0, len(self._htmls)))
        self.last_delta = RenderDelta(0, old_count, pieces, 0, len(self._htmls))
        return self.last_delta

    def _settle_pieces(
        self, region: Region | None, changed: set[int], was_full: bool
    ) -> RenderDelta:
        """Update the pieces after an edit of the blocks in `region`; return the delta.

        `changed` are blocks outside the region whose HTML changed (new indexes).
        """
        if region is None or was_full or self._full_html is not None or self._blank:
            return self._replace_all_pieces()
        if self._body_is_blank():
            return self._replace_all_pieces()
        first, removed_blocks, added_blocks, line_delta = region
        old = self._htmls
        old_count, count = len(old), self._count()
        blocks_after = first + added_blocks  # new index of the first block kept after the region
        moved = added_blocks - removed_blocks
        had_footnotes = old_count > len(self._blocks) - moved
        stop = blocks_after
        if self._footnotes_html and not had_footnotes:
            changed.add(count - 1)
        elif had_footnotes and not self._footnotes_html:
            stop = count  # the footnotes piece went: the range runs to the end
        if self._any_slow and line_delta:  # notices after the edit name their lines
            changed.update(
                index
                for index in range(blocks_after, len(self._blocks))
                if self._blocks[index].render.too_slow
            )
        for block in self._blocks[first:blocks_after]:
            if block.render.too_slow:
                self._any_slow = True
        old_tail = self._tail + moved if self._tail >= first + removed_blocks else self._tail
        self._tail = self._find_tail(count)
        for index in range(max(blocks_after, min(old_tail, self._tail)), count):
            if index in changed or index - moved >= old_count:
                continue
            if self._piece_html(index) != old[index - moved]:
                changed.add(index)
        start = min(first, min(changed, default=first))
        stop = max(stop, max(changed, default=stop - 1) + 1)
        old_stop = old_count - (count - stop)
        htmls = [self._piece_html(index) for index in range(start, stop)]
        old[start:old_stop] = htmls
        self._joined = None
        delta = RenderDelta(
            start,
            old_stop - start,
            tuple(RenderedBlock(self._piece_line(i), html) for i, html in enumerate(htmls, start)),
            line_delta,
            count,
            self._last_line_after(stop),
        )
        self._batch.add(delta)
        self.last_delta = delta
        return delta

    # -- notices ---------------------------------------------------------------------------

    def _line_span(self, index: int) -> tuple[int, int]:
        """The first and last post line (1-based) of a block's visible text."""
        text = self._blocks[index].text
        first = self._first_line + self._lines[index] + 1
        first += text[: len(text) - len(text.lstrip())].count("\n")
        return first, first + text.strip().count("\n")

    def _notice(self, index: int) -> str:
        """The notice shown in place of a block the renderer gave up on."""
        return too_slow_notice(self._blocks[index].render.too_slow, *self._line_span(index))
