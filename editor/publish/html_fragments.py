"""A tolerant HTML fragment tree with source positions, and the serialisations WordPress uses.

The publisher reads the HTML that our Markdown renderer produced (well formed) plus whatever
raw HTML the writer put in a post (maybe not). `parse_fragment` builds a small tree with the
standard library's tokenizer, remembering where each top-level node starts and ends in the
source, and marks the nodes it had to repair (an end tag with no start, an element closed by an
ancestor's end tag, an element never closed) so that callers can pass such fragments through
untouched instead of guessing.

Serialisations:
- `inner_html` / `outer_html`: what a browser's `innerHTML` gives for the same DOM (the block
  editor reads rich-text attributes that way, so this is byte for byte what it stores).
- `wp_escape_attribute`: what WordPress's element serializer writes for an attribute it renders
  itself (an image's src and alt), including its quirk of leaving entity-like text alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

log = logging.getLogger(__name__)

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
RAW_TEXT_ELEMENTS = frozenset(
    ["script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"]
)
# A browser drops the newline that directly follows these start tags.
LEADING_NEWLINE_DROPPED = frozenset(["pre", "textarea", "listing"])
FOREIGN_ROOTS = frozenset(["svg", "math"])
# Elements before which a browser closes an open <p> (so `<p><div>` is never one paragraph).
CLOSES_PARAGRAPH = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
TABLE_SECTIONS = ("thead", "tbody", "tfoot")
_ASCII_WHITESPACE = " \t\n\r\f"


@dataclass
class Text:
    """A run of character data, entities already decoded."""

    data: str
    start: int = 0
    end: int = 0


@dataclass
class Comment:
    """An HTML comment (or another markup declaration, kept verbatim in `data`)."""

    data: str
    start: int = 0
    end: int = 0


@dataclass
class Element:
    """An element: lower-case tag, attributes in source order (values decoded), children."""

    tag: str
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    start: int = 0
    end: int = 0
    tag_end: int = 0  # where the start tag ends in the source
    malformed: bool = False  # the parser had to repair it
    rewritten: bool = False  # its attributes were changed after parsing

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the first attribute of that name (a valueless attribute gives "")."""
        for key, value in self.attrs:
            if key == name:
                return "" if value is None else value
        return default

    @property
    def classes(self) -> list[str]:
        """The class attribute split on whitespace."""
        return (self.get("class") or "").split()

    def elements(self) -> list[Element]:
        """The element children, skipping text and comments."""
        return [child for child in self.children if isinstance(child, Element)]

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for child in self.elements():
            yield from child.iter()

    def has_broken_descendant(self) -> bool:
        """Whether this element or any element below it needed repair while parsing."""
        return any(element.malformed for element in self.iter())


Node = Element | Text | Comment


