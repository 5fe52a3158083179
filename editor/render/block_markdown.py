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
# What follows each block: a void raw HTML tag, which comes out as its own raw block only if the
# HTML parser is not inside an unfinished tag (that would take it in as text up to its `>`), and
# a paragraph that closes whatever raw HTML could still be open (a tag, an attribute value, a
# comment, a processing instruction, CDATA): if anything is open, the two do not come out as
# they do alone, and the block must be rendered together with what follows it.
SENTINEL_SOURCE = f'<hr class="{SENTINEL}">\n\n{SENTINEL} --> ?> ]]> > " > \' >\n'
# Placeholders are made of private-use characters: neither word characters nor Markdown syntax.
TOKEN_OPEN, TOKEN_CLOSE = "\uf8f0", "\uf8f1"
HEADING_ID, FOOTNOTE_REF_ID, FOOTNOTE_NUMBER, TOC_DIV = "\uf8f2", "\uf8f3", "\uf8f4", "\uf8f5"
TOKEN_PATTERN = f"{TOKEN_OPEN}([{HEADING_ID}-{TOC_DIV}])([\ue000-\uf8ef]{{2}}){TOKEN_CLOSE}"
TOC_PLACEHOLDER_HTML = f"<div>{TOKEN_OPEN}{TOC_DIV}\ue000\ue000{TOKEN_CLOSE}</div>"
_DIGITS = 6000


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

    def __init__(self, final: dict, lookups: dict, definitions: list) -> None:
        super().__init__()
        self.final, self.lookups, self.definitions = final, lookups, definitions

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
        self.definitions.append((label, value))


class _RecordingAbbreviations(dict):
    """The abbreviation block processor's dict: records definitions and removals in order."""

    def __init__(self, operations: list) -> None:
        super().__init__()
        self.operations = operations

    def __setitem__(self, term: str, title: str) -> None:
        self.operations.append((term, title))

    def pop(self, term: str, default: Any = None) -> Any:
        self.operations.append((term, None))
        return default


class _State:
    """What one block render records."""

    def __init__(self, context: BlockContext, abbreviations: dict[str, str]) -> None:
        self.context = context
        self.abbreviations = abbreviations
        self.reference_lookups: dict = {}
        self.reference_definitions: list = []
        self.abbreviation_definitions: list = []
        self.footnote_lookups: dict[str, bool] = {}
        self.footnote_definitions: list[tuple[str, str]] = []
        self.footnote_refs: list[list[Any]] = []  # [id, sup element, generation]
        self.depths: dict[int, int] = {}
        self.heading_slugs: list[str] = []
        self.explicit_ids: list[str] = []
        self.toc_tokens: list[dict[str, Any]] = []


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
        index = len(state.footnote_refs)
        sup = etree.Element("sup")
        link = etree.SubElement(sup, "a")
        sup.set("id", "fnref" + token(FOOTNOTE_REF_ID, index))
        link.set("href", "#" + self.owner.footnotes.makeFootnoteId(footnote_id))
        link.set("class", "footnote-ref")
        link.text = token(FOOTNOTE_NUMBER, index)
        state.footnote_refs.append([footnote_id, sup, 0])
        return sup, m.start(0), m.end(0)


