"""Render one top-level block, or the footnotes, exactly as a full render would (no Qt).

A block is rendered by an instrumented Markdown instance in the Draftpress dialect. What a full
render decides document-wide is taken out of the block and recorded instead:

- reference links and abbreviations are looked up in the document's final definitions (given
  as context); the block records which labels it looked up and which definitions it makes;
- footnote references get placeholder ids and numbers (the document pass numbers them), and
  the block records each reference with the breadth-first generation Python-Markdown's inline
  pass reaches it in (that order decides `fnref2`, `fnref3`...);
- headings without an explicit id get a placeholder id and record their slug (the document pass
  de-duplicates), explicit ids are recorded, and a `[TOC]` paragraph becomes a placeholder.

A sentinel paragraph after the block keeps the whitespace a full render puts after it; when the
sentinel does not come out as its own paragraph, the block left something open (raw HTML, say)
that swallows what follows, and the caller must render it together with the next block.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.abbr import AbbrBlockprocessor, AbbrTreeprocessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
)
from markdown.extensions.toc import unescape as toc_unescape
from markdown.inlinepatterns import InlineProcessor
from markdown.serializers import _escape_attrib_html
from markdown.treeprocessors import Treeprocessor

from editor.render.markdown_renderer import EXTENSION_CONFIGS, EXTENSIONS, DraftpressDialect

SENTINEL = "ZQXDRAFTPRESSBLOCKENDZQX"
# What follows each block: a raw HTML block with Markdown inside, which comes out rendered (not
# verbatim) only if the HTML parser is in a clean state (not inside an unfinished tag, which
# would take it in up to its first `>`, nor inside raw HTML, which keeps it verbatim), then a
# paragraph that closes whatever could still be open (a tag, an attribute value, a comment, a
# processing instruction, CDATA). If anything is open, the two do not come out as they do
# alone, and the block must be rendered together with what follows it.
SENTINEL_SOURCE = f'<div markdown="1">{SENTINEL}</div>\n\n{SENTINEL} --> ?> ]]> > " > \' >\n\n'
# Placeholders are made of private-use characters: neither word characters nor Markdown syntax.
TOKEN_OPEN, TOKEN_CLOSE = "\uf8f0", "\uf8f1"
HEADING_ID, FOOTNOTE_REF_ID, FOOTNOTE_NUMBER, TOC_DIV = "\uf8f2", "\uf8f3", "\uf8f4", "\uf8f5"
TOKEN_PATTERN = f"{TOKEN_OPEN}([{HEADING_ID}-{TOC_DIV}])([\ue000-\uf8ef]{{2}}){TOKEN_CLOSE}"
TOC_PLACEHOLDER_HTML = f"<div>{TOKEN_OPEN}{TOC_DIV}\ue000\ue000{TOKEN_CLOSE}</div>"
_DIGITS = 6000
STASH_MARKER = "wzxhzdk"
FOOTNOTE_NUMBER_TOKEN = f"{TOKEN_OPEN}{FOOTNOTE_NUMBER}{TOKEN_OPEN}{TOKEN_CLOSE}"
FOOTNOTES_START = '<div class="footnote">\n<hr>\n<ol>\n'
FOOTNOTES_END = "</ol>\n</div>"


def token(kind: str, index: int) -> str:
    """Return the placeholder for the `index`-th item of a kind within a block."""
    return (
        f"{TOKEN_OPEN}{kind}{chr(0xE000 + index // _DIGITS)}"
        f"{chr(0xE000 + index % _DIGITS)}{TOKEN_CLOSE}"
    )


def token_index(digits: str) -> int:
    """Decode the index part of a placeholder."""
    return (ord(digits[0]) - 0xE000) * _DIGITS + ord(digits[1]) - 0xE000


def escape_attribute(value: str) -> str:
    """Escape an attribute value the way Python-Markdown's serializer does."""
    return _escape_attrib_html(value)


@dataclass
class BlockContext:
    """The document-wide definitions a block is rendered against."""

    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnote_ids: set[str] | dict[str, str] = field(default_factory=set)


