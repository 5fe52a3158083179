"""Each construct of our rendered HTML as the WordPress 6.1 core block that saves the same HTML.

Used by `editor.publish.wordpress_blocks.html_to_blocks`, whose docstring gives the decisions.
A converter raises `Unsupported` when an element has no exact block form (an attribute the
block cannot hold, content it cannot keep); the caller then keeps the element as core/html.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from editor.publish.block_markup import FREEFORM, Block
from editor.publish.html_fragments import (
    CLOSES_PARAGRAPH,
    TABLE_SECTIONS,
    Comment,
    Element,
    Node,
    Text,
    escape_text,
    is_blank,
    nodes_html,
    outer_html,
    splice_start_tags,
    text_content,
    trim_nodes,
    would_be_restructured,
    wp_escape_attribute,
)

log = logging.getLogger(__name__)

DEFAULT_SIZE_SLUG = "full"
ALIGNMENTS = {
    "align-left": "left",
    "align-right": "right",
    "align-center": "center",
    "align-wide": "wide",
    "align-full": "full",
}
HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_TEXT_ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")
_ATTRIBUTION_DASH = re.compile(r"^[\u2014\u2015\u2013]\s*")
_ISOLATED_URL = re.compile(r"^(\s*https?:)//([^\s<>\"]+\s*)$", re.MULTILINE)


@dataclass(frozen=True)
class MediaRef:
    """An image uploaded to the blog: its media id and URL.

    `size_slug` names the size that URL is ("full": the upload's `source_url`).
    """

    id: int
    url: str
    size_slug: str = DEFAULT_SIZE_SLUG


class Unsupported(Exception):
    """The element has no exact block form; it is kept as a core/html block instead."""


def _meaningful(nodes: list[Node]) -> list[Node]:
    """Children without blank text (comments are kept: they make a construct unsupported)."""
    return [node for node in nodes if not is_blank(node)]


def _only_attrs(element: Element, allowed: set[str]) -> None:
    """Raise Unsupported if the element has an attribute outside `allowed`."""
    extra = [name for name, _ in element.attrs if name not in allowed]
    if extra:
        raise Unsupported(f"<{element.tag}> with {', '.join(extra)}")


_LANGUAGE_CLASS = re.compile(r"language-[\w+#-]+")


def _code_language_class(code: Element) -> str | None:
    """Return `<code class="language-x">`'s class when it is the code's only attribute."""
    if [name for name, _ in code.attrs] != ["class"]:
        return None
    value = (code.get("class") or "").strip()
    return value if _LANGUAGE_CLASS.fullmatch(value) else None


def _int_attr(element: Element, name: str) -> int | None:
    """A whole-number attribute (like width), None if absent; Unsupported if not a number."""
    value = element.get(name)
    if value is None:
        return None
    if not value.strip().isdigit():
        raise Unsupported(f"{name}={value!r}")
    return int(value)


def _rich_text(nodes: list[Node]) -> str:
    """Inline content as the block editor reads it back (innerHTML), edges trimmed."""
    nodes = trim_nodes(nodes)
    for node in nodes:
        if isinstance(node, Element) and node.tag in CLOSES_PARAGRAPH | {"li", "figcaption"}:
            raise Unsupported(f"<{node.tag}> inside inline content")
    return nodes_html(nodes)


def _caption(figcaption: Element) -> str:
    """A figcaption's content: its paragraphs' inline HTML joined by `<br>`."""
    _only_attrs(figcaption, set())
    children = _meaningful(figcaption.children)
    if children and all(isinstance(c, Element) and c.tag == "p" for c in children):
        paragraphs = [c for c in children if isinstance(c, Element)]
        for paragraph in paragraphs:
            _only_attrs(paragraph, set())
        return "<br>".join(_rich_text(p.children) for p in paragraphs)
    return _rich_text(figcaption.children)


def _id_and_class(element: Element) -> tuple[dict[str, object], str]:
    """An element's class (-> className) and id (-> anchor): comment attrs and HTML attrs."""
    _only_attrs(element, {"class", "id"})
    attrs: dict[str, object] = {}
    html = ""
    if element.classes:
        attrs["className"] = " ".join(element.classes)
        html += f' class="{wp_escape_attribute(str(attrs["className"]))}"'
    if element.get("id"):
        html += f' id="{wp_escape_attribute(element.get("id") or "")}"'
    return attrs, html


class Converter:
    """Converts one parsed post body; `refs` maps id(img element) to its upload."""

    def __init__(self, source: str, refs: dict[int, MediaRef]) -> None:
        self.source = source
        self.refs = refs

    # -- dispatch ----------------------------------------------------------------------------

    def top_level(self, root: Element) -> list[Block]:
        """The post's blocks; broken fragments are kept as written (Classic blocks)."""
        blocks: list[Block] = []
        for node in root.children:
            if isinstance(node, Element) and (
                node.has_broken_descendant() or would_be_restructured(node)
            ):
                log.info("Keeping malformed HTML as a Classic block: %.60r", self._source(node))
                text = splice_start_tags(self._source(node), node, node.start).strip()
                blocks.append(Block(FREEFORM, parts=[text]))
            else:
                blocks.extend(self.blocks([node]))
        return blocks

    def blocks(self, nodes: list[Node]) -> list[Block]:
        """Blocks for sibling nodes: elements converted, comments and blank text dropped."""
        blocks: list[Block] = []
        for node in nodes:
            if is_blank(node):
                continue
            if isinstance(node, Comment):
                blocks.extend(self._comment(node))
            elif isinstance(node, Text):
                blocks.append(Block("core/html", parts=[escape_text(node.data.strip())]))
            else:
                try:
                    blocks.append(self.block(node))
                except Unsupported as reason:
                    log.debug("Keeping <%s> as HTML: %s", node.tag, reason)
                    blocks.append(Block("core/html", parts=[outer_html(node).strip()]))
        return blocks

    def block(self, element: Element) -> Block:
        """The block for one element; Unsupported if it has no exact block form."""
        tag = element.tag
        if tag == "p":
            return self._paragraph(element)
        if tag in HEADINGS:
            return self._heading(element)
        if tag in ("ul", "ol"):
            return self._list(element)
        if tag == "blockquote":
            return self._quote(element, None)
        if tag == "figure":
            return self._figure(element)
        if tag == "div" and element.classes == ["codehilite"] and len(element.attrs) == 1:
            pres = _meaningful(element.children)
            if len(pres) == 1 and isinstance(pres[0], Element) and pres[0].tag == "pre":
                return self._code(pres[0])
        if tag == "pre":
            return self._code(element)
        if tag == "table":
            return self._table(element, None)
        if tag == "hr":
            _only_attrs(element, set())
            return Block(
                "core/separator",
                parts=['<hr class="wp-block-separator has-alpha-channel-opacity"/>'],
            )
        raise Unsupported("no block for this element")

    def _source(self, node: Node) -> str:
        return self.source[node.start : node.end]

    @staticmethod
    def _comment(node: Comment) -> list[Block]:
        if node.data in ("more", "nextpage"):
            return [Block(f"core/{node.data}", parts=[f"<!--{node.data}-->"])]
        log.debug("Dropping an HTML comment: %.40r", node.data)
        return []

    # -- text blocks -------------------------------------------------------------------------

    def _paragraph(self, element: Element) -> Block:
        children = _meaningful(element.children)
        if not element.attrs and len(children) == 1 and isinstance(children[0], Element):
            first = children[0]
            only: Node = first
            link = None
            if first.tag == "a" and len(_meaningful(first.children)) == 1:
                only, link = _meaningful(first.children)[0], first
            if isinstance(only, Element) and only.tag == "img":
                try:  # an image alone in its paragraph is an image block if it can be one
                    return self._image(only, link=link)
                except Unsupported as reason:
                    log.debug("Keeping a lone image inline: %s", reason)
        attrs, html = _id_and_class(element)
        return Block("core/paragraph", attrs, [f"<p{html}>{_rich_text(element.children)}</p>"])

    def _heading(self, element: Element) -> Block:
        level = int(element.tag[1])
        custom, html = _id_and_class(element)
        attrs: dict[str, object] = {} if level == 2 else {"level": level}
        attrs.update(custom)
        content = _rich_text(element.children)
        return Block("core/heading", attrs, [f"<{element.tag}{html}>{content}</{element.tag}>"])

    def _list(self, element: Element) -> Block:
        _only_attrs(element, {"start"} if element.tag == "ol" else set())
        attrs: dict[str, object] = {}
        opening = f"<{element.tag}>"
        if element.tag == "ol":
            attrs["ordered"] = True
            start = _int_attr(element, "start")
            if start is not None:
                attrs["start"] = start
                opening = f'<ol start="{start}">'
        items: list[str | Block] = []
        for child in _meaningful(element.children):
            if not isinstance(child, Element) or child.tag != "li":
                raise Unsupported("a list holding something other than items")
            items.append(self._list_item(child))
        return Block("core/list", attrs, [opening, *items, f"</{element.tag}>"])

    def _list_item(self, item: Element) -> Block:
        _only_attrs(item, set())
        content: list[Node] = []
        nested: list[Block] = []
        for child in item.children:
            if isinstance(child, Element) and child.tag in ("ul", "ol"):
                nested.append(self._list(child))
            elif nested and not is_blank(child):
                raise Unsupported("text after a nested list")
            elif not nested:
                content.append(child)
        paragraphs = [c for c in _meaningful(content) if isinstance(c, Element) and c.tag == "p"]
        if paragraphs and len(paragraphs) == len(_meaningful(content)):  # a loose list
            for paragraph in paragraphs:
                _only_attrs(paragraph, set())
            text = "<br><br>".join(_rich_text(p.children) for p in paragraphs)
        else:
            text = _rich_text(content)
        return Block("core/list-item", parts=[f"<li>{text}", *nested, "</li>"])

    def _quote(self, blockquote: Element, figcaption: Element | None) -> Block:
        _only_attrs(blockquote, set())
        inner = self.blocks(blockquote.children)
        parts: list[str | Block] = ['<blockquote class="wp-block-quote">', *inner]
        if figcaption is not None:
            citation = _ATTRIBUTION_DASH.sub("", _caption(figcaption))
            if citation:
                parts.append(f"<cite>{citation}</cite>")
        parts.append("</blockquote>")
        return Block("core/quote", parts=parts)

    def _code(self, pre: Element) -> Block:
        _only_attrs(pre, set())
        children = _meaningful(pre.children)
        # Pygments puts an empty <span></span> before the <code>.
        while children and isinstance(children[0], Element) and children[0].tag == "span":
            if children[0].attrs or children[0].children:
                break
            children.pop(0)
        if len(children) != 1 or not isinstance(children[0], Element):
            raise Unsupported("<pre> without a single <code>")
        code = children[0]
        language = _code_language_class(code)
        if code.tag != "code" or (code.attrs and language is None):
            raise Unsupported("<pre> without a plain <code>")
        text = text_content(code)
        text = text[:-1] if text.endswith("\n") else text
        # What the code block's save() escapes on top of innerHTML: `[` (shortcodes) and the
        # first line that is a lone URL (auto-embeds).
        content = escape_text(text).replace("[", "&#91;")
        content = _ISOLATED_URL.sub(r"\1&#47;&#47;\2", content, count=1)
        if language:
            # The fence's language as the block's own className, the one form WordPress's block
            # validator accepts (a class or lang on <code> makes the block invalid): measured
            # in tests/publish/test_code_language_blocks.py.
            html = f'<pre class="wp-block-code {language}"><code>{content}</code></pre>'
            return Block("core/code", attrs={"className": language}, parts=[html])
        html = f'<pre class="wp-block-code"><code>{content}</code></pre>'
        return Block("core/code", parts=[html])

    # -- figures, images and tables -----------------------------------------------------------

    def _figure(self, figure: Element) -> Block:
        _only_attrs(figure, {"class"})
        children = _meaningful(figure.children)
        figcaption = None
        last = children[-1] if children else None
        if isinstance(last, Element) and last.tag == "figcaption":
            figcaption = last
            children.pop()
        if len(children) != 1 or not isinstance(children[0], Element):
            raise Unsupported("a figure that is not one image, quote or table")
        body = children[0]
        align = [ALIGNMENTS.get(name) for name in figure.classes]
        if None in align or len(align) > 1 or (align and body.tag not in ("img", "p", "a")):
            raise Unsupported(f"figure class {figure.get('class')!r}")
        if body.tag == "blockquote":
            return self._quote(body, figcaption)
        if body.tag == "table":
            return self._table(body, figcaption)
        link = None
        if body.tag == "p":
            _only_attrs(body, set())
            inner = _meaningful(body.children)
            if len(inner) != 1 or not isinstance(inner[0], Element):
                raise Unsupported("a figure paragraph with more than an image")
            body = inner[0]
        if body.tag == "a":
            inner = _meaningful(body.children)
            if len(inner) != 1 or not isinstance(inner[0], Element):
                raise Unsupported("a figure link with more than an image")
            link, body = body, inner[0]
        if body.tag != "img":
            raise Unsupported(f"a figure of <{body.tag}>")
        align_to = align[0] if align else None
        return self._image(body, link=link, figcaption=figcaption, align=align_to)

    def _image(
        self,
        img: Element,
        link: Element | None = None,
        figcaption: Element | None = None,
        align: str | None = None,
    ) -> Block:
        _only_attrs(img, {"src", "alt", "width", "height", "title", "class"})
        ref = self.refs.get(id(img))
        own_class = f"wp-image-{ref.id}" if ref else None
        if [name for name in img.classes if name != own_class]:
            raise Unsupported("an image with classes of its own")
        width, height = _int_attr(img, "width"), _int_attr(img, "height")
        size = ref.size_slug if ref else DEFAULT_SIZE_SLUG
        attrs: dict[str, object] = {}
        if align:
            attrs["align"] = align
        if ref:
            attrs["id"] = ref.id
        if width is not None:
            attrs["width"] = width
        if height is not None:
            attrs["height"] = height
        attrs["sizeSlug"] = size
        attrs["linkDestination"] = "custom" if link is not None else "none"
        figure_class = " ".join(
            ["wp-block-image"]
            + ([f"align{align}"] if align else [])
            + [f"size-{size}"]
            + (["is-resized"] if width or height else [])
        )
        html = f'<img src="{wp_escape_attribute(img.get("src") or "")}"'
        html += f' alt="{wp_escape_attribute(img.get("alt") or "")}"'
        html += f' class="{own_class}"' if own_class else ""
        html += f' width="{width}"' if width is not None else ""
        html += f' height="{height}"' if height is not None else ""
        title = img.get("title")
        html += f' title="{wp_escape_attribute(title)}"' if title else ""
        html += "/>"
        if link is not None:
            _only_attrs(link, {"href"})
            html = f'<a href="{wp_escape_attribute(link.get("href") or "")}">{html}</a>'
        caption = _caption(figcaption) if figcaption is not None else ""
        if caption:
            html += f'<figcaption class="wp-element-caption">{caption}</figcaption>'
        return Block("core/image", attrs, [f'<figure class="{figure_class}">{html}</figure>'])

    def _table(self, table: Element, figcaption: Element | None) -> Block:
        _only_attrs(table, set())
        html = '<figure class="wp-block-table"><table class="has-fixed-layout">'
        for section in _meaningful(table.children):
            if not isinstance(section, Element) or section.tag not in TABLE_SECTIONS:
                raise Unsupported("a table part other than thead, tbody or tfoot")
            _only_attrs(section, set())
            html += f"<{section.tag}>"
            for row in _meaningful(section.children):
                if not isinstance(row, Element) or row.tag != "tr" or row.attrs:
                    raise Unsupported("a table row with attributes")
                html += "<tr>" + "".join(self._cell(cell) for cell in _meaningful(row.children))
                html += "</tr>"
            html += f"</{section.tag}>"
        html += "</table>"
        caption = _caption(figcaption) if figcaption is not None else ""
        if caption:
            html += f'<figcaption class="wp-element-caption">{caption}</figcaption>'
        return Block("core/table", {"hasFixedLayout": True}, [html + "</figure>"])

    @staticmethod
    def _cell(cell: Node) -> str:
        if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
            raise Unsupported("a table row holding something other than cells")
        _only_attrs(cell, {"style", "align"})
        align = cell.get("align")
        style = cell.get("style")
        if style is not None:
            match = _TEXT_ALIGN.match(style)
            if not match:
                raise Unsupported(f"a cell style {style!r}")
            align = match.group(1)
        if align not in (None, "left", "center", "right"):
            raise Unsupported(f"a cell aligned {align!r}")
        attrs = f' class="has-text-align-{align}" data-align="{align}"' if align else ""
        return f"<{cell.tag}{attrs}>{_rich_text(cell.children)}</{cell.tag}>"