class _RecordDepths(Treeprocessor):
    """Before the inline pass: remember the depth of every block-level element."""

    def __init__(self, owner: BlockMarkdown) -> None:
        super().__init__(owner.md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        """Record depths by a walk from the root."""
        depths = self.owner.state.depths
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            depths[id(element)] = depth
            stack.extend((child, depth + 1) for child in element)


class _RecordGenerations(Treeprocessor):
    """After the inline pass: the generation each footnote reference was processed in."""

    def __init__(self, owner: BlockMarkdown) -> None:
        super().__init__(owner.md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        """The text holding a reference is processed when its owner's parent is dequeued."""
        state = self.owner.state
        if not state.footnote_refs:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for record in state.footnote_refs:
            element = record[1]
            while id(element) not in state.depths and element in parents:
                element = parents[element]
            record[2] = state.depths.get(id(element), 1) - 1


class _PlaceholderToc(TocTreeprocessor):
    """The toc pass with placeholder heading ids and a placeholder table of contents."""

    def __init__(self, md: markdown.Markdown, config: dict, owner: BlockMarkdown) -> None:
        super().__init__(md, config)
        self.owner = owner

    def run(self, doc: etree.Element) -> None:
        """Record ids, slugs and toc entries; leave the numbering to the document pass."""
        state = self.owner.state
        for element in doc.iter():
            value = element.attrib.get("id")
            if value is not None and TOKEN_OPEN not in value:
                state.explicit_ids.append(value)
        for element in doc.iter():
            if not (isinstance(element.tag, str) and self.header_rgx.match(element.tag)):
                continue
            self.set_level(element)
            inner_html = render_inner_html(remove_fnrefs(element), self.md)
            name = strip_tags(inner_html)
            if "id" not in element.attrib:
                state.heading_slugs.append(self.slugify(html.unescape(name), self.sep))
                element.attrib["id"] = token(HEADING_ID, len(state.heading_slugs) - 1)
            label = ""
            if "data-toc-label" in element.attrib:
                label = markdown.extensions.toc.run_postprocessors(
                    toc_unescape(element.attrib["data-toc-label"]), self.md
                )
                name = markdown.extensions.toc.escape_cdata(strip_tags(label))
                del element.attrib["data-toc-label"]
            level = int(element.tag[-1])
            if self.toc_top <= level <= self.toc_bottom:
                state.toc_tokens.append(
                    {
                        "level": level,
                        "id": toc_unescape(element.attrib["id"]),
                        "name": name,
                        "html": inner_html,
                        "data-toc-label": label,
                    }
                )
        if self.marker:
            placeholder = etree.Element("div")
            placeholder.text = token(TOC_DIV, 0)
            placeholder.tail = "\n"
            self.replace_marker(doc, placeholder)
        self.md.toc_tokens = []
        self.md.toc = ""


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
        self.state = _State(BlockContext(), {})
        self.md.reset()
        self.sentinel_html = self.md.convert(SENTINEL_SOURCE)
        # A plain instance renders the footnotes div with the document's state injected.
        self.plain = markdown.Markdown(
            extensions=[*EXTENSIONS, DraftpressDialect()],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        self._plain_footnotes: FootnoteExtension = _extension(self.plain, FootnoteExtension)
        self._plain_abbr_tree = next(
            p for p in self.plain.treeprocessors if isinstance(p, AbbrTreeprocessor)
        )

    def _record_footnote(self, footnote_id: str, text: str) -> None:
        """Record a footnote definition instead of storing it."""
        self.state.footnote_definitions.append((footnote_id, text))

    def _prepare(self, context: BlockContext, abbreviations: dict[str, str]) -> _State:
        """Reset the instance and point its document-wide state at the recorders."""
        self.md.reset()
        state = self.state = _State(context, abbreviations)
        self.md.references = _RecordingReferences(
            context.references, state.reference_lookups, state.reference_definitions
        )
        self._abbr_block.abbrs = _RecordingAbbreviations(state.abbreviation_definitions)
        self._abbr_tree.abbrs = abbreviations
        return state

    def render(
        self, text: str, context: BlockContext, abbreviations: dict[str, str], last: bool
    ) -> BlockRender | None:
        """Render a block (ending in a blank line unless `last`); None when it swallows on."""
        state = self._prepare(context, abbreviations)
        source = text.rstrip("\n") + "\n\n" if last else text
        output = self.md.convert(f"{source}{SENTINEL_SOURCE}")
        open_at_end = False
        if output.endswith(self.sentinel_html):
            template = output[: -len(self.sentinel_html)]
        elif last:  # an unclosed construct at the end: render the block as it stands
            state = self._prepare(context, abbreviations)
            template = self.md.convert(text) + "\n"
            open_at_end = True
        else:
            return None
        return BlockRender(
            template=template,
            reference_lookups=state.reference_lookups,
            abbreviations=abbreviations,
            footnote_lookups=state.footnote_lookups,
            reference_definitions=state.reference_definitions,
            abbreviation_definitions=state.abbreviation_definitions,
            footnote_definitions=state.footnote_definitions,
            footnote_refs=[(ref[0], ref[2]) for ref in state.footnote_refs],
            heading_slugs=state.heading_slugs,
            explicit_ids=state.explicit_ids,
            toc_tokens=state.toc_tokens,
            has_toc=TOC_PLACEHOLDER_HTML in template,
            open_at_end=open_at_end,
        )

    def render_footnotes(
        self,
        footnotes: OrderedDict[str, str],
        reference_counts: dict[str, int],
        context: BlockContext,
        lookups: dict,
    ) -> str | None:
        """Return the footnotes div as a full render ends with it; None if it needs one."""
        md = self.plain
        md.reset()
        md.references = _RecordingReferences(context.references, lookups, [])
        self._plain_abbr_tree.abbrs = dict(context.abbreviations)
        self._plain_footnotes.footnotes = OrderedDict(footnotes)
        separator = self._plain_footnotes.get_separator()
        self._plain_footnotes.found_refs = {
            f"fnref{separator}{footnote_id}": count
            for footnote_id, count in reference_counts.items()
        }
        output = md.convert(SENTINEL_SOURCE)
        if md.toc_tokens or ' id="' in output.replace(' id="fn', ""):
            return None  # headings or explicit ids in a footnote take part in the toc
        start = output.find(self.sentinel_html)
        return output[start + len(self.sentinel_html) :].lstrip("\n")

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