@dataclass(eq=False)
class BlockRender:
    """A block's HTML with placeholders, what it depended on and what it contributes."""

    template: str
    reference_lookups: dict[str, tuple[str, str] | None]
    abbreviations: dict[str, str]  # the abbreviations in force whose term occurs in the block
    footnote_lookups: dict[str, bool]
    reference_definitions: list[tuple[str, tuple[str, str]]]
    abbreviation_definitions: list[tuple[str, str | None]]  # None: the abbreviation is removed
    footnote_definitions: list[tuple[str, str]]
    footnote_refs: list[tuple[str, int]]  # (footnote id, inline generation) per placeholder
    heading_slugs: list[str]  # per heading placeholder
    explicit_ids: list[str]
    toc_tokens: list[dict[str, Any]]
    has_toc: bool
    open_at_end: bool = False  # the last block, leaving something open to the end of the text
    needs_full_render: bool = False  # holds what only a full render gets right
    defines: bool = field(init=False)  # defines something document-wide
    needs_assembly: bool = field(init=False)  # has placeholders or ids the document pass sees

    def __post_init__(self) -> None:
        self.defines = bool(
            self.reference_definitions or self.abbreviation_definitions or self.footnote_definitions
        )
        self.needs_assembly = bool(
            self.footnote_refs
            or self.heading_slugs
            or self.explicit_ids
            or self.toc_tokens
            or self.has_toc
        )


class _RecordingReferences(dict):
    """`md.references` that reads the document's definitions and records lookups and writes."""

    def __init__(self, final: dict, lookups: dict, define) -> None:
        super().__init__()
        self.final, self.lookups, self.define = final, lookups, define

    def __contains__(self, label: object) -> bool:
        value = self.final.get(label)
        self.lookups[label] = value
        return value is not None

    def __getitem__(self, label: str) -> tuple[str, str]:
        value = self.final.get(label)
        self.lookups[label] = value
        if value is None:
            raise KeyError(label)
        return value

    def get(self, label: str, default: Any = None) -> Any:
        value = self.final.get(label)
        self.lookups[label] = value
        return default if value is None else value

    def __setitem__(self, label: str, value: tuple[str, str]) -> None:
        self.define(label, value)


class _RecordingAbbreviations(dict):
    """The abbreviation block processor's dict: records definitions and removals in order."""

    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state

    def __setitem__(self, term: str, title: str) -> None:
        self.state.abbreviation_definitions[self.state.block].append((term, title))

    def pop(self, term: str, default: Any = None) -> Any:
        self.state.abbreviation_definitions[self.state.block].append((term, None))
        return default


class _State:
    """What one render of one or more blocks (separated by sentinels) records, per block."""

    def __init__(self, context: BlockContext, abbreviations: dict[str, str], count: int) -> None:
        self.context = context
        self.abbreviations = abbreviations
        self.block = 0  # the block the block parser is in
        self.count = count
        self.reference_lookups: dict = {}
        self.footnote_lookups: dict[str, bool] = {}
        self.reference_definitions: list[list] = [[] for _ in range(count)]
        self.abbreviation_definitions: list[list] = [[] for _ in range(count)]
        self.footnote_definitions: list[list] = [[] for _ in range(count)]
        self.pending_refs: list[list[Any]] = []  # [id, sup element]
        self.footnote_refs: list[list] = [[] for _ in range(count)]  # (id, generation)
        self.depths: dict[int, int] = {}
        self.top_blocks: dict[int, int] = {}  # id(top-level element) -> block
        self.heading_slugs: list[list[str]] = [[] for _ in range(count)]
        self.explicit_ids: list[list[str]] = [[] for _ in range(count)]
        self.toc_tokens: list[list[dict[str, Any]]] = [[] for _ in range(count)]

    def define_reference(self, label: str, value: tuple[str, str]) -> None:
        """Record a reference definition in the current block."""
        self.reference_definitions[self.block].append((label, value))


def _is_sentinel(element: etree.Element) -> bool:
    """Tell whether a top-level element is the sentinel paragraph after a block."""
    return element.tag == "p" and (element.text or "").startswith(SENTINEL)


class _CountBlocks(BlockProcessor):
    """Counts the sentinels the block parser passes, so definitions know their block."""

    def __init__(self, parser, owner: BlockMarkdown) -> None:
        super().__init__(parser)
        self.owner = owner

    def test(self, parent: etree.Element, block: str) -> bool:
        """Never claims a block; counts top-level sentinels."""
        if block.startswith(SENTINEL) and parent is self.parser.root:
            state = self.owner.state
            state.block = min(state.block + 1, state.count - 1)  # too many: the split fails
        return False

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:  # pragma: no cover
        """Never called (test is always false)."""
        return False


class _PlaceholderFootnotes(InlineProcessor):
    """Footnote references with placeholder ids and numbers, recorded in order."""

    def __init__(self, pattern: str, owner: BlockMarkdown) -> None:
        super().__init__(pattern)
        self.owner = owner

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        """Make a placeholder reference when the footnote is defined in the document."""
        state = self.owner.state
        footnote_id = m.group(1)
        defined = footnote_id in state.context.footnote_ids
        state.footnote_lookups[footnote_id] = defined
        if not defined:
            return None, None, None
        sup = etree.Element("sup")
        link = etree.SubElement(sup, "a")
        link.set("href", "#" + self.owner.footnotes.makeFootnoteId(footnote_id))
        link.set("class", "footnote-ref")
        sup.set("id", "fnref")  # the placeholders are set once the block is known
        state.pending_refs.append([footnote_id, sup])
        return sup, m.start(0), m.end(0)


