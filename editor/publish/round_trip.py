"""A lossless round trip: blog content <-> Markdown, piece by piece (no Qt).

`pull_content` turns a post's content into Markdown one top-level piece at a time (a block of a
block post, an autop chunk of a classic one). A piece whose Markdown publishes back to the same
markup (checked by converting it back, up to what WordPress shows the same: typographic quotes,
entities, whitespace between tags) is written as Markdown; any other piece stays in the Markdown
as a raw island, the server's markup verbatim. The returned `BlogCopy` remembers, per piece, the
Markdown and the server's original markup.

`content_for_body` is the way back: the post's current Markdown is lined up with the copy's
pieces; every piece whose Markdown the writer did not touch is sent as the server's original
markup (with its original spacing), and only new or edited Markdown is converted. So an
untouched post goes back byte for byte, and an edit changes the blocks it touched.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from editor.publish.block_converters import DEFAULT_SIZE_SLUG, MediaRef
from editor.publish.block_parser import Piece, content_pieces, is_block_content
from editor.publish.blog_copies import BlogCopy, Segment, load_copy, save_copy
from editor.publish.code_languages import with_code_languages
from editor.publish.html_to_markdown import content_to_markdown
from editor.publish.remote_record import sha256_text
from editor.publish.wordpress_blocks import html_to_blocks, html_to_classic
from editor.render.block_split import split_blocks
from editor.render.markdown_renderer import shared_renderer
from editor.render.render_guard import RenderTimeout, hard_deadline, within

log = logging.getLogger(__name__)

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_WP_IMAGE = re.compile(r"\bwp-image-(\d+)\b")
_SIZE_SLUG = re.compile(r'"sizeSlug"\s*:\s*"([\w-]+)"|\bsize-([\w-]+)\b')
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
     "\u2013": "--", "\u2014": "---", "\u00a0": " "}
)  # fmt: skip
_OUTER_DELIMITERS = re.compile(r"(<!--\s+wp:.*?-->)(.*?)(<!--\s+/wp:[^>]*?-->)", re.DOTALL)
_INNER_DELIMITER = re.compile(r"\s*<!--\s+/?wp:[^>]*?-->\s*")
_HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*?)\s+id="[^"]*"|,?"anchor":"[^"]*"', re.IGNORECASE)
# Classes newer WordPress adds to every heading and list by itself (6.1 writes none).
_AUTOMATIC_CLASS = re.compile(r'\s+class="wp-block-(?:heading|list)"')
_SPACE_AROUND_BLOCK_TAG = re.compile(
    r"\s*(</?(?:ul|ol|li|dl|dt|dd|div|table|thead|tbody|tfoot|tr|td|th|blockquote|figure|"
    r"figcaption|h[1-6]|hr|p)\b[^>]*>)\s*",
    re.IGNORECASE,
)
_PARAGRAPH_TAGS = re.compile(r"</?p\b[^>]*>|<br\s*/?>", re.IGNORECASE)
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:\s*\S.*$", re.MULTILINE)
_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(\s[^\]]*)?\](?![(\[:])", re.IGNORECASE)
_MAX_PASSES = 50
PIECE_SECONDS = 2.0  # the longest a piece's check may take before it is kept raw
_BLANK_LINE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


# -- images --------------------------------------------------------------------------------


def images_in_pieces(pieces: list[Piece]) -> dict[str, dict[str, Any]]:
    """Return the blog's images in content: URL -> {id, size_slug} (from `wp-image-N`)."""
    found: dict[str, dict[str, Any]] = {}
    for piece in pieces:
        slug = _SIZE_SLUG.search(piece.text)
        size = next((g for g in slug.groups() if g), DEFAULT_SIZE_SLUG) if slug else None
        for tag in _IMG.findall(piece.text):
            src, media_id = _SRC.search(tag), _WP_IMAGE.search(tag)
            if src and media_id:
                found[html_lib.unescape(src.group(1))] = {
                    "id": int(media_id.group(1)),
                    "size_slug": size or DEFAULT_SIZE_SLUG,
                }
    return found


