"""Render top-level blocks, or one footnote, exactly as a full render would (no Qt).

A block is rendered by an instrumented Markdown instance in the Draftpress dialect. What a full
render decides document-wide is taken out of the block and recorded instead (the processors
are in `block_recording`):

- reference links and abbreviations are looked up in the document's final definitions (given
  as context); the block records which labels it looked up and which definitions it makes;
- footnote references get placeholder ids and numbers (the document pass numbers them), and
  the block records each reference with the breadth-first generation Python-Markdown's inline
  pass reaches it in (that order decides `fnref2`, `fnref3`...);
- headings without an explicit id get a placeholder id and record their slug (the document pass
  de-duplicates), explicit ids are recorded, and a `[TOC]` paragraph becomes a placeholder.

A sentinel after each block (see `SENTINEL_SOURCE`) keeps the whitespace a full render puts
after the block; when it does not come out as it does alone, the block left something open
(raw HTML, an unfinished tag) that swallows what follows, and the caller renders it together
with the next block. Many blocks can be rendered in one call, sentinels between them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NoReturn, TypeVar

import markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrBlockprocessor, AbbrTreeprocessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor

from editor.render.block_recording import (
    FOOTNOTE_NUMBER_TOKEN,
    FOOTNOTES_END,
    FOOTNOTES_START,
    SENTINEL,
    SENTINEL_SOURCE,
    SENTINEL_TAG,
    STASH_MARKER,
    TOC_PLACEHOLDER_HTML,
    BlockContext,
    CountBlocks,
    PlaceholderFootnotes,
    PlaceholderToc,
    RecordDepths,
    RecordGenerations,
    RecordingAbbreviations,
    RecordingReferences,
    Reference,
    RenderState,
    TocEntry,
)
from editor.render.markdown_renderer import dialect_markdown


class _EmptyMapping(dict[Any, Any]):
    """The one empty mapping every render without lookups shares: it refuses changes, and a
    pickled render (from the render worker) comes back holding this same one."""

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("the shared empty mapping of block renders cannot change")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> str:
        return "EMPTY_MAPPING"


# A render holds ten collections, nearly all of them empty in most blocks: one shared empty
# tuple and mapping instead of ten new ones save about 5 MiB per 10,000 blocks (issue 16).
EMPTY_MAPPING: Mapping[Any, Any] = _EmptyMapping()


@dataclass(eq=False, slots=True)
class BlockRender:
    """A block's HTML with placeholders, what it depended on and what it contributes."""

    template: str
    reference_lookups: Mapping[str, tuple[str, str] | None]
    abbreviations: Mapping[str, str]  # the abbreviations in force whose term occurs in the block
    footnote_lookups: Mapping[str, bool]
    reference_definitions: Sequence[tuple[str, tuple[str, str]]]
    abbreviation_definitions: Sequence[tuple[str, str | None]]  # None: the abbreviation goes
    footnote_definitions: Sequence[tuple[str, str]]
    footnote_refs: Sequence[tuple[str, int]]  # (footnote id, inline generation) per placeholder
    heading_slugs: Sequence[str]  # per heading placeholder
    explicit_ids: Sequence[str]
    toc_tokens: Sequence[TocEntry]
    has_toc: bool
    open_at_end: bool = False  # the last block, leaving something open to the end of the text
    needs_full_render: bool = False  # holds what only a full render gets right
    too_slow: str = ""  # why it could not be rendered in time ("slow", "memory", "deep")
    defines: bool = field(init=False)  # defines something document-wide
    document_wide: bool = field(init=False)  # defines something or needs a full render
    needs_assembly: bool = field(init=False)  # has placeholders or ids the document pass sees

    def __post_init__(self) -> None:
        share_empties(self)
        self.defines = bool(
            self.reference_definitions or self.abbreviation_definitions or self.footnote_definitions
        )
        self.document_wide = self.defines or self.needs_full_render
        self.needs_assembly = bool(
            self.footnote_refs
            or self.heading_slugs
            or self.explicit_ids
            or self.toc_tokens
            or self.has_toc
        )


def share_empties(render: BlockRender) -> None:
    """Put the shared empty tuple or mapping in place of each empty collection of `render`."""
    for name in _COLLECTIONS:
        value = getattr(render, name)
        if not value and value is not EMPTY_MAPPING and value != ():
            setattr(render, name, EMPTY_MAPPING if isinstance(value, Mapping) else ())


_COLLECTIONS = tuple(
    spec.name for spec in fields(BlockRender) if spec.type.startswith(("Mapping", "Sequence"))
)


