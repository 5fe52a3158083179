"""What the window shows around the preview (title, details form, word count), in one pure call."""

from __future__ import annotations

from dataclasses import dataclass

from editor.core.front_matter import FrontMatterError
from editor.core.post import PostMeta, meta_from_text
from editor.core.text_stats import count_words


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