def image_refs(images: Mapping[str, Mapping[str, Any]]) -> dict[str, MediaRef]:
    """Return MediaRefs for the blog's images, by URL (so edited blocks keep their media ids)."""
    refs = {}
    for url, item in images.items():
        try:
            refs[url] = MediaRef(int(item["id"]), url, str(item.get("size_slug") or "full"))
        except (KeyError, TypeError, ValueError):
            continue
    return refs


# -- pieces -> Markdown --------------------------------------------------------------------


def _canonical(markup: str, classic: bool) -> str:
    """Return markup as WordPress would show it, for telling a faithful conversion."""

    def entity(match: re.Match[str]) -> str:
        char = html_lib.unescape(match.group(0))
        return match.group(0) if char in "<>&" else char

    text = _ENTITY.sub(entity, markup).translate(_TYPOGRAPHY)
    # Inner block delimiters (a list's list items) are how the editor stores the same HTML.
    outer = _OUTER_DELIMITERS.fullmatch(text.strip())
    if outer:
        text = outer.group(1) + _INNER_DELIMITER.sub("", outer.group(2)) + outer.group(3)
    if classic:
        text = _PARAGRAPH_TAGS.sub(" ", text)
    text = re.sub(r"<(/?)b>", r"<\1strong>", re.sub(r"<(/?)i>", r"<\1em>", text))
    text = _AUTOMATIC_CLASS.sub("", text)
    text = re.sub(r"\s*/>", ">", text)
    text = re.sub(r">\s+<", "><", text)
    text = _SPACE_AROUND_BLOCK_TAG.sub(r"\1", text)  # not shown around block elements
    return re.sub(r"\s+", " ", text).strip()


def render_markdown_piece(markdown: str, classic: bool, refs: Mapping[str, MediaRef]) -> str:
    """Return the content markup a piece of Markdown publishes as (blocks or classic HTML)."""
    html = shared_renderer().render_body(markdown)
    if classic:
        converted = html_to_classic(html, refs)
    else:  # the fence's language as the code block's className, as the publisher sends it
        converted = html_to_blocks(with_code_languages(html, markdown), refs)
    return converted.strip("\n")


def has_shortcode(text: str) -> bool:
    """Tell whether text holds a WordPress shortcode (`[gallery ids="1"]`, `[embed]…[/embed]`)."""
    for match in _SHORTCODE.finditer(text):
        if "=" in (match.group(2) or "") or f"[/{match.group(1)}]" in text:
            return True
    return False


def _converted(piece: Piece, classic: bool, refs: Mapping[str, MediaRef]) -> str | None:
    """Return the piece's Markdown if it publishes back faithfully, else None.

    A piece holding a shortcode is never converted: its quotes must stay straight, and
    Markdown would make them typographic once the piece is edited.
    """
    if has_shortcode(piece.text):
        return None
    try:
        markdown = content_to_markdown(piece.text).strip("\n")
    except Exception:  # a hostile or broken piece: keep it as it is
        log.warning("pull: could not convert a %s piece; kept as raw", piece.name or "classic")
        return None
    if not markdown.strip():
        return None
    try:  # a hostile piece must not stall the pull: past the deadline it stays raw
        back = within(PIECE_SECONDS, render_markdown_piece, markdown, classic, refs)
    except (RenderTimeout, RecursionError):
        log.info("pull: a %s piece took too long to check; kept raw", piece.name or "classic")
        return None
    if not _HEADING_ID.search(piece.text):  # the dialect gives headings ids; WordPress may not
        back = _HEADING_ID.sub(r"\1", back).replace("{}", "")
    if _canonical(back, classic) != _canonical(piece.text, classic):
        log.debug("pull: %s kept raw (converts to %r)", piece.name or "chunk", back[:120])
        return None
    return markdown


def _island(piece_text: str) -> str:
    """Return a piece as a raw island: the server's markup as it is."""
    return piece_text.strip("\n")


def _clean_starts(markdowns: list[str]) -> tuple[str, list[int]]:
    """Join the pieces' Markdown; return the body and the pieces that do not start a block."""
    body = ""
    offsets = []
    for index, markdown in enumerate(markdowns):
        if index:
            body += "\n\n"
        offsets.append(len(body))
        body += markdown
    body += "\n"
    starts = set(split_blocks(body))
    merged = [i for i, offset in enumerate(offsets) if offset not in starts]
    return body, merged


