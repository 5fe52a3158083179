"""What a block render records instead of deciding document-wide things (no Qt).

Python-Markdown processors for the instrumented block renderer (`block_markdown`): reference
and abbreviation definitions and lookups are recorded, footnote references and heading ids
become placeholders (see `token`), and the sentinel that follows each block tells where a block
ends and whether it left something open. Several blocks may be rendered in one call; every
record says which block it belongs to.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import (
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
)
from markdown.extensions.toc import unescape as toc_unescape
from markdown.inlinepatterns import InlineProcessor
from markdown.serializers import _escape_attrib_html  # type: ignore[attr-defined]
from markdown.treeprocessors import Treeprocessor

# `_escape_attrib_html` is private, so types-Markdown leaves it out (hence the ignore above);
# tests/render/test_markdown_internals.py checks it and the other internals used here.

SENTINEL = "ZQXDRAFTPRESSBLOCKENDZQX"
# What follows each block: a raw HTML block of our own block-level tag with Markdown inside,
# which comes out rendered (not verbatim) only if the HTML parser is in a clean state (not inside
# an unfinished tag, which would take it in up to its first `>`, nor inside raw HTML, which keeps
# it verbatim), then a paragraph that closes whatever could still be open (a tag, an attribute
# value, a comment, a processing instruction, CDATA). If anything is open, the two do not come
# out as they do alone, and the block must be rendered together with what follows it.
SENTINEL_TAG = SENTINEL.lower()
SENTINEL_SOURCE = (
    f'<{SENTINEL_TAG} markdown="1">{SENTINEL}</{SENTINEL_TAG}>\n\n'
    f"{SENTINEL} --> ?> ]]> > \" > ' >\n\n"
)
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
    escaped: str = _escape_attrib_html(value)
    return escaped


# One heading's table-of-contents entry, as Python-Markdown's toc extension records it.
TocEntry = TypedDict(
    "TocEntry", {"level": int, "id": str, "name": str, "html": str, "data-toc-label": str}
)
Reference = tuple[str, str]  # a reference definition's (url, title)


class RecorderOwner(Protocol):
    """What the recording processors need of the instrumented renderer holding them."""

    md: markdown.Markdown
    footnotes: FootnoteExtension
    state: RenderState


@dataclass
class BlockContext:
    """The document-wide definitions a block is rendered against."""

    references: dict[str, Reference] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    footnote_ids: set[str] | dict[str, str] = field(default_factory=set)


class RecordingReferences(dict[str, Reference]):
    """`md.references` that reads the document's definitions and records lookups and writes."""

    def __init__(
        self,
        final: dict[str, Reference],
        lookups: dict[str, Reference | None],
        define: Callable[[str, Reference], None],
    ) -> None:
        super().__init__()
        self.final, self.lookups, self.define = final, lookups, define

    def __contains__(self, label: object) -> bool:
        if not isinstance(label, str):
            return False
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


class RecordingAbbreviations(dict[str, str]):
    """The abbreviation block processor's dict: records definitions and removals in order."""

    def __init__(self, state: RenderState) -> None:
        super().__init__()
        self.state = state

    def __setitem__(self, term: str, title: str) -> None:
        self.state.abbreviation_definitions[self.state.block].append((term, title))

    def pop(self, term: str, default: Any = None) -> Any:
        self.state.abbreviation_definitions[self.state.block].append((term, None))
        return default


class RenderState:
    """What one render of one or more blocks (separated by sentinels) records, per block."""

    def __init__(self, context: BlockContext, abbreviations: dict[str, str], count: int) -> None:
        self.context = context
        self.abbreviations = abbreviations
        self.block = 0  # the block the block parser is in
        self.count = count
        self.reference_lookups: dict[str, Reference | None] = {}
        self.footnote_lookups: dict[str, bool] = {}
        self.reference_definitions: list[list[tuple[str, Reference]]] = [[] for _ in range(count)]
        # (term, title), the title None where the block removes the abbreviation
        self.abbreviation_definitions: list[list[tuple[str, str | None]]] = [
            [] for _ in range(count)
        ]
        self.footnote_definitions: list[list[tuple[str, str]]] = [[] for _ in range(count)]
        self.pending_refs: list[tuple[str, etree.Element]] = []  # (id, sup element)
        # (footnote id, generation) per footnote reference
        self.footnote_refs: list[list[tuple[str, int]]] = [[] for _ in range(count)]
        self.depths: dict[int, int] = {}
        self.top_blocks: dict[int, int] = {}  # id(top-level element) -> block
        self.heading_slugs: list[list[str]] = [[] for _ in range(count)]
        self.explicit_ids: list[list[str]] = [[] for _ in range(count)]
        self.toc_tokens: list[list[TocEntry]] = [[] for _ in range(count)]
        # sentinel paragraphs at the top level: one per block unless a block leaves an element
        # open that takes the sentinels in (`<div markdown="1">` closed by a later block)
        self.top_sentinels = 0

    def define_reference(self, label: str, value: Reference) -> None:
        """Record a reference definition in the current block."""
        self.reference_definitions[self.block].append((label, value))


def _is_sentinel(element: etree.Element) -> bool:
    """Tell whether a top-level element is the sentinel paragraph after a block."""
    return element.tag == "p" and (element.text or "").startswith(SENTINEL)


class CountBlocks(BlockProcessor):
    """Counts the sentinels the block parser passes, so definitions know their block."""

    def __init__(self, parser: BlockParser, owner: RecorderOwner) -> None:
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


class PlaceholderFootnotes(InlineProcessor):
    """Footnote references with placeholder ids and numbers, recorded in order."""

    def __init__(self, pattern: str, owner: RecorderOwner) -> None:
        super().__init__(pattern)
        self.owner = owner

    # InlineProcessor's own stub overrides Pattern.handleMatch incompatibly (and ignores it).
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Markdown's API)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
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
        state.pending_refs.append((footnote_id, sup))
        return sup, m.start(0), m.end(0)


class RecordDepths(Treeprocessor):
    """Before the inline pass: the depth of every element and the block of each top one."""

    def __init__(self, owner: RecorderOwner) -> None:
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
                state.top_sentinels += 1
        depths = state.depths
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            depths[id(element)] = depth
            stack.extend((child, depth + 1) for child in element)


class RecordGenerations(Treeprocessor):
    """After the inline pass: each footnote reference's block, order and generation."""

    def __init__(self, owner: RecorderOwner) -> None:
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


class PlaceholderToc(TocTreeprocessor):
    """The toc pass with placeholder heading ids and a placeholder table of contents."""

    def __init__(self, md: markdown.Markdown, config: dict[str, Any], owner: RecorderOwner) -> None:
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
        # What the toc extension leaves on the instance (not in types-Markdown's `Markdown`).
        self.md.toc_tokens = []  # type: ignore[attr-defined]
        self.md.toc = ""  # type: ignore[attr-defined]

    def _heading(self, element: etree.Element, slugs: list[str], tokens: list[TocEntry]) -> None:
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
