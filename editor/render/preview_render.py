"""Everything the window needs after a keystroke, computed in one pure call off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from editor.core.front_matter import FrontMatterError
from editor.core.post import PostMeta, meta_from_text
from editor.core.text_stats import count_words
from editor.render.markdown_renderer import render_markdown


@dataclass(frozen=True)
class PreviewRender:
    """The rendered body and what the window shows around it."""

    body_html: str
    title: str
    meta: PostMeta | None
    problem: str | None
    words: int


def render_for_preview(text: str) -> PreviewRender:
    """Render a document's text and read its front matter and word count."""
    try:
        meta: PostMeta | None = meta_from_text(text)
        problem = None
    except FrontMatterError as error:
        meta, problem = None, str(error)
    return PreviewRender(
        body_html=render_markdown(text),
        title=meta.title if meta else "",
        meta=meta,
        problem=problem,
        words=count_words(text),
    )
