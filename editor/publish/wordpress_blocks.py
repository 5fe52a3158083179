"""Our rendered post HTML -> WordPress content: core block markup, or plain HTML5 for classic.

`html_to_blocks` writes each construct exactly as WordPress 6.1's block editor serialises it
(the WordPress that Debian ships and our integration server runs), checked byte for byte by
tests/publish/block_validator. Where 6.1 and current WordPress differ, it writes the form that
6.1 reads back unchanged and current WordPress still accepts without an "invalid block" warning
(current WordPress migrates it silently):
- heading and list: 6.1's plain `<h2>` / `<ul>`. Today's `class="wp-block-heading"` /
  `class="wp-block-list"` passes 6.1's validation only by becoming a custom "Additional CSS
  class" (a built-in fix, not a deprecation), which 6.1 then writes into the block comment on
  the next save and shows on every heading.
- image width: 6.1's `"width":300` with `width="300"` on the img (today's `"width":"300px"`
  with a style attribute is invalid in 6.1); table: `{"hasFixedLayout":true}`, valid in both.

Mapping decisions (the tests hold the exact markup):
- Heading ids (from the table of contents) become the heading's anchor, an `id` on the heading,
  so links to them keep working; an attr-list class on a paragraph or heading becomes className.
- A captioned image is a core/image with id (when uploaded), sizeSlug and linkDestination,
  `wp-image-N` on the img, `wp-element-caption` on the figcaption, our `align-left` & co. as
  WordPress's `align` (`alignleft` & co.) and the width. A paragraph holding only an image (or
  a linked image) is a core/image without caption.
- An attributed quote is a core/quote with inner blocks (paragraphs, lists…) and a `<cite>`
  without our leading "— ": that dash is our dialect's attribution marker, and themes style
  cite themselves. A plain blockquote is a core/quote without cite.
- Code loses Pygments' spans (WordPress has no such CSS) and keeps its text, escaped as the
  code block escapes it.
- Footnotes, the table of contents, definition lists, raw HTML and anything else without an
  exact block form become core/html blocks: 6.1 has no footnotes block, and a core/list cannot
  keep the `fn:N` ids that the references link to. Their HTML is written as a browser
  re-serialises it, because the block editor validates core/html blocks too.
- HTML that a browser would repair (unclosed or stray tags, a block element inside `<p>`) is
  kept as written, without block comments: WordPress shows it as a Classic block and never
  validates it, whereas a core/html block around it is "invalid" on every version.
- `<!--more-->` and `<!--nextpage-->` become core/more and core/nextpage; other HTML comments
  are dropped (they show nothing, and one starting `wp:` would be read as a block).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from editor.publish.block_converters import (  # MediaRef lives with its user, re-exported here
    ALIGNMENTS,
    Converter,
    MediaRef,
)
from editor.publish.block_markup import serialize_blocks
from editor.publish.block_parser import split_content
from editor.publish.html_fragments import Element, add_classes, parse_fragment, splice_start_tags

log = logging.getLogger(__name__)


def html_to_blocks(body_html: str, media: Mapping[str, MediaRef] | None = None) -> str:
    """Convert a rendered post body to WordPress block markup (see the module docstring).

    `media` maps an image's src as written in the HTML (the local relative path) to its
    upload: such images get the upload's URL and id; others keep their src and have no id.
    """
    # A browser's parser reads every CR LF and lone CR as LF; so does the block editor.
    body_html = body_html.replace("\r\n", "\n").replace("\r", "\n")
    pieces = split_content(body_html)
    if any(piece.kind == "block" for piece in pieces):
        # Raw islands (block markup the post keeps verbatim) go out as they are; the HTML
        # around them is converted.
        out = []
        for piece in pieces:
            if piece.kind == "block":
                out.append(piece.text)
            elif piece.kind == "freeform":
                converted = _html_to_blocks(piece.text, media)
                if converted.strip():
                    out.append(converted.strip("\n"))
        return "\n\n".join(out)
    return _html_to_blocks(body_html, media)


def _html_to_blocks(body_html: str, media: Mapping[str, MediaRef] | None) -> str:
    """Convert HTML without block markup to block markup (see html_to_blocks)."""
    root = parse_fragment(body_html)
    refs = rewrite_images(root, media or {})
    blocks = Converter(body_html, refs).top_level(root)
    log.debug("Converted %d characters of HTML into %d blocks", len(body_html), len(blocks))
    return serialize_blocks(blocks)


def html_to_classic(body_html: str, media: Mapping[str, MediaRef] | None = None) -> str:
    """Return the post as plain HTML5 for a classic WordPress site.

    Our HTML is kept byte for byte except for soft line breaks inside running text (which a
    classic site's autop would turn into `<br>`) and the start tags that need a change: uploaded
    images get the upload's URL and a `wp-image-N` class (WordPress adds srcset from it), and
    a figure aligned with our `align-left` & co. also gets WordPress's `alignleft` & co., which
    classic themes style. Figures and figcaptions stay as they are.
    """
    root = parse_fragment(body_html)
    rewrite_images(root, media or {})
    for element in root.iter():
        if element.tag == "figure":
            extra = [f"align{ALIGNMENTS[name]}" for name in element.classes if name in ALIGNMENTS]
            add_classes(element, extra)
    return _unwrap_soft_breaks(splice_start_tags(body_html, root))


_BLOCKS = (
    r"(?:p|ul|ol|li|div|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|dl|dt|dd"
    r"|h[1-6]|hr)"
)
_BLOCK_TAG_END = re.compile(r"<\/?" + _BLOCKS + r"\b[^>]*>$", re.IGNORECASE)
_BLOCK_TAG_START = re.compile(r"<\/?" + _BLOCKS + r"\b", re.IGNORECASE)
_TEXT_BLOCK = re.compile(
    r"(<(p|li|h[1-6]|td|th|dt|dd)\b[^>]*>)(.*?)(</\2>)", re.DOTALL | re.IGNORECASE
)


def _unwrap_soft_breaks(html_text: str) -> str:
    """Join the lines of a paragraph: a classic site's autop turns each newline into `<br>`."""

    def join(match: re.Match[str]) -> str:
        inner = match.group(3)
        if "<pre" in inner.lower():
            return match.group(0)

        def space(newline: re.Match[str]) -> str:
            before, after = inner[: newline.start()], inner[newline.end() :]
            if _BLOCK_TAG_END.search(before) or _BLOCK_TAG_START.match(after):
                return newline.group(0)  # between blocks: autop leaves it alone
            return " "

        return match.group(1) + re.sub(r"[ \t]*\n[ \t]*", space, inner) + match.group(4)

    return _TEXT_BLOCK.sub(join, html_text)


def rewrite_images(root: Element, media: Mapping[str, MediaRef]) -> dict[int, MediaRef]:
    """Point uploaded images at their URL and add `wp-image-N`; return refs by id(element)."""
    refs: dict[int, MediaRef] = {}
    for element in root.iter():
        ref = media.get(element.get("src") or "") if element.tag == "img" else None
        if ref is None:
            continue
        refs[id(element)] = ref
        element.attrs = [
            (name, ref.url if name == "src" else value) for name, value in element.attrs
        ]
        element.rewritten = True
        if ref.id:  # a blog without media ids (MetaWeblog on other engines) gets no class
            add_classes(element, [f"wp-image-{ref.id}"])
    return refs
