"""Render a post file to a standalone HTML page (what `draftpress render` writes)."""

from __future__ import annotations

from editor.core.post import Post
from editor.render.checked_render import render_checked
from editor.render.page import build_page
from editor.render.raw_islands import with_placeholders


def post_title(post: Post) -> str:
    """Return the title the page shows: the front matter title, else the file name."""
    problem = post.front_matter_problem()
    title = "" if problem else post.meta().title
    if not title and post.path is not None:
        title = post.path.stem
    return title or "Untitled"


def render_post_page(post: Post, theme: str = "default") -> str:
    """Return the standalone HTML page for a post (dynamic blocks shown as placeholders).

    Raises RenderTooSlow when parts of the post cannot be rendered in time.
    """
    return build_page(post_title(post), with_placeholders(render_checked(post.text)), theme)
