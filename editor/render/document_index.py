"""The document-wide pass over rendered blocks: definitions, numbering, ids, the toc (no Qt).

Blocks are rendered with placeholders (see `block_markdown`); this pass does cheaply what a
full render does across the document: the last definition of a reference or abbreviation wins,
footnotes are numbered in definition order and their back-reference ids (`fnref`, `fnref2`...)
follow the order of Python-Markdown's breadth-first inline pass, headings get toc's unique ids
(after every explicit id in the document), and `[TOC]` gets the table of all headings.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown.extensions.toc import unique

from editor.render.block_markdown import BlockRender
from editor.render.block_recording import (
    FOOTNOTE_NUMBER,
    FOOTNOTE_REF_ID,
    HEADING_ID,
    TOC_PLACEHOLDER_HTML,
    TOKEN_PATTERN,
    TocEntry,
    escape_attribute,
    token,
    token_index,
)
from editor.render.fences import FENCED_BLOCK

_TOKEN = re.compile(TOKEN_PATTERN)
# What a block's placeholders are filled with: heading ids, footnote ref ids and numbers, the toc.
Fill = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], str]
_FENCED_BLOCK = FENCED_BLOCK
FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
# Definitions inside a footnote are parsed only when the footnotes div is built, after the
# rest of the document: their effect on other blocks is left to a full render.
_NESTED_IN_FOOTNOTE = re.compile(r"\[\^|\]:|^\s*\*\[", re.MULTILINE)
# Abbreviations are applied to all text, raw HTML's stash placeholders ("\x02wzxhzdk:12\x03",
# numbered across the document) included: a term that can match inside one changes raw HTML
# anywhere, in a way only a full render's numbering gets right.
_MATCHES_IN_PLACEHOLDER = re.compile(r"(?:wzxhzdk)?:?\d*")


@dataclass(eq=False, slots=True)
class Block:
    """One top-level block: its source, its render and its assembled HTML."""

    text: str  # the Markdown rendered, from the block's first line to the next block
    last: bool  # the last block of the body (rendered as if followed by a blank line)
    render: BlockRender
    html: str = ""
    values: Fill | None = None  # what the placeholders were last filled with
    dangling_fence: bool = field(init=False)  # a fence line no fenced block uses

    def __post_init__(self) -> None:
        self.html = self.render.template
        self.dangling_fence = has_dangling_fence(self.text)


def has_dangling_fence(text: str) -> bool:
    """Tell whether a block holds a fence line that opens or closes no fenced block."""
    if "``" not in text and "~~" not in text:
        return False
    used = [(m.start(), m.end()) for m in _FENCED_BLOCK.finditer(text)]
    return any(
        not any(start <= line.start() < end for start, end in used)
        for line in FENCE_LINE.finditer(text)
    )


@dataclass
class Definitions:
    """The document's final definitions, as a full render ends up with them."""

    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnotes: OrderedDict[str, str] = field(default_factory=OrderedDict)
    first_footnote_block: Block | None = None
    needs_full_render: bool = False  # a block holds what only a full render gets right


def collect_definitions(blocks: list[Block]) -> Definitions:
    """Replay every block's definitions in document order."""
    found = Definitions()
    references, abbreviations, footnotes = found.references, found.abbreviations, found.footnotes
    for block in [block for block in blocks if block.render.document_wide]:
        render = block.render
        if render.needs_full_render:
            found.needs_full_render = True
        for label, value in render.reference_definitions:
            references[label] = value
        for term, title in render.abbreviation_definitions:
            if title is None:
                abbreviations.pop(term, None)
            else:
                abbreviations[term] = title
        if render.footnote_definitions:
            if found.first_footnote_block is None:
                found.first_footnote_block = block
            for footnote_id, text in render.footnote_definitions:
                footnotes[footnote_id] = text
    if any(_MATCHES_IN_PLACEHOLDER.fullmatch(term) for term in abbreviations):
        found.needs_full_render = True
    return found


def abbreviations_in(text: str, abbreviations: dict[str, str]) -> dict[str, str]:
    """Return the abbreviations whose term occurs in a block's text (the only ones it can use)."""
    if not abbreviations:
        return {}
    if "\t" in text:
        text = text.expandtabs(4)
    return {term: title for term, title in abbreviations.items() if term in text}


def is_current(render: BlockRender, text: str, definitions: Definitions) -> bool:
    """Tell whether a render used exactly the definitions now in force."""
    references = definitions.references
    for label, value in render.reference_lookups.items():
        if references.get(label) != value:
            return False
    footnotes = definitions.footnotes
    for footnote_id, defined in render.footnote_lookups.items():
        if (footnote_id in footnotes) != defined:
            return False
    return abbreviations_in(text, definitions.abbreviations) == render.abbreviations


