"""What the window shows in and around the preview (title, details, word count, placeholders)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from editor.core.front_matter import FrontMatterError
from editor.core.post import PostMeta, meta_from_text
from editor.core.text_stats import count_words
from editor.render.piece_delta import RenderDelta, RenderedBlock
from editor.render.raw_islands import with_placeholders


@dataclass(frozen=True)
class PostDetails:
    """The post's title, front matter fields (or why they cannot be read) and word count."""

    title: str
    meta: PostMeta | None
    problem: str | None
    words: int


def post_details(text: str) -> PostDetails:
    """Read a document's front matter and count its words."""
    try:
        meta: PostMeta | None = meta_from_text(text)
        problem = None
    except FrontMatterError as error:
        meta, problem = None, str(error)
    return PostDetails(
        title=meta.title if meta else "", meta=meta, problem=problem, words=count_words(text)
    )


def preview_piece(piece: RenderedBlock) -> RenderedBlock:
    """Return a piece as the preview shows it: each dynamic block a labelled placeholder box.

    A preview-only step (`raw_islands.with_placeholders`); the published HTML keeps every
    island verbatim. A piece without block markup comes back as it is.
    """
    if "wp:" not in piece.html:
        return piece
    changed = with_placeholders(piece.html)
    return piece if changed is piece.html else RenderedBlock(piece.line, changed)


def preview_pieces(pieces: Sequence[RenderedBlock]) -> tuple[RenderedBlock, ...]:
    """Return every piece of a render as the preview shows it."""
    return tuple(map(preview_piece, pieces))


def preview_delta(delta: RenderDelta) -> RenderDelta:
    """Return a delta with its new pieces as the preview shows them (the others are shown)."""
    return replace(delta, pieces=preview_pieces(delta.pieces))
