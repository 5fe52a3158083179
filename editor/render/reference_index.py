"""Which blocks define and which use each reference label, kept up to date by region (no Qt).

A reference definition edit needs neither the document-wide definitions pass nor a look at
every block: when the edited region's definitions are the same as before, as Python-Markdown
parsed them (label, URL and title; trailing spaces typed after a title change nothing), nothing
else changes; when only its reference definitions differ, the labels they name get their final
value again (the last definition in the document wins) and only the blocks and footnotes that
looked those labels up are rendered again. Labels are the ones Python-Markdown's parser
records (lower case, whitespace squeezed), so `[Ref]` and `[ref]` are one label.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.render.block_markdown import BlockRender
from editor.render.block_recording import Reference
from editor.render.document_index import Block, Definitions

# Past this many blocks to find, one pass over all blocks beats a search for each.
_ONE_PASS_FROM = 8


class ReferenceIndex:
    """Reference label -> the blocks defining it, and -> the blocks that looked it up."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self.definers: dict[str, list[Block]] = {}
        self.users: dict[str, list[Block]] = {}
        for block in blocks:
            self._add(block, block.render)

    def _add(self, block: Block, render: BlockRender) -> None:
        """Index one block's render."""
        if render.reference_definitions:
            for label in {label for label, _ in render.reference_definitions}:
                self.definers.setdefault(label, []).append(block)
        for label in render.reference_lookups:
            self.users.setdefault(label, []).append(block)

    def _remove(self, block: Block, render: BlockRender) -> None:
        """Take one block's render (as it was indexed) out of the index."""
        if render.reference_definitions:
            for label in {label for label, _ in render.reference_definitions}:
                _take_out(self.definers, label, block)
        for label in render.reference_lookups:
            _take_out(self.users, label, block)

    def replace(self, old: list[Block], new: list[Block]) -> None:
        """Blocks `old` left the document and `new` came in (a block may be in both)."""
        for block in old:
            self._remove(block, block.render)
        for block in new:
            self._add(block, block.render)

    def rerendered(self, block: Block, before: BlockRender) -> None:
        """A block's render changed from `before` to `block.render`."""
        self._remove(block, before)
        self._add(block, block.render)

    def final_value(self, label: str, blocks: list[Block]) -> Reference | None:
        """The value a full render ends up with for `label` (None: not defined)."""
        definers = self.definers.get(label)
        if not definers:
            return None
        last = definers[0] if len(definers) == 1 else max(definers, key=blocks.index)
        value = None
        for defined, found in last.render.reference_definitions:
            if defined == label:
                value = found
        return value

    def users_of(self, labels: set[str], blocks: list[Block]) -> list[int]:
        """The indexes (in `blocks`, ascending) of the blocks that looked up any of `labels`."""
        wanted = {id(block): block for label in labels for block in self.users.get(label, ())}
        if len(wanted) >= _ONE_PASS_FROM:
            return [index for index, block in enumerate(blocks) if id(block) in wanted]
        return sorted(blocks.index(block) for block in wanted.values())


def _take_out(table: dict[str, list[Block]], label: str, block: Block) -> None:
    """Remove one block from a label's list (the label goes with its last block)."""
    found = table.get(label)
    if found is None:
        return
    for position, listed in enumerate(found):
        if listed is block:
            del found[position]
            break
    if not found:
        del table[label]


_Definitions = tuple[
    list[tuple[str, Reference]], list[tuple[str, str | None]], list[tuple[str, str]]
]


def _definitions_of(blocks: list[Block]) -> _Definitions:
    """A region's reference, abbreviation and footnote definitions, in document order."""
    references: list[tuple[str, Reference]] = []
    abbreviations: list[tuple[str, str | None]] = []
    footnotes: list[tuple[str, str]] = []
    for block in blocks:
        render = block.render
        if render.document_wide:
            references += render.reference_definitions
            abbreviations += render.abbreviation_definitions
            footnotes += render.footnote_definitions
    return references, abbreviations, footnotes


def redefine_references(
    old: list[Block],
    new: list[Block],
    blocks: list[Block],
    definitions: Definitions,
    index: ReferenceIndex,
) -> set[str] | None:
    """Update `definitions` after blocks `old` were replaced by `new`; return changed labels.

    `index` already knows the new blocks. Returns None when the region changed more than
    reference definitions (an abbreviation, a footnote, a block that needs a full render):
    then the whole definitions pass must run.
    """
    if any(block.render.needs_full_render for block in new) or any(
        block.render.needs_full_render for block in old
    ):
        return None
    old_references, old_abbreviations, old_footnotes = _definitions_of(old)
    new_references, new_abbreviations, new_footnotes = _definitions_of(new)
    if old_abbreviations != new_abbreviations or old_footnotes != new_footnotes:
        return None
    first_footnote_block = definitions.first_footnote_block
    if first_footnote_block is not None and any(block is first_footnote_block for block in old):
        # the same footnotes, defined first by the new block in its place
        definitions.first_footnote_block = next(
            block for block in new if block.render.footnote_definitions
        )
    if old_references == new_references:
        return set()
    references = definitions.references
    changed = set()
    labels = {label for label, _ in old_references} | {label for label, _ in new_references}
    for label in labels:
        value = index.final_value(label, blocks)
        if references.get(label) == value:
            continue
        changed.add(label)
        if value is None:
            del references[label]
        else:
            references[label] = value
    return changed
