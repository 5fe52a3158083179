"""A post as its blog will show it: the publisher's markup inside the blog's learnt look (no Qt).

The body is what the publisher sends for the post (editor.publish.wordpress_blocks), with the
block comments taken out as WordPress does when it serves static blocks; blocks the blog
renders itself show the preview's placeholder. It sits in the skeleton of the blog's post page
with the blog's CSS and fonts written into the page: the page loads nothing from anywhere and
runs no script (the same policy as Draftpress's own pages, fonts allowed from data: URLs).
"""

from __future__ import annotations

import html
import re

from editor.core.block_grammar import BLOCK_DELIMITER
from editor.core.front_matter import body_of
from editor.core.post import Post
from editor.publish.accounts import Account, find_account
from editor.publish.blog_look import (
    BlogLook,
    SkeletonNode,
    css_with_embedded_assets,
    css_with_linked_assets,
    load_look,
)
from editor.publish.blog_look_typography import texturize_html
from editor.publish.code_languages import with_code_languages
from editor.publish.engines.base import GHOST, MICROPUB, XMLRPC
from editor.publish.engines.ghost_html import CARD_BEGIN, CARD_END, ghost_html
from editor.publish.wordpress_blocks import html_to_blocks, html_to_classic
from editor.render.checked_render import render_checked
from editor.render.export import post_title
from editor.render.page import CONTENT_SECURITY_POLICY
from editor.render.raw_islands import with_placeholders

# Draftpress's policy, and fonts from data: URLs (the look's fonts are written into the page).
BLOG_PAGE_POLICY = CONTENT_SECURITY_POLICY + "; font-src data:"
# The preview's: fonts from local files too (its request guard lets only the look's through).
LINKED_PAGE_POLICY = CONTENT_SECURITY_POLICY + "; font-src data: file:"
VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr"})
# The placeholder of a block the blog renders, readable on any theme.
_PLACEHOLDER_CSS = (
    ".dp-dynamic-block { border: 1px dashed currentColor; padding: 0.75em 1em; opacity: 0.7; }"
)
# The preview's very long posts are laid out near the screen only, as in Draftpress's style
# (resources/themes/default.css; the preview's script sets the class, see preview_patch).
_LONG_POST_CSS = (
    "[data-dp-content].dp-long > * { content-visibility: auto; contain-intrinsic-size: auto 3em; }"
)
_CONTENT_START_TAG = re.compile(r"<[a-zA-Z][^<>]*\sdata-dp-content=\"\"[^<>]*>")
_CLASS_ATTRIBUTE = re.compile(r'\sclass="')


# How each kind of blog is sent a post's body (what it then serves): WordPress's block markup or
# classic HTML, Ghost's cards, or the rendered HTML as it is (Micropub).
BLOCKS, CLASSIC, GHOST_CARDS, PLAIN_HTML = "blocks", "classic", "ghost", "html"


def body_style_of(account: Account) -> str:
    """Return how the account's engine sends a post's body (one of the styles above)."""
    if account.kind == GHOST:
        return GHOST_CARDS
    if account.kind == MICROPUB:
        return PLAIN_HTML
    if account.kind == XMLRPC or account.output == "classic":
        return CLASSIC
    return BLOCKS


def blog_body_html(post_html: str, *, style: str = BLOCKS, markdown: str = "") -> str:
    """Return the post body as the blog serves it: the publisher's markup, comments taken out.

    `markdown` (the post's body, when known) names each code block's language as published.
    WordPress's typography (blog_look_typography) is applied here, for the look only.
    """
    if markdown:
        post_html = with_code_languages(post_html, markdown)
    if style == GHOST_CARDS:
        markup = ghost_html(post_html, markdown, {}).replace(CARD_BEGIN, "").replace(CARD_END, "")
    elif style == PLAIN_HTML:
        markup = post_html
    elif style == CLASSIC:
        markup = texturize_html(html_to_classic(post_html))
    else:
        markup = texturize_html(html_to_blocks(post_html))
    return BLOCK_DELIMITER.sub("", with_placeholders(markup))


def _attributes(attrs: dict[str, str]) -> str:
    """Return HTML attributes, escaped, each after a space."""
    return "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items())


def _element(node: SkeletonNode, title: str, body: str, marks: bool = False) -> str:
    """Return a skeleton node as HTML, the title or the body in the node holding it.

    With `marks`, the nodes holding them carry `data-dp-content` / `data-dp-title`, where the
    preview's script puts the post's pieces and title.
    """
    attrs = dict(node.attrs)
    if marks and node.role:
        attrs[f"data-dp-{node.role}"] = ""
    if node.role == "content":
        inside = body
    elif node.role == "title":
        inside = html.escape(title)
    else:
        inside = "".join(_element(child, title, body, marks) for child in node.children)
    if node.tag in VOID_TAGS:
        return f"<{node.tag}{_attributes(attrs)}>"
    return f"<{node.tag}{_attributes(attrs)}>{inside}</{node.tag}>"


def build_blog_page(
    look: BlogLook, title: str, body_html: str, *, marks: bool = False, linked: bool = False
) -> str:
    """Return a standalone page showing a post's body (the blog's markup) in the blog's look.

    `marks`: name the content and title elements for the preview's script (see _element).
    `linked`: link the look's fonts as the local files of the data folder (the preview's page,
    whose guard lets only those files through) instead of writing them into the page.
    """
    css = css_with_linked_assets(look) if linked else css_with_embedded_assets(look)
    policy = LINKED_PAGE_POLICY if linked else BLOG_PAGE_POLICY
    body = _element(look.skeleton, title or "Untitled", body_html, marks)
    html_attrs = {**look.html_attrs, **({"data-dp-blog-look": ""} if marks else {})}
    return (
        f"<!DOCTYPE html>\n<html{_attributes(html_attrs)}>\n<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Draftpress">\n'
        f"<title>{html.escape(title or 'Untitled')}</title>\n"
        f'<style id="dp-blog-css">\n{css}\n</style>\n'
        f"<style>{_PLACEHOLDER_CSS}{_LONG_POST_CSS if marks else ''}</style>\n"
        f"</head>\n{body}\n</html>\n"
    )


def page_with_pieces(page: str, htmls: list[str], marker: str, long_post: bool) -> str:
    """Return the preview's empty page in a look with the pieces in its content element.

    For posts too large for one script call (the preview's large-page route): the pieces are
    separated by `<!--marker-->`, which the preview's script takes out after the load; a very
    long post's content gets the `dp-long` class its lazy layout needs.
    """
    found = _CONTENT_START_TAG.search(page)
    if found is None:
        raise ValueError("the page marks no content element")
    tag = found.group(0)
    if long_post:
        if _CLASS_ATTRIBUTE.search(tag):
            tag = _CLASS_ATTRIBUTE.sub(' class="dp-long ', tag, count=1)
        else:
            tag = tag[:-1] + ' class="dp-long">'
    body = f"<!--{marker}-->".join(htmls)
    return page[: found.start()] + tag + body + page[found.end() :]


def render_post_in_look(post: Post, account_name: str) -> str:
    """Return a post's standalone page in the look learnt for an account.

    Raises LookError (no look yet), PublishError (no such account) or RenderTooSlow.
    """
    account = find_account(account_name)
    look = load_look(account.name)
    rendered = render_checked(post.text)
    body = blog_body_html(rendered, style=body_style_of(account), markdown=body_of(post.text))
    return build_blog_page(look, post_title(post), body)