def _narrow_lookups(render: BlockRender, text: str) -> None:
    """Keep the lookups whose label (or footnote id) occurs in the block's text.

    Labels are compared without case and whitespace, a superset of what Python-Markdown's
    label normalisation (lower case, newlines to spaces) can match.
    """
    if render.reference_lookups:
        squeezed = "".join(text.lower().split())
        render.reference_lookups = {
            label: value
            for label, value in render.reference_lookups.items()
            if "".join(label.split()) in squeezed
        }
    if render.footnote_lookups:
        render.footnote_lookups = {
            footnote_id: defined
            for footnote_id, defined in render.footnote_lookups.items()
            if footnote_id in text
        }
    share_empties(render)


_Extension = TypeVar("_Extension", bound=Extension)


def _extension(md: markdown.Markdown, kind: type[_Extension]) -> _Extension:
    """Return the registered extension instance of a kind."""
    return next(ext for ext in md.registeredExtensions if isinstance(ext, kind))


class BlockMarkdown:
    """An instrumented Markdown instance rendering blocks and the footnotes div."""

    def __init__(self) -> None:
        self.md = dialect_markdown()
        md = self.md
        self.footnotes: FootnoteExtension = _extension(md, FootnoteExtension)
        # The hook: definitions are recorded per block instead of stored (the stubs call
        # the method's first parameter `id`).
        self.footnotes.setFootnote = self._record_footnote  # type: ignore[method-assign,assignment]
        md.inlinePatterns.register(PlaceholderFootnotes(r"\[\^([^\]]*)\]", self), "footnote", 175)
        md.treeprocessors.deregister("footnote")  # the div is rendered on its own
        md.treeprocessors.register(RecordDepths(self), "draftpress_depths", 20.5)
        md.treeprocessors.register(RecordGenerations(self), "draftpress_generations", 19.5)
        toc = _extension(md, TocExtension)
        md.treeprocessors.register(PlaceholderToc(md, toc.getConfigs(), self), "toc", 5)
        self._abbr_block = next(
            p for p in md.parser.blockprocessors if isinstance(p, AbbrBlockprocessor)
        )
        self._abbr_tree = next(p for p in md.treeprocessors if isinstance(p, AbbrTreeprocessor))
        md.parser.blockprocessors.register(CountBlocks(md.parser, self), "draftpress_blocks", 1000)
        md.block_level_elements.append(SENTINEL_TAG)
        self.state = RenderState(BlockContext(), {}, 1)
        self.md.reset()
        self.sentinel_html = self.md.convert(SENTINEL_SOURCE)
        # A plain instance renders the footnotes div with the document's state injected.
        self.plain = dialect_markdown()
        self.plain.block_level_elements.append(SENTINEL_TAG)
        self._plain_footnotes: FootnoteExtension = _extension(self.plain, FootnoteExtension)
        title = self._plain_footnotes.getConfig("BACKLINK_TITLE")
        self._plain_footnotes.setConfig(
            "BACKLINK_TITLE", title.replace("{}", FOOTNOTE_NUMBER_TOKEN)
        )
        self._plain_abbr_tree = next(
            p for p in self.plain.treeprocessors if isinstance(p, AbbrTreeprocessor)
        )
        # A footnote is rendered with this one after it, which comes out as it does alone
        # unless the footnote leaves a block open (an unclosed `///` swallows later footnotes).
        self._probe_item = ""
        self._probe_item = self._footnote_items([]) or ""

    def _record_footnote(self, footnote_id: str, text: str) -> None:
        """Record a footnote definition instead of storing it."""
        self.state.footnote_definitions[self.state.block].append((footnote_id, text))

    def _prepare(
        self, context: BlockContext, abbreviations: dict[str, str], count: int
    ) -> RenderState:
        """Reset the instance and point its document-wide state at the recorders."""
        self.md.reset()
        state = self.state = RenderState(context, abbreviations, count)
        self.md.references = RecordingReferences(
            context.references, state.reference_lookups, state.define_reference
        )
        self._abbr_block.abbrs = RecordingAbbreviations(state)
        self._abbr_tree.abbrs = abbreviations
        return state

    def render(
        self, text: str, context: BlockContext, abbreviations: dict[str, str], last: bool
    ) -> BlockRender | None:
        """Render a block (ending in a blank line unless `last`); None when it swallows on."""
        source = text.rstrip("\n") + "\n\n" if last else text
        renders = self.render_many([source], context, abbreviations, [abbreviations])
        if renders is not None or not last:
            return None if renders is None else renders[0]
        # an unclosed construct at the end: render the block as it stands
        state = self._prepare(context, abbreviations, 1)
        template = self.md.convert(text) + "\n"
        render = self._block_render(state, 0, template, abbreviations, open_at_end=True)
        if any(sup.get("id") == "fnref" for _, sup in state.pending_refs):
            render.needs_full_render = render.document_wide = True
        return render

    def render_many(
        self,
        texts: list[str],
        context: BlockContext,
        abbreviations: dict[str, str],
        own_abbreviations: list[dict[str, str]],
    ) -> list[BlockRender] | None:
        """Render blocks (each ending in a blank line) in one go; None if one swallows on.

        `abbreviations` are those in force in any of the blocks, `own_abbreviations` each
        block's own. References and footnotes looked up are recorded for all the blocks.
        """
        state = self._prepare(context, abbreviations, len(texts))
        output = self.md.convert(SENTINEL_SOURCE.join(texts) + SENTINEL_SOURCE)
        parts = output.split(self.sentinel_html)
        if len(parts) != len(texts) + 1 or parts[-1]:
            return None
        templates = [parts[0]]
        for part in parts[1:-1]:
            if part and not part.startswith("\n"):
                return None
            templates.append(part[1:])
        if any(SENTINEL_TAG in template for template in templates):
            return None  # a sentinel came out in pieces, mixed into a block's HTML
        if state.top_sentinels != len(texts):
            return None  # an element a block opened took sentinels in (a later block closed it)
        renders = [
            self._block_render(state, index, template, own_abbreviations[index])
            for index, template in enumerate(templates)
        ]
        if len(texts) > 1:  # lookups were recorded for all: keep those a block can have made
            for text, render in zip(texts, renders, strict=True):
                _narrow_lookups(render, text)
        if any(sup.get("id") == "fnref" for _, sup in state.pending_refs):
            for render in renders:  # a footnote reference inside raw HTML with Markdown
                render.needs_full_render = render.document_wide = True
        return renders

    def _block_render(
        self,
        state: RenderState,
        index: int,
        template: str,
        abbreviations: dict[str, str],
        open_at_end: bool = False,
    ) -> BlockRender:
        """Collect what the render recorded for one of its blocks."""
        return BlockRender(
            template=template,
            reference_lookups=state.reference_lookups,
            abbreviations=abbreviations,
            footnote_lookups=state.footnote_lookups,
            reference_definitions=state.reference_definitions[index],
            abbreviation_definitions=state.abbreviation_definitions[index],
            footnote_definitions=state.footnote_definitions[index],
            footnote_refs=state.footnote_refs[index],
            heading_slugs=state.heading_slugs[index],
            explicit_ids=state.explicit_ids[index],
            toc_tokens=state.toc_tokens[index],
            has_toc=TOC_PLACEHOLDER_HTML in template,
            open_at_end=open_at_end,
            # a stash placeholder that leaked into the output (attr_list does that with odd
            # input) carries a document-wide count; one in an explicit heading id goes into the
            # table of contents, where a full render's last pass swaps in the raw HTML
            needs_full_render=STASH_MARKER in template
            or any(STASH_MARKER in entry["id"] for entry in state.toc_tokens[index]),
        )

    def render_footnote(
        self,
        footnote_id: str,
        text: str,
        count: int,
        context: BlockContext,
        lookups: dict[str, Reference | None],
    ) -> str | None:
        """Return one footnote's list item, its number a placeholder; None if it needs more.

        The footnotes div is FOOTNOTES_START, the items numbered in definition order, then
        FOOTNOTES_END. `count` is how many references the body makes to it.
        """
        self.plain.reset()
        self.plain.references = RecordingReferences(context.references, lookups, lambda *_: None)
        self._plain_abbr_tree.abbrs = dict(context.abbreviations)
        return self._footnote_items([(footnote_id, text, count)])

    def _footnote_items(self, footnotes: list[tuple[str, str, int]]) -> str | None:
        """Render footnotes (id, text, references), then the probe; None if that comes out odd."""
        md = self.plain
        separator = self._plain_footnotes.get_separator()
        self._plain_footnotes.footnotes = OrderedDict(
            [*((footnote_id, text) for footnote_id, text, _ in footnotes), (SENTINEL, SENTINEL)]
        )
        self._plain_footnotes.found_refs = {
            f"fnref{separator}{footnote_id}": count for footnote_id, _, count in footnotes
        }
        output = md.convert(SENTINEL_SOURCE)
        toc_tokens = md.toc_tokens  # type: ignore[attr-defined]  # left by toc; not in the stubs
        if toc_tokens or ' id="' in output.replace(' id="fn', ""):
            return None  # headings or explicit ids in a footnote take part in the toc
        div = output[output.find(self.sentinel_html) + len(self.sentinel_html) :].lstrip("\n")
        end = self._probe_item + FOOTNOTES_END
        if not (div.startswith(FOOTNOTES_START) and div.endswith(end)):
            return None
        return div[len(FOOTNOTES_START) : len(div) - len(end)]

    def toc_html(self, tokens: list[TocEntry]) -> str:
        """Return the table of contents div for the document's toc entries."""
        md = self.plain
        md.reset()
        toc = next(p for p in md.treeprocessors if isinstance(p, TocTreeprocessor))
        nested = markdown.extensions.toc.nest_toc_tokens([t.copy() for t in tokens])
        div = toc.build_toc_div(nested)
        div.tail = None  # the placeholder it replaces keeps its own tail
        result = md.serializer(div)
        for processor in md.postprocessors:
            result = processor.run(result)
        return result