class _RecordDepths(Treeprocessor):
    """Before the inline pass: the depth of every element and the block of each top one."""

    def __init__(self, owner: BlockMarkdown) -> None:
        super().__init__(owner.md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        """Record depths by a walk from the root."""
        state = self.owner.state
        block = 0
        for child in root:
            state.top_blocks[id(child)] = block
            if _is_sentinel(child):
                block = min(block + 1, state.count - 1)
        depths = state.depths
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            depths[id(element)] = depth
            stack.extend((child, depth + 1) for child in element)


class _RecordGenerations(Treeprocessor):
    """After the inline pass: each footnote reference's block, order and generation."""

    def __init__(self, owner: BlockMarkdown) -> None:
        super().__init__(owner.md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        """The text holding a reference is processed when its owner's parent is dequeued."""
        state = self.owner.state
        if not state.pending_refs:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for footnote_id, sup in state.pending_refs:
            element = sup
            while id(element) not in state.depths and element in parents:
                element = parents[element]
            generation = state.depths.get(id(element), 1) - 1
            while parents.get(element) is not None and parents[element] is not root:
                element = parents[element]
            if parents.get(element) is not root:
                continue  # not in the document tree (stashed HTML): left to a full render
            refs = state.footnote_refs[state.top_blocks.get(id(element), 0)]
            sup.set("id", "fnref" + token(FOOTNOTE_REF_ID, len(refs)))
            sup[0].text = token(FOOTNOTE_NUMBER, len(refs))
            refs.append((footnote_id, generation))


class _PlaceholderToc(TocTreeprocessor):
    """The toc pass with placeholder heading ids and a placeholder table of contents."""

    def __init__(self, md: markdown.Markdown, config: dict, owner: BlockMarkdown) -> None:
        super().__init__(md, config)
        self.owner = owner

    def run(self, doc: etree.Element) -> None:
        """Record ids, slugs and toc entries; leave the numbering to the document pass."""
        state = self.owner.state
        for child in doc:
            block = state.top_blocks.get(id(child), 0)
            explicit_ids, slugs, tokens = (
                state.explicit_ids[block],
                state.heading_slugs[block],
                state.toc_tokens[block],
            )
            for element in child.iter():
                value = element.attrib.get("id")
                if value is not None and TOKEN_OPEN not in value and value != "fnref":
                    explicit_ids.append(value)
            for element in child.iter():
                if isinstance(element.tag, str) and self.header_rgx.match(element.tag):
                    self._heading(element, slugs, tokens)
        if self.marker:
            placeholder = etree.Element("div")
            placeholder.text = token(TOC_DIV, 0)
            placeholder.tail = "\n"
            self.replace_marker(doc, placeholder)
        self.md.toc_tokens = []
        self.md.toc = ""

    def _heading(self, element: etree.Element, slugs: list[str], tokens: list[dict]) -> None:
        """What toc does to a heading, with a placeholder id when it has none of its own."""
        self.set_level(element)
        inner_html = render_inner_html(remove_fnrefs(element), self.md)
        name = strip_tags(inner_html)
        if "id" not in element.attrib:
            slugs.append(self.slugify(html.unescape(name), self.sep))
            element.attrib["id"] = token(HEADING_ID, len(slugs) - 1)
        label = ""
        if "data-toc-label" in element.attrib:
            label = markdown.extensions.toc.run_postprocessors(
                toc_unescape(element.attrib["data-toc-label"]), self.md
            )
            name = markdown.extensions.toc.escape_cdata(strip_tags(label))
            del element.attrib["data-toc-label"]
        level = int(element.tag[-1])
        if self.toc_top <= level <= self.toc_bottom:
            tokens.append(
                {
                    "level": level,
                    "id": toc_unescape(element.attrib["id"]),
                    "name": name,
                    "html": inner_html,
                    "data-toc-label": label,
                }
            )


def _extension(md: markdown.Markdown, kind: type) -> Any:
    """Return the registered extension instance of a kind."""
    return next(ext for ext in md.registeredExtensions if isinstance(ext, kind))


class BlockMarkdown:
    """An instrumented Markdown instance rendering blocks and the footnotes div."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, DraftpressDialect()],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        md = self.md
        self.footnotes: FootnoteExtension = _extension(md, FootnoteExtension)
        self.footnotes.setFootnote = self._record_footnote  # type: ignore[method-assign]
        md.inlinePatterns.register(_PlaceholderFootnotes(r"\[\^([^\]]*)\]", self), "footnote", 175)
        md.treeprocessors.deregister("footnote")  # the div is rendered on its own
        md.treeprocessors.register(_RecordDepths(self), "draftpress_depths", 20.5)
        md.treeprocessors.register(_RecordGenerations(self), "draftpress_generations", 19.5)
        toc = _extension(md, TocExtension)
        md.treeprocessors.register(_PlaceholderToc(md, toc.getConfigs(), self), "toc", 5)
        self._abbr_block = next(
            p for p in md.parser.blockprocessors if isinstance(p, AbbrBlockprocessor)
        )
        self._abbr_tree = next(p for p in md.treeprocessors if isinstance(p, AbbrTreeprocessor))
        md.parser.blockprocessors.register(_CountBlocks(md.parser, self), "draftpress_blocks", 1000)
        self.state = _State(BlockContext(), {}, 1)
        self.md.reset()
        self.sentinel_html = self.md.convert(SENTINEL_SOURCE)
        # A plain instance renders the footnotes div with the document's state injected.
        self.plain = markdown.Markdown(
            extensions=[*EXTENSIONS, DraftpressDialect()],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        self._plain_footnotes: FootnoteExtension = _extension(self.plain, FootnoteExtension)
        title = self._plain_footnotes.getConfig("BACKLINK_TITLE")
        self._plain_footnotes.setConfig(
            "BACKLINK_TITLE", title.replace("{}", FOOTNOTE_NUMBER_TOKEN)
        )
        self._plain_abbr_tree = next(
            p for p in self.plain.treeprocessors if isinstance(p, AbbrTreeprocessor)
        )

    def _record_footnote(self, footnote_id: str, text: str) -> None:
        """Record a footnote definition instead of storing it."""
        self.state.footnote_definitions[self.state.block].append((footnote_id, text))

    def _prepare(self, context: BlockContext, abbreviations: dict[str, str], count: int) -> _State:
        """Reset the instance and point its document-wide state at the recorders."""
        self.md.reset()
        state = self.state = _State(context, abbreviations, count)
        self.md.references = _RecordingReferences(
            context.references, state.reference_lookups, state.define_reference
        )
        self._abbr_block.abbrs = _RecordingAbbreviations(state)
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
        render.needs_full_render = any(sup.get("id") == "fnref" for _, sup in state.pending_refs)
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
        renders = [
            self._block_render(state, index, template, own_abbreviations[index])
            for index, template in enumerate(templates)
        ]
        if any(sup.get("id") == "fnref" for _, sup in state.pending_refs):
            for render in renders:  # a footnote reference inside raw HTML with Markdown
                render.needs_full_render = True
        return renders

    def _block_render(
        self,
        state: _State,
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
            # input) carries a document-wide count
            needs_full_render=STASH_MARKER in template,
        )

    def render_footnote(
        self, footnote_id: str, text: str, count: int, context: BlockContext, lookups: dict
    ) -> str | None:
        """Return one footnote's list item, its number a placeholder; None if it needs more.

        The footnotes div is FOOTNOTES_START, the items numbered in definition order, then
        FOOTNOTES_END. `count` is how many references the body makes to it.
        """
        md = self.plain
        md.reset()
        md.references = _RecordingReferences(context.references, lookups, lambda *_: None)
        self._plain_abbr_tree.abbrs = dict(context.abbreviations)
        self._plain_footnotes.footnotes = OrderedDict([(footnote_id, text)])
        separator = self._plain_footnotes.get_separator()
        self._plain_footnotes.found_refs = {f"fnref{separator}{footnote_id}": count}
        output = md.convert(SENTINEL_SOURCE)
        if md.toc_tokens or ' id="' in output.replace(' id="fn', ""):
            return None  # headings or explicit ids in a footnote take part in the toc
        div = output[output.find(self.sentinel_html) + len(self.sentinel_html) :].lstrip("\n")
        if not (div.startswith(FOOTNOTES_START) and div.endswith(FOOTNOTES_END)):
            return None
        return div[len(FOOTNOTES_START) : len(div) - len(FOOTNOTES_END)]

    def toc_html(self, tokens: list[dict[str, Any]]) -> str:
        """Return the table of contents div for the document's toc entries."""
        md = self.plain
        md.reset()
        toc = next(p for p in md.treeprocessors if isinstance(p, TocTreeprocessor))
        nested = markdown.extensions.toc.nest_toc_tokens([dict(t) for t in tokens])
        div = toc.build_toc_div(nested)
        div.tail = None  # the placeholder it replaces keeps its own tail
        result = md.serializer(div)
        for processor in md.postprocessors:
            result = processor.run(result)
        return result
