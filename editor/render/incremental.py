"""Incremental rendering: re-render only the blocks an edit touched, byte-identical (no Qt).

The body is split into top-level blocks (`block_split`), each rendered on its own with
placeholders for what is document-wide (`block_markdown`), and a cheap document pass fills them
in (`document_index`). An edit re-splits only around itself until the split meets the old block
boundaries again, re-renders the new blocks and the blocks that used a definition the edit
changed, and re-assembles. The output always equals `MarkdownRenderer.render_document`; the few
constructs this cannot make exact get a full render (see `_full_render_reason`).
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence

from editor.core.front_matter import split_front_matter
from editor.render.block_markdown import BlockMarkdown, BlockRender
from editor.render.block_recording import (
    FOOTNOTE_NUMBER_TOKEN,
    FOOTNOTES_END,
    FOOTNOTES_START,
    SENTINEL,
    TOKEN_OPEN,
    BlockContext,
    Reference,
)
from editor.render.block_split import split_blocks
from editor.render.document_index import (
    Block,
    Definitions,
    abbreviations_in,
    assemble,
    collect_definitions,
    fill,
    footnotes_need_full_render,
    is_current,
    same_placeholders,
    stale_blocks,
)
from editor.render.edit_ranges import (
    OldStarts,
    common_prefix_length,
    common_suffix_length,
    line_numbers,
    may_join_the_block_before,
    may_repair_fences,
)
from editor.render.guarded_blocks import GuardedBlocks, footnote_notice, too_slow_notice
from editor.render.incremental_pieces import PieceBookkeeping, Region
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.piece_delta import RenderDelta, RenderedBlock
from editor.render.reference_index import ReferenceIndex, redefine_references
from editor.render.render_guard import TooSlowToRender
from editor.render.render_worker import RenderWorker
from editor.render.shifted_offsets import ShiftedOffsets, ShiftedTail

__all__ = ["IncrementalRenderer", "RenderDelta", "RenderedBlock"]

log = logging.getLogger(__name__)

CACHE_SIZE = 50_000
BATCH_SIZE = 24  # blocks rendered per Markdown call when many are new
_FOOTNOTES_MARKER = "///Footnotes Go Here///"
_OWN_SENTINEL = re.compile(re.escape(SENTINEL), re.IGNORECASE)
_WINDOW = 32  # longer than any of the markers above
# A first render of this many blocks or more guesses the definitions before rendering the rest.
PRESCAN_MIN_BLOCKS = 40
# Reference, footnote and abbreviation definitions, as they start a line.
_LOOKS_DEFINING = re.compile(r"^ {0,3}(?:\[[^\]\n]+\]:|\*\[[^\]\n]+\]:)", re.MULTILINE)


# A footnote's (id, text, references to it) -> its rendered item, the lookups it made, the
# abbreviations in force in it and why it was given up on ('' when it was not).
_FootnoteKey = tuple[str, str, int]
_FootnoteItem = tuple[str, dict[str, Reference | None], dict[str, str], str]


class IncrementalRenderer(PieceBookkeeping):
    """Renders a post's body, re-rendering only what an edit changed.

    Not thread-safe: use one instance from one thread at a time (the preview's worker). The
    first render of a long post renders every block (in batches); later calls re-render only
    what changed. Each call returns a `RenderDelta` (which pieces changed); `blocks` hands out
    every piece and `html` the joined body HTML, both built only when asked.
    """

    def __init__(
        self, renderer: MarkdownRenderer | None = None, worker: RenderWorker | None = None
    ) -> None:
        self._renderer = renderer or MarkdownRenderer()
        # every render has a deadline: what overruns it shows as a notice (render_guard)
        self._markdown = GuardedBlocks(BlockMarkdown(), self._renderer, worker)
        self._cache: OrderedDict[tuple[str, bool], BlockRender | None] = OrderedDict()
        self.last_rendered_blocks = 0  # blocks rendered by the last call; -1: a full render
        self._text: str | None = ""  # the whole text; None: front matter + body, joined if asked
        self._front = ""  # the text before the body (the front matter)
        self._body = ""
        self._body_start = 0
        self._first_line = 0
        self._blocks: list[Block] = []
        self._starts = ShiftedOffsets()  # where each block starts in the body
        self._lines = ShiftedOffsets()  # the body line each block starts on
        self._definitions = Definitions()
        self._references: ReferenceIndex | None = None  # built on the first definition edit
        self._footnotes_html = ""
        self._footnote_items: dict[_FootnoteKey, _FootnoteItem] = {}
        self._slow_footnotes: list[tuple[str, str]] = []  # (id, why) of notes given up on
        self._reference_counts: dict[str, int] = {}
        self._reason = ""  # why the body needs a full render ('' when it does not)
        self._full_html: str | None = None  # set when the last call was a full render
        self._full_too_slow = ""  # why the last full render gave up ('' when it did not)
        self._reset_pieces()

    # -- the public interface -------------------------------------------------------------

    @property
    def text(self) -> str:
        """The post's whole text as of the last call (front matter and body)."""
        if self._text is None:  # an edit of a post with front matter keeps only the body
            self._text = self._front + self._body
        return self._text

    def render(self, text: str) -> str:
        """Return the body HTML of a whole post text (front matter skipped)."""
        self.update(text)
        return self.html

    def update(self, text: str) -> RenderDelta:
        """Render a whole post text (incrementally when it shares much with the last one)."""
        split = split_front_matter(text)
        body = text[split.body_start :]
        self._markdown.start_call(len(body))
        old_body = self._body
        self._text, self._front = text, text[: split.body_start]
        self._body_start = split.body_start
        old_first_line = self._first_line
        self._first_line = text.count("\n", 0, split.body_start)
        if not self._blocks:
            return self._render_from_scratch(body)
        prefix = common_prefix_length(old_body, body)
        suffix = common_suffix_length(old_body, body, min(len(old_body), len(body)) - prefix)
        count_before = self.piece_count
        delta = self._edit_body(
            prefix, len(old_body) - suffix - prefix, body[prefix : len(body) - suffix], body
        )
        if self._first_line != old_first_line:  # the front matter grew or shrank: every line
            return self._replace_all_pieces(count_before)  # moved, before the edit too
        return delta

    def edit(self, position: int, removed: int, added_text: str) -> RenderDelta:
        """Apply one edit (as QTextDocument.contentsChange reports it); return what changed.

        Only the body is copied (one string per edit); the whole text is joined when asked.
        """
        body_start = self._body_start
        if not self._blocks or not self._keeps_front_matter(position):
            text = self.text
            return self.update("".join((text[:position], added_text, text[position + removed :])))
        start, old_body = position - body_start, self._body
        body = "".join((old_body[:start], added_text, old_body[start + removed :]))
        if not body_start and split_front_matter(body).body_start:  # front matter typed in
            return self.update(body)
        self._text = None if body_start else body
        self._markdown.start_call(len(body))
        return self._edit_body(start, removed, added_text, body)

    def _keeps_front_matter(self, position: int) -> bool:
        """Tell whether an edit at `position` leaves the front matter as it is (a post without
        one is checked after the edit: typing `---` lines at its start makes one)."""
        body_start = self._body_start
        return (
            not body_start
            or position > body_start
            or (position == body_start and self._front.endswith("\n"))
        )

    # -- rendering -------------------------------------------------------------------------

    def _render_from_scratch(self, body: str) -> RenderDelta:
        """Split and render a whole body (blocks already in the cache are not rendered)."""
        self._body = body
        self.last_rendered_blocks = 0
        self._blocks, self._starts, self._lines = [], ShiftedOffsets(), ShiftedOffsets()
        self._references = None
        if self._full_render_reason(body):
            return self._full_render(body)
        starts = split_blocks(body)
        # Render against the definitions the post most likely ends up with, so that the blocks
        # using them need no second render; _finish re-renders any the guess got wrong.
        self._definitions = self._likely_definitions(body, starts)
        blocks, starts, _ = self._render_region(body, starts, [])
        self._blocks, self._starts = blocks, ShiftedOffsets(starts)
        self._lines = ShiftedOffsets(line_numbers(body, starts, 0, 0))
        return self._finish(body)

    def _likely_definitions(self, body: str, starts: list[int]) -> Definitions:
        """Definitions found by rendering only the blocks that look like they define something."""
        if len(starts) < PRESCAN_MIN_BLOCKS:
            return Definitions()
        ends = [*starts[1:], len(body)]
        texts = [body[start:end] for start, end in zip(starts, ends, strict=True)]
        defining = [
            (index, text) for index, text in enumerate(texts) if _LOOKS_DEFINING.search(text)
        ]
        found: list[Block] = []
        for first in range(0, len(defining), BATCH_SIZE):
            batch = defining[first : first + BATCH_SIZE]
            last = batch[-1][0] == len(texts) - 1
            plain = [text for _index, text in (batch[:-1] if last else batch)]
            renders: Sequence[BlockRender | None] | None = (
                self._markdown.render_many(plain, BlockContext(), {}, [{}] * len(plain))
                if plain
                else []
            )
            if renders is None:  # a block in the batch swallows on: one by one
                renders = [self._markdown.render(text, BlockContext(), {}, False) for text in plain]
            if last:
                renders = [*renders, self._markdown.render(batch[-1][1], BlockContext(), {}, True)]
            found.extend(
                Block(text, index == len(texts) - 1, render)
                for (index, text), render in zip(batch, renders, strict=True)
                if render is not None
            )
        return collect_definitions(found)

    def _edit_body(self, start: int, removed: int, added: str, body: str) -> RenderDelta:
        """Apply an edit (giving the new `body`) to the body and re-render around it.

        Its cost follows the blocks the edit touches, not the post: the block list is spliced
        in place and the starts and lines after the edit shift lazily (`ShiftedOffsets`).
        """
        old_body = self._body
        self._body = body
        self.last_rendered_blocks = 0
        if self._full_render_reason(body, start, start + len(added)) or not self._blocks:
            return self._render_from_scratch(body)
        delta = len(added) - removed
        old_starts, old_blocks = self._starts, self._blocks
        containing = old_starts.bisect_right(start) - 1
        first = max(0, containing - 1)
        if first and may_join_the_block_before(
            old_body, old_starts[containing], start, old_blocks[first - 1].text
        ):
            first -= 1
        if may_repair_fences(old_body, start, removed, added):
            first = self._first_block_with_fence(first)
        last_touched = old_starts.bisect_right(start + removed) - 1
        stop_at = OldStarts(old_starts, delta, max(0, last_touched), start + len(added))
        starts = split_blocks(body, old_starts[first], stop_at)
        resync = len(old_blocks)
        if len(starts) > 1 and starts[-1] in stop_at:
            resync = old_starts.bisect_left(starts[-1] - delta)
            starts.pop()
        tail_starts = old_starts.shifted_from(resync, delta)
        new_blocks, new_starts, consumed = self._render_region(body, starts, tail_starts)
        kept_from = resync + consumed
        # Blocks the re-split found again unchanged stay the same objects (and keep their HTML)
        replaced = old_blocks[first:kept_from]
        # Where each replaced block's start is now; a block whose start the edit deleted has
        # none (it must not be mistaken for a new block that starts at the same place).
        before: dict[int, Block] = {}
        touched = []
        for old_start, block in zip(old_starts.between(first, kept_from), replaced, strict=True):
            if old_start < start:
                before[old_start] = block
            elif old_start >= start + removed:
                before[old_start + delta] = block
            else:
                touched.append(block)
        for index, (new_start, block) in enumerate(zip(new_starts, new_blocks, strict=True)):
            old = before.pop(new_start, None)
            if old is not None and old.render is block.render and old.last == block.last:
                new_blocks[index] = old
            else:
                touched.append(block)
                if old is not None:
                    touched.append(old)
        touched.extend(before.values())
        line_delta = added.count("\n") - old_body.count("\n", start, start + removed)
        new_lines = line_numbers(body, new_starts, old_starts[first], self._lines[first])
        old_blocks[first:kept_from] = new_blocks  # in place: the same list, spliced
        if self._references is not None:
            self._references.replace(replaced, new_blocks)
        old_starts.replace(first, kept_from, new_starts, delta)
        self._lines.replace(first, kept_from, new_lines, line_delta)
        region = (first, kept_from - first, len(new_blocks), line_delta)
        return self._finish(body, touched, region, (replaced, new_blocks))

    def _render_region(
        self, body: str, starts: list[int], tail_starts: list[int] | ShiftedTail
    ) -> tuple[list[Block], list[int], int]:
        """Render the blocks starting at `starts`, merging blocks that leave a construct open.

        `tail_starts` are the starts of the kept blocks after the region: a block that swallows
        what follows takes some of them in. Returns the blocks, their starts and how many tail
        blocks they took in.
        """
        count, total = len(starts), len(starts) + len(tail_starts)

        def pool(index: int) -> int:  # the starts, then the tail's (not copied)
            return starts[index] if index < count else tail_starts[index - count]

        batched: list[str] = []  # the texts rendered in batches, which the cache keys hold
        if count > 3:
            batched = self._render_in_batches(body, pool, min(count, total - 1))
        blocks: list[Block] = []
        block_starts: list[int] = []
        index = 0
        while index < count:
            take = 1
            while True:
                end_index = min(index + take, total)
                is_last = end_index >= total
                if take == 1 and index < len(batched):
                    text = batched[index]  # one string: the block's and the cache key's
                else:
                    end = len(body) if is_last else pool(end_index)
                    text = body[pool(index) : end]
                render = self._render_block(text, is_last)
                if render is not None:
                    break
                take *= 2  # the sentinel was swallowed: try with more of what follows
            blocks.append(Block(text, is_last, render))
            block_starts.append(pool(index))
            index = end_index
        return blocks, block_starts, max(0, index - count)

    def _render_in_batches(self, body: str, pool: Callable[[int], int], count: int) -> list[str]:
        """Render the blocks starting at `pool(0)`...`pool(count - 1)` several per call, into
        the cache (not the body's last block: the caller leaves it out); return their texts."""
        texts = [body[pool(index) : pool(index + 1)] for index in range(count)]
        self._render_texts(texts)
        return texts

    def _render_texts(self, texts: list[str]) -> None:
        """Render blocks (none the last of the body) several per call, into the cache.

        One Markdown call per block costs mostly the call; a batch that does not come out as
        separate blocks (one leaves raw HTML open) is left to the block-by-block loop.
        """
        definitions = self._definitions
        missing = []
        for text in texts:
            key = (text, False)
            cached = self._cache.get(key)
            if key in self._cache and (cached is None or is_current(cached, text, definitions)):
                continue
            missing.append(text)
        context = BlockContext(
            definitions.references, definitions.abbreviations, definitions.footnotes
        )
        for first in range(0, len(missing), BATCH_SIZE):
            batch = missing[first : first + BATCH_SIZE]
            own = [abbreviations_in(text, definitions.abbreviations) for text in batch]
            union = {term: title for found in own for term, title in found.items()}
            renders = self._markdown.render_many(batch, context, union, own)
            if renders is None:
                continue
            self.last_rendered_blocks += len(batch)
            for text, render in zip(batch, renders, strict=True):
                self._cache[text, False] = render
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _render_block(self, text: str, last: bool) -> BlockRender | None:
        """Return a block's render from the cache when still current, else render it."""
        key = (text.rstrip("\n") + "\n\n", True) if last else (text, False)
        cached = self._cache.get(key)
        if cached is not None and cached.open_at_end:
            # whether the last block stays open does not depend on its trailing newlines, but
            # what an open one renders to does (raw HTML keeps them): keyed by the exact text
            # (with a NUL after it, so that it never equals a key ending in a blank line)
            key = (text + "\0", True)
            cached = self._cache.get(key)
        definitions = self._definitions
        if cached is not None or key in self._cache:
            self._cache.move_to_end(key)
            if cached is None or is_current(cached, text, definitions):
                return cached
        context = BlockContext(
            definitions.references, definitions.abbreviations, definitions.footnotes
        )
        render = self._markdown.render(
            text, context, abbreviations_in(text, definitions.abbreviations), last
        )
        self.last_rendered_blocks += 1
        self._cache[key] = render
        if render is not None and render.open_at_end:
            self._cache[text + "\0", True] = render
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return render

    def _finish(
        self,
        body: str,
        touched: list[Block] | None = None,
        region: Region | None = None,
        swapped: tuple[list[Block], list[Block]] | None = None,
    ) -> RenderDelta:
        """Settle definitions, re-render blocks that used changed ones, assemble, hand out.

        `touched` are the blocks an edit removed or added (None: everything changed): when
        none of them defines anything or holds ids or footnotes, the document pass is skipped.
        `region` is where the edit replaced blocks (None: everywhere), `swapped` the blocks
        it took out and put in: when only their reference definitions differ, only the blocks
        using the labels whose final value changed are rendered again (`reference_index`).
        """
        was_full = self._full_html is not None
        changed: set[int] = set()
        blocks = self._blocks
        redefined = reassemble = touched is None or self._full_html is not None
        if touched is not None:
            for block in touched:
                if block.render.defines or block.render.needs_full_render:
                    redefined = True
                if block.render.needs_assembly:
                    reassemble = True
        self._full_html = None
        definitions = self._definitions
        stale: list[int] = []
        labels = None  # the reference labels the region redefined, when that is all it did
        if redefined and swapped is not None and not was_full:
            if self._references is None:
                self._references = ReferenceIndex(blocks)
            users = self._references
            labels = redefine_references(*swapped, blocks, definitions, users)
            if labels is not None:
                redefined = False
                stale = users.users_of(labels, blocks) if labels else []
        if redefined:
            definitions = collect_definitions(blocks)
            old, self._definitions = self._definitions, definitions
            stale = stale_blocks(blocks, old, definitions)
            if list(old.footnotes) != list(definitions.footnotes):
                reassemble = True  # footnote numbers follow the definitions' order
        if len(stale) > 3:
            self._render_texts([blocks[index].text for index in stale if not blocks[index].last])
        for index in stale:
            block = blocks[index]
            render = self._render_block(block.text, block.last)
            if render is None:  # cannot happen: a block's sentinel does not depend on context
                return self._full_render(body)
            changed.add(index)
            if render.too_slow:
                self._any_slow = True
            before, block.render, block.html = block.render, render, render.template
            if self._references is not None:
                self._references.rerendered(block, before)
            if block.values is not None and same_placeholders(before, render):
                block.html = fill(render.template, *block.values)
            elif render.needs_assembly:
                block.values = None
                reassemble = True
        if definitions.footnotes and blocks[-1].render.open_at_end:
            # the whitespace before the footnotes would belong to the open construct
            return self._full_render(body, keep_blocks=True)
        if redefined or reassemble:
            if definitions.needs_full_render or footnotes_need_full_render(definitions):
                return self._full_render(body, keep_blocks=True)
            if reassemble:
                assembly = assemble(blocks, definitions, self._markdown.toc_html)
                self._reference_counts = assembly.reference_counts
                changed.update(assembly.changed)
            footnotes = self._footnotes(definitions, self._reference_counts)
            if footnotes is None:
                return self._full_render(body, keep_blocks=True)
            self._footnotes_html = footnotes
        elif labels and any(
            not labels.isdisjoint(item[1]) for item in self._footnote_items.values()
        ):
            footnotes = self._footnotes(definitions, self._reference_counts)
            if footnotes is None:
                return self._full_render(body, keep_blocks=True)
            self._footnotes_html = footnotes
        if region is not None:  # the region's own blocks are handed out anyway
            first, _removed, added, _lines = region
            changed.difference_update(range(first, first + added))
        return self._settle_pieces(region, changed, was_full)

    def _footnotes(self, definitions: Definitions, counts: dict[str, int]) -> str | None:
        """Return the footnotes div; each footnote is re-rendered only when it changed."""
        if not definitions.footnotes:
            self._footnote_items, self._slow_footnotes = {}, []
            return ""
        references, abbreviations = definitions.references, definitions.abbreviations
        rendered: dict[_FootnoteKey, _FootnoteItem] = {}
        items = []
        for number, (footnote_id, text) in enumerate(definitions.footnotes.items(), 1):
            key = (footnote_id, text, counts.get(footnote_id, 0))
            entry = self._footnote_items.get(key)
            own = abbreviations_in(text, abbreviations)
            if (
                entry is None
                or entry[2] != own
                or any(references.get(label) != value for label, value in entry[1].items())
            ):
                lookups: dict[str, Reference | None] = {}
                context = BlockContext(references, own, set())
                slow = ""
                try:
                    item = self._markdown.render_footnote(
                        footnote_id, text, key[2], context, lookups
                    )
                except TooSlowToRender as error:  # shown as a notice, named by too_slow
                    item, slow = footnote_notice(footnote_id, error.reason), error.reason
                self.last_rendered_blocks += 1
                if item is None:
                    return None
                entry = (item, lookups, own, slow)
            rendered[key] = entry
            items.append(entry[0].replace(FOOTNOTE_NUMBER_TOKEN, str(number)))
        self._footnote_items = rendered
        self._slow_footnotes = [(key[0], entry[3]) for key, entry in rendered.items() if entry[3]]
        return FOOTNOTES_START + "".join(items) + FOOTNOTES_END

    def _full_render(self, body: str, keep_blocks: bool = False) -> RenderDelta:
        """Render the whole body at once (one piece)."""
        if not keep_blocks:
            self._blocks, self._starts, self._lines = [], ShiftedOffsets(), ShiftedOffsets()
            self._definitions = Definitions()
            self._references = None
        self.last_rendered_blocks = -1
        log.debug("Full render (%s)", self._reason or "a construct blocks cannot render exactly")
        self._full_too_slow = ""
        try:
            self._full_html = self._markdown.render_body(body)
        except TooSlowToRender as error:
            self._full_too_slow = error.reason
            last_line = self._first_line + body.count("\n") + 1
            self._full_html = too_slow_notice(error.reason, self._first_line + 1, last_line)
        return self._replace_all_pieces()

    def _full_render_reason(self, body: str, start: int = 0, end: int = -1) -> str:
        """Name what in this body only a full render gets right, or return ''.

        With the edited range `start:end`, and a body that had none of it before the edit,
        only the text around the edit is searched.
        """
        if end >= 0 and not self._reason:
            body = body[max(0, start - _WINDOW) : end + _WINDOW]
        self._reason = ""
        if TOKEN_OPEN in body or _OWN_SENTINEL.search(body):
            self._reason = "text that looks like the renderer's own placeholders"
        elif _FOOTNOTES_MARKER in body:
            self._reason = "a footnotes placement marker"
        elif "\x02" in body or "\x03" in body:
            # Python-Markdown deletes them before it looks for fences: "`\x02``" is a fence
            self._reason = "control characters Python-Markdown deletes"
        return self._reason

    def _first_block_with_fence(self, before: int) -> int:
        """Step back to the first block holding a fence line that could pair with the edit."""
        for index in range(before):
            if self._blocks[index].dangling_fence:
                return index
        return before

    @property
    def too_slow(self) -> list[tuple[int, int, str]]:
        """The parts the last render gave up on: (first line, last line, why), lines 1-based."""
        if self._full_html is not None:
            if not self._full_too_slow:
                return []
            last_line = self._first_line + self._body.count("\n") + 1
            return [(self._first_line + 1, last_line, self._full_too_slow)]
        parts = (
            [
                (*self._line_span(index), block.render.too_slow)
                for index, block in enumerate(self._blocks)
                if block.render.too_slow
            ]
            if self._any_slow
            else []
        )
        for footnote_id, why in self._slow_footnotes:
            parts.append((*self._footnote_line_span(footnote_id), why))
        return parts

    def _footnote_line_span(self, footnote_id: str) -> tuple[int, int]:
        """The lines (1-based) from a footnote's last definition to the end of its block."""
        found = 0
        for index, block in enumerate(self._blocks):
            if any(defined == footnote_id for defined, _ in block.render.footnote_definitions):
                found = index
        first, last = self._line_span(found)
        text = self._blocks[found].text
        at = text.rfind(f"[^{footnote_id}]:")
        if at >= 0:
            first = self._first_line + self._lines[found] + 1 + text.count("\n", 0, at)
        return min(first, last), last
