"""What the window shows in and around the preview (title, details, word count, placeholders)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from editor.core.front_matter import FrontMatterError
from editor.core.post import PostMeta, meta_from_text
from editor.core.text_stats import count_words
from editor.render.incremental import RenderedBlock
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


class PreviewPieces:
    """The preview's copy of a render: each dynamic block a labelled placeholder box.

    A preview-only step (`raw_islands.with_placeholders`); the published HTML keeps every
    island verbatim. Pieces come back as they are when they hold no block markup, and a piece
    the renderer hands out again (the same object) is not scanned again.
    """

    def __init__(self) -> None:
        self._shown: dict[int, tuple[RenderedBlock, RenderedBlock]] = {}

    def apply(self, text: str, blocks: Sequence[RenderedBlock]) -> tuple[RenderedBlock, ...]:
        """Return the pieces to show for a render of `text`."""
        if "wp:" not in text:  # no block markup anywhere: nothing to do
            self._shown = {}
            return tuple(blocks)
        before, shown = self._shown, {}
        result = []
        for block in blocks:
            html = block.html
            if "wp:" not in html:
                result.append(block)
                continue
            entry = before.get(id(block))
            if entry is None or entry[0] is not block:
                changed = with_placeholders(html)
                entry = (block, block if changed is html else RenderedBlock(block.line, changed))
            shown[id(block)] = entry
            result.append(entry[1])
        self._shown = shown
        return tuple(result)