def pull_content(content: str) -> tuple[str, BlogCopy]:
    """Return the Markdown body of a post's content and the copy that maps it back."""
    pieces = content_pieces(content)  # split once: hostile content may be large
    classic = not any(piece.kind == "block" for piece in pieces)
    images = images_in_pieces(pieces)
    refs = image_refs(images)
    entries: list[tuple[str, str]] = []  # (gap before, markup)
    markdowns: list[str] = []
    gap = ""
    for piece in pieces:
        if piece.kind == "space":
            gap += piece.text
            continue
        entries.append((gap, piece.text))
        markdowns.append(_converted(piece, classic, refs) or _island(piece.text))
        gap = ""
    body = ""
    for _ in range(_MAX_PASSES):  # a piece that runs into its neighbour becomes an island
        body, merged = _clean_starts(markdowns)
        if not merged:
            break
        for index in merged:
            markdowns[index] = _island(entries[index][1])
    segments = [
        Segment(markdown, markup, gap)
        for (gap, markup), markdown in zip(entries, markdowns, strict=True)
    ]
    copy = BlogCopy(content, segments, gap, images)
    return (body if markdowns else ""), copy


# -- Markdown -> content -------------------------------------------------------------------


class PieceTooSlow(Exception):
    """An edited part of the post took too long to convert; the message quotes its start."""

    def __init__(self, markdown: str) -> None:
        start = markdown.strip().splitlines()[0][:60] if markdown.strip() else ""
        super().__init__(f"The part starting “{start}” takes too long to convert for the blog.")


@dataclass(frozen=True)
class BodyPart:
    """A stretch of the post's Markdown: one untouched piece of the copy, or new text."""

    markdown: str
    segment: int | None  # index in the copy's segments; None for new or edited Markdown


def _chunk_spans(text: str) -> list[tuple[int, int]]:
    """Return where the blank-line separated chunks of Markdown are, without surrounding blanks.

    Pieces always join at a blank line, so their boundaries are chunk boundaries; chunks are
    finer than pieces, which lets a piece be found again after its neighbours moved.
    """
    spans = []
    start = 0
    for end, after in [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)] + [
        (len(text), len(text))
    ]:
        chunk = text[start:end]
        if chunk.strip():
            first = start + len(chunk) - len(chunk.lstrip("\n"))
            spans.append((first, first + len(text[first:end].rstrip())))
        start = after
    return spans


def _blocks(text: str) -> list[str]:
    """Return the blank-line separated chunks of Markdown (see _chunk_spans)."""
    return [text[a:b] for a, b in _chunk_spans(text)]