class _TreeBuilder(HTMLParser):
    """Builds `Element` trees from tokens, repairing (and marking) misnested markup."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.root = Element("#fragment")
        self.stack = [self.root]
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        element = Element(tag, attrs, start=start)
        element.end = element.tag_end = start + len(self.get_starttag_text() or "")
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        element = Element(tag, attrs, start=start)
        element.end = element.tag_end = start + len(self.get_starttag_text() or "")
        # `<div/>` leaves a div open in HTML (it is fine inside svg or math): keep the tree
        # honest.
        foreign = tag in FOREIGN_ROOTS or any(open_.tag in FOREIGN_ROOTS for open_ in self.stack)
        element.malformed = tag not in VOID_ELEMENTS and not foreign
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self.source.find(">", start)
        end = len(self.source) if close < 0 else close + 1
        if tag in VOID_ELEMENTS:
            return  # `</br>` and friends: nothing to close
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                for unclosed in self.stack[depth + 1 :]:
                    unclosed.malformed = True
                    unclosed.end = start
                self.stack[depth].end = end
                del self.stack[depth:]
                return
        # An end tag that closes nothing: mark where it sits.
        self.stack[-1].malformed = True
        stray = Element(tag, start=start, end=end, tag_end=end, malformed=True)
        self.stack[-1].children.append(stray)

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if parent.children and isinstance(parent.children[-1], Text):
            parent.children[-1].data += data
            return
        start = self._offset()
        parent.children.append(Text(data, start, start))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        close = self.source.find("-->", start)
        end = len(self.source) if close < 0 else close + 3
        self.stack[-1].children.append(Comment(data, start, end))

    def handle_decl(self, decl: str) -> None:
        self._verbatim()

    def handle_pi(self, data: str) -> None:
        self._verbatim()

    def unknown_decl(self, data: str) -> None:
        self._verbatim()

    def _verbatim(self) -> None:
        start = self._offset()
        close = self.source.find(">", start)
        end = len(self.source) if close < 0 else close + 1
        self.stack[-1].children.append(Comment(self.source[start:end], start, end))

    def finish(self) -> Element:
        self.close()
        for unclosed in self.stack[1:]:
            unclosed.malformed = True
            unclosed.end = len(self.source)
        self.root.end = len(self.source)
        return self.root


def parse_fragment(source: str) -> Element:
    """Parse an HTML fragment into a tree under a `#fragment` root element."""
    builder = _TreeBuilder(source)
    builder.feed(source)
    root = builder.finish()
    # Decoded text is shorter than its source: a top-level text run ends where the next node
    # starts (inside elements only the elements' own spans are used).
    children = root.children
    for index, child in enumerate(children):
        if isinstance(child, Text):
            child.end = children[index + 1].start if index + 1 < len(children) else root.end
    return root


def would_be_restructured(element: Element, parent: Element | None = None) -> bool:
    """Whether a browser would build a different tree than the markup says: a block element
    inside `<p>`, `<tr>` straight in `<table>` (an implied tbody), a link inside a link, table
    parts outside a table. (The block editor re-reads HTML through a browser's parser.)"""
    tag = element.tag
    parent_tag = parent.tag if parent is not None else ""
    if (
        (tag == "p" and any(c.tag in CLOSES_PARAGRAPH for c in element.elements()))
        or (tag == "table" and any(c.tag == "tr" for c in element.elements()))
        or (tag == "a" and any(inner.tag == "a" for inner in list(element.iter())[1:]))
        or (tag == "tr" and parent_tag not in (*TABLE_SECTIONS, "table"))
        or (tag in ("td", "th") and parent_tag != "tr")
        or (tag in (*TABLE_SECTIONS, "caption", "colgroup") and parent_tag != "table")
    ):
        return True
    return any(would_be_restructured(child, element) for child in element.elements())


def escape_text(data: str) -> str:
    """Escape character data the way a browser's innerHTML does."""
    return (
        data.replace("&", "&amp;")
        .replace("\u00a0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def escape_attribute_value(value: str) -> str:
    """Escape an attribute value the way innerHTML does (current HTML spec, as jsdom does)."""
    return (
        value.replace("&", "&amp;")
        .replace("\u00a0", "&nbsp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


_WP_LONE_AMPERSAND = re.compile(r"&(?!([a-z0-9]+|#[0-9]+|#x[a-f0-9]+);)", re.IGNORECASE)


def wp_escape_attribute(value: str) -> str:
    """Escape an attribute as WordPress's element serializer does (`escapeAttribute`)."""
    return _WP_LONE_AMPERSAND.sub("&amp;", value).replace('"', "&quot;").replace(">", "&gt;")


def start_tag(element: Element) -> str:
    """Serialise an element's start tag like innerHTML."""
    attrs = "".join(
        f' {name}="{escape_attribute_value(value or "")}"' for name, value in element.attrs
    )
    return f"<{element.tag}{attrs}>"


def outer_html(node: Node, raw_text: bool = False) -> str:
    """Serialise a node like a browser's outerHTML."""
    if isinstance(node, Text):
        return node.data if raw_text else escape_text(node.data)
    if isinstance(node, Comment):
        return f"<!--{node.data}-->"
    if node.tag in VOID_ELEMENTS:
        return start_tag(node)
    return f"{start_tag(node)}{inner_html(node)}</{node.tag}>"


def inner_html(element: Element) -> str:
    """Serialise an element's children like a browser's innerHTML (of the tree a browser
    builds: without the newline right after `<pre>`)."""
    raw = element.tag in RAW_TEXT_ELEMENTS
    children = element.children
    first = children[0] if children else None
    dropped = element.tag in LEADING_NEWLINE_DROPPED
    if dropped and isinstance(first, Text) and first.data.startswith("\n"):
        children = [Text(first.data[1:]), *children[1:]]
    return "".join(outer_html(child, raw) for child in children)


def nodes_html(nodes: list[Node]) -> str:
    """Serialise a list of sibling nodes like innerHTML."""
    return "".join(outer_html(node) for node in nodes)


def text_content(node: Node) -> str:
    """The concatenated text of a node (comments excluded), like DOM textContent."""
    if isinstance(node, Text):
        return node.data
    if isinstance(node, Comment):
        return ""
    return "".join(text_content(child) for child in node.children)


def is_blank(node: Node) -> bool:
    """Whether a node is whitespace-only text."""
    return isinstance(node, Text) and not node.data.strip(_ASCII_WHITESPACE)


def trim_nodes(nodes: list[Node]) -> list[Node]:
    """Drop blank text at both ends and strip ASCII whitespace from the edge text runs.

    Non-breaking spaces are content and stay.
    """
    nodes = list(nodes)
    while nodes and is_blank(nodes[0]):
        nodes.pop(0)
    while nodes and is_blank(nodes[-1]):
        nodes.pop()
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].data.lstrip(_ASCII_WHITESPACE), nodes[0].start, nodes[0].end)
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].data.rstrip(_ASCII_WHITESPACE), nodes[-1].start, nodes[-1].end)
    return nodes


def source_of(source: str, node: Node) -> str:
    """The exact source text a parsed node came from."""
    return source[node.start : node.end]


def add_classes(element: Element, classes: list[str]) -> None:
    """Append classes to an element's class attribute (added last if missing); mark it."""
    present = element.classes
    missing = [name for name in classes if name not in present]
    if not missing:
        return
    for index, (name, value) in enumerate(element.attrs):
        if name == "class":
            element.attrs[index] = ("class", " ".join([*(value or "").split(), *missing]))
            break
    else:
        element.attrs.append(("class", " ".join(missing)))
    element.rewritten = True


def splice_start_tags(source: str, node: Element, offset: int = 0) -> str:
    """Return `source` (the text parsed, starting at `offset` of it) with the start tag of every
    element under `node` that was `rewritten` re-serialised, and all else left as written."""
    pieces: list[str] = []
    cursor = offset
    for element in node.iter():
        if element.rewritten and element.start >= cursor:
            pieces.append(source[cursor - offset : element.start - offset])
            pieces.append(start_tag(element))
            cursor = element.tag_end
    pieces.append(source[cursor - offset :])
    return "".join(pieces)
