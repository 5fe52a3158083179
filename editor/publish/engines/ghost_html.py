"""Our rendered post as the HTML Ghost's editor keeps (`?source=html`), measured on Ghost 5.130.

Ghost turns posted HTML into its own cards; what it would lose goes in an HTML card
(`<!--kg-card-begin: html-->` … `<!--kg-card-end: html-->`), which Ghost keeps as written:

- local images get their uploaded address (a `<figure>` with `<figcaption>` becomes Ghost's
  image card with the caption; an image inside a paragraph becomes an image card of its own);
- an attributed quote (`<figure><blockquote>…<figcaption>`) goes in an HTML card (Ghost would
  make it an embed card);
- highlighted code becomes `<pre><code class="language-…">`, Ghost's code card (the language
  from the post's fence, when every highlighted block came from a fence that names one);
- a raw island (WordPress block markup) goes in an HTML card: Ghost keeps its HTML but drops
  the `<!-- wp:… -->` comments, so the blocks do not come back as blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.publish.code_languages import fence_languages
from editor.publish.html_fragments import (
    Element,
    escape_attribute_value,
    escape_text,
    parse_fragment,
    text_content,
)
from editor.render.raw_islands import island_spans

CARD_BEGIN = "<!--kg-card-begin: html-->"
CARD_END = "<!--kg-card-end: html-->"


@dataclass(frozen=True)
class _Edit:
    """A replacement of html[start:end]."""

    start: int
    end: int
    text: str


def html_card(html: str) -> str:
    """Return HTML wrapped as a Ghost HTML card (kept as written)."""
    return f"{CARD_BEGIN}\n{html.strip()}\n{CARD_END}"


def _island_ranges(html: str, body: str) -> list[tuple[int, int]]:
    """Return where each raw island of the body sits in the HTML (the renderer keeps it whole)."""
    ranges = []
    cursor = 0
    for start, end in island_spans(body):
        found = html.find(body[start:end], cursor)
        if found >= 0:
            ranges.append((found, found + end - start))
            cursor = found + end - start
    return ranges


def _image_edits(root: Element, image_urls: dict[str, str]) -> list[_Edit]:
    """Return the start tags of images whose src was uploaded, with the blog's address."""
    edits = []
    for element in root.iter():
        src = element.get("src")
        if element.tag != "img" or src is None or src not in image_urls:
            continue
        attrs = [(k, image_urls[src] if k == "src" else v) for k, v in element.attrs]
        text = "".join(f' {k}="{escape_attribute_value(v or "")}"' for k, v in attrs)
        edits.append(_Edit(element.start, element.tag_end, f"<img{text}>"))
    return edits


def _with_edits(html: str, start: int, end: int, edits: list[_Edit]) -> str:
    """Return html[start:end] with the edits inside that range applied."""
    pieces = []
    cursor = start
    for edit in edits:
        if start <= edit.start and edit.end <= end:
            pieces.append(html[cursor : edit.start])
            pieces.append(edit.text)
            cursor = edit.end
    pieces.append(html[cursor:end])
    return "".join(pieces)


def _is_attributed_quote(element: Element) -> bool:
    return element.tag == "figure" and any(c.tag == "blockquote" for c in element.elements())


def _code_card(element: Element, language: str) -> str:
    """Return highlighted code (`<div class="codehilite"><pre>…`) as Ghost's code card."""
    code = next((e for e in element.iter() if e.tag == "code"), None)
    text = text_content(code if code is not None else element)
    attribute = f' class="language-{escape_attribute_value(language)}"' if language else ""
    return f"<pre><code{attribute}>{escape_text(text)}</code></pre>"


def ghost_html(html: str, body: str, image_urls: dict[str, str]) -> str:
    """Return rendered HTML as Ghost should receive it (see the module); `body` is its Markdown."""
    root = parse_fragment(html)
    edits = sorted(_image_edits(root, image_urls), key=lambda edit: edit.start)
    islands = _island_ranges(html, body)
    codes = [e for e in root.elements() if e.tag == "div" and "codehilite" in e.classes]
    languages = fence_languages(body)
    if len(languages) != len(codes):
        languages = [""] * len(codes)
    language_of = {id(code): language for code, language in zip(codes, languages, strict=True)}
    pieces = []
    cursor = 0
    for node in root.children:
        if node.end <= cursor:
            continue  # inside an island already written
        island = next(((a, b) for a, b in islands if a <= node.start < b), None)
        if island is not None:
            pieces.append(html[cursor : island[0]])
            pieces.append(html_card(_with_edits(html, island[0], island[1], edits)))
            cursor = island[1]
            continue
        start = max(node.start, cursor)
        if isinstance(node, Element) and id(node) in language_of:
            pieces.append(_code_card(node, language_of[id(node)]))
        elif isinstance(node, Element) and _is_attributed_quote(node):
            pieces.append(html_card(_with_edits(html, start, node.end, edits)))
        else:
            pieces.append(_with_edits(html, start, node.end, edits))
        cursor = node.end
    pieces.append(html[cursor:])
    return "".join(pieces)