def body_parts(body: str, copy: BlogCopy) -> list[BodyPart]:
    """Line the post's Markdown up with the copy's pieces; untouched pieces are found by text."""
    body = body.replace("\r\n", "\n")
    spans = _chunk_spans(body)
    current = [body[a:b] for a, b in spans]
    owners: list[tuple[int, int]] = []  # flat token -> (segment, position in it)
    tokens: list[str] = []
    lengths = []
    for index, segment in enumerate(copy.segments):
        pieces = _blocks(segment.markdown) or [segment.markdown.strip()]
        lengths.append(len(pieces))
        for position, token in enumerate(pieces):
            owners.append((index, position))
            tokens.append(token)
    match_of: dict[int, int] = {}  # current block -> flat token
    matcher = SequenceMatcher(None, tokens, current, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for offset in range(size):
            match_of[b + offset] = a + offset
    in_order: dict[int, int] = {}  # current block -> segment it starts, found in order
    j = 0
    while j < len(current):
        flat = match_of.get(j)
        if flat is not None and owners[flat][1] == 0:
            owner = owners[flat][0]
            count = lengths[owner]
            if all(match_of.get(j + k) == flat + k for k in range(count)):
                in_order[j] = owner
                j += count
                continue
        j += 1
    # A piece moved elsewhere is still the server's piece: find one-block pieces by text.
    moved: dict[str, list[int]] = {}
    used = set(in_order.values())
    for flat, (index, position) in enumerate(owners):
        if position == 0 and lengths[index] == 1 and index not in used:
            moved.setdefault(tokens[flat], []).append(index)
    parts: list[BodyPart] = []
    fresh: list[int] = []  # chunks of new text: sent as the writer wrote them, blanks and all

    def flush() -> None:
        if fresh:
            parts.append(BodyPart(body[spans[fresh[0]][0] : spans[fresh[-1]][1]], None))
            fresh.clear()

    j = 0
    while j < len(current):
        segment_at = in_order.get(j)
        if segment_at is None and moved.get(current[j]):
            segment_at = moved[current[j]].pop(0)
        if segment_at is not None:
            flush()
            count = lengths[segment_at]
            parts.append(BodyPart("\n\n".join(current[j : j + count]), segment_at))
            j += count
            continue
        fresh.append(j)
        j += 1
    flush()
    return parts


def content_for_body(
    body: str, copy: BlogCopy, uploads: Mapping[str, MediaRef] | None = None
) -> tuple[str, BlogCopy]:
    """Return the content to send for the post's Markdown and the copy that maps it back.

    Untouched pieces are the server's own markup (with its own spacing where the piece before
    is untouched too); new and edited Markdown is converted. The returned copy's `content` is
    what is sent; keep it once the blog has stored it.
    """
    classic = not is_block_content(copy.content) and bool(copy.content.strip())
    refs = {**image_refs(copy.images), **(uploads or {})}
    definitions = "\n".join(_REFERENCE_DEFINITION.findall(body))
    out: list[str] = []
    segments: list[Segment] = []
    previous: int | None = -1  # -1: nothing yet; None: new text; else the segment sent last
    for part in body_parts(body, copy):
        if part.segment is not None:
            kept = copy.segments[part.segment]
            # The server's own spacing where the piece before is the server's too.
            gap = kept.gap if previous == part.segment - 1 else ("\n\n" if out else "")
            out.append(gap + kept.markup)
            segments.append(Segment(kept.markdown, kept.markup, gap))
            previous = part.segment
            continue
        markdown = part.markdown + ("\n\n" + definitions if definitions else "")
        try:  # the whole post passed the guarded render; this bounds the piece's own render
            converted = within(
                hard_deadline(len(markdown)), render_markdown_piece, markdown, classic, refs
            )
        except (RenderTimeout, RecursionError):
            raise PieceTooSlow(part.markdown) from None
        if converted.strip():
            gap = "\n\n" if out else ""
            out.append(gap + converted)
            segments.append(Segment(part.markdown, converted, gap))
            previous = None
    last = len(copy.segments) - 1
    trailing = copy.trailing if previous == last and last >= 0 else ""
    content = "".join(out) + trailing
    images = dict(copy.images)
    for ref in (uploads or {}).values():
        images[ref.url] = {"id": ref.id, "size_slug": ref.size_slug}
    return content, BlogCopy(content, segments, trailing, images)


# -- the copy around a publish -------------------------------------------------------------


def copy_for_publish(
    blog: str, post_id: int | str | None, recorded_sha: str, server: Mapping[str, Any] | None
) -> BlogCopy | None:
    """Return the blog's copy of the post that the Markdown maps to, if there is one.

    The copy kept at the last pull or publish when it is of the version the record knows (or
    of the server's current one); else, for a post on the blog, one made from the server's
    content now (so a post pulled elsewhere keeps the blog's markup too).
    """
    if post_id is None:
        return None
    content = (server or {}).get("content")
    raw = content.get("raw") if isinstance(content, Mapping) else None
    kept = load_copy(blog, post_id)
    if kept is not None:
        known = {recorded_sha, sha256_text(raw) if isinstance(raw, str) else ""}
        if sha256_text(kept.content) in known:
            return kept
    if isinstance(raw, str):
        return pull_content(raw)[1]
    return None


def keep_copy_after_publish(
    blog: str, post_id: int | str | None, answer: Mapping[str, Any], sent: str, copy: BlogCopy
) -> None:
    """Keep what the blog now holds for the post and how it maps to the Markdown."""
    if post_id is None:
        return
    content = answer.get("content")
    stored = content.get("raw") if isinstance(content, Mapping) else None
    if isinstance(stored, str) and stored != sent:
        copy = pull_content(stored)[1]  # the blog filtered what it was sent
    try:
        save_copy(blog, post_id, copy)
    except OSError as error:  # the copy is a help, never a reason to fail a publish
        log.warning("could not keep the blog's copy of post %s: %s", post_id, error)