def stale_blocks(blocks: list[Block], old: Definitions, new: Definitions) -> list[int]:
    """Return the blocks that used a definition whose final value changed."""
    changed_labels = {
        label
        for label in old.references.keys() | new.references.keys()
        if old.references.get(label) != new.references.get(label)
    }
    changed_terms = [
        term
        for term in old.abbreviations.keys() | new.abbreviations.keys()
        if old.abbreviations.get(term) != new.abbreviations.get(term)
    ]
    changed_footnotes = old.footnotes.keys() ^ new.footnotes.keys()
    if not (changed_labels or changed_terms or changed_footnotes):
        return []
    stale = []
    verdicts: dict[int, bool] = {}  # blocks rendered together share their lookups
    for index, block in enumerate(blocks):
        render = block.render
        lookups = render.reference_lookups
        if changed_labels and lookups:
            verdict = verdicts.get(id(lookups))
            if verdict is None:
                verdict = verdicts[id(lookups)] = not changed_labels.isdisjoint(lookups)
            if verdict:
                stale.append(index)
                continue
        if (changed_footnotes and not changed_footnotes.isdisjoint(render.footnote_lookups)) or (
            changed_terms and any(term in block.text for term in changed_terms)
        ):
            stale.append(index)
    return stale


def footnotes_need_full_render(definitions: Definitions) -> bool:
    """Tell whether a footnote holds definitions or references of its own."""
    return any(_NESTED_IN_FOOTNOTE.search(text) for text in definitions.footnotes.values())


@dataclass
class Assembly:
    """What the document pass found: toc entries and footnote reference counts."""

    toc_tokens: list[TocEntry]
    reference_counts: dict[str, int]
    has_toc: bool
    changed: list[int]  # the blocks whose HTML the pass changed


def assemble(
    blocks: list[Block], definitions: Definitions, toc_html: Callable[[list[TocEntry]], str]
) -> Assembly:
    """Fill every block's placeholders (heading ids, footnote numbers, the toc) in place.

    `toc_html(tokens)` renders the table of contents; it is called only when a block has one.
    """
    used_ids: set[str] = set()
    special = []
    has_toc = False
    for index, block in enumerate(blocks):
        render = block.render
        if render.needs_assembly:
            special.append(index)
            if render.explicit_ids:
                used_ids.update(render.explicit_ids)
            if render.has_toc:
                has_toc = True
    counters: dict[str, int] = {}
    refs: dict[str, list[tuple[int, int, int]]] = {}
    heading_ids = []
    for index in special:
        render = blocks[index].render
        ids: tuple[str, ...] = ()
        if render.heading_slugs:
            found = []
            for slug in render.heading_slugs:
                if slug and slug not in used_ids:  # what `unique` does for a new id, inlined
                    used_ids.add(slug)
                    found.append(slug)
                else:
                    found.append(unique(slug, used_ids, counters))
            ids = tuple(found)
        heading_ids.append(ids)
        for k, (footnote_id, generation) in enumerate(render.footnote_refs):
            refs.setdefault(footnote_id, []).append((generation, index, k))
    toc_tokens: list[TocEntry] = []
    if has_toc:
        for index, ids in zip(special, heading_ids, strict=True):
            for entry in blocks[index].render.toc_tokens:
                match = _TOKEN.fullmatch(entry["id"])
                if match:
                    entry = {**entry, "id": ids[token_index(match.group(2))]}
                toc_tokens.append(entry)
    ref_ids: dict[tuple[int, int], str] = {}
    for footnote_id, places in refs.items():
        if len(places) > 1:
            places.sort()
        for n, (_, index, k) in enumerate(places, 1):
            ref_ids[index, k] = f"{n if n > 1 else ''}:{footnote_id}"
    toc = toc_html(toc_tokens) if has_toc else ""
    footnote_order = {footnote_id: n for n, footnote_id in enumerate(definitions.footnotes, 1)}
    changed = []
    for index, ids in zip(special, heading_ids, strict=True):
        block = blocks[index]
        render = block.render
        if render.footnote_refs:
            refs_here = tuple(ref_ids[index, k] for k in range(len(render.footnote_refs)))
            numbers = tuple(footnote_order[footnote_id] for footnote_id, _ in render.footnote_refs)
        else:
            refs_here = numbers = ()
        values = (ids, refs_here, numbers, toc if render.has_toc else "")
        if values != block.values:
            block.values = values
            block.html = fill(render.template, ids, refs_here, numbers, values[3])
            changed.append(index)
    return Assembly(toc_tokens, {k: len(v) for k, v in refs.items()}, has_toc, changed)


def same_placeholders(before: BlockRender, after: BlockRender) -> bool:
    """Tell whether two renders of a block ask the document pass the same questions."""
    return (
        before.heading_slugs == after.heading_slugs
        and before.footnote_refs == after.footnote_refs
        and before.explicit_ids == after.explicit_ids
        and before.toc_tokens == after.toc_tokens
        and before.has_toc == after.has_toc
    )


def fill(
    template: str,
    ids: tuple[str, ...],
    refs: tuple[str, ...],
    numbers: tuple[int, ...],
    toc: str,
) -> str:
    """Replace a template's placeholders with their values."""

    def value(match: re.Match[str]) -> str:
        kind, index = match.group(1), token_index(match.group(2))
        if kind == HEADING_ID:
            return escape_attribute(ids[index])
        if kind == FOOTNOTE_REF_ID:
            return escape_attribute(refs[index])
        if kind == FOOTNOTE_NUMBER:
            return str(numbers[index])
        return match.group(0)

    html = _TOKEN.sub(value, template)
    if toc:
        html = html.replace(TOC_PLACEHOLDER_HTML, toc)
    return html


__all__ = ["Block", "Definitions", "assemble", "collect_definitions", "token"]
