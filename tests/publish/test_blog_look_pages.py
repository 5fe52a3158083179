"""The preview's large-page route in a blog's look: the look's empty page with every piece in its
content element, the markers the preview's script takes out, and the lazy layout of very long
posts (the `dp-long` rule, as in Draftpress's own style)."""

from __future__ import annotations

from editor.publish.blog_look import BlogLook, SkeletonNode
from editor.publish.blog_look_page import build_blog_page, page_with_pieces


def look(content_attrs: dict[str, str]) -> BlogLook:
    content = SkeletonNode("div", content_attrs, role="content")
    title = SkeletonNode("h1", {"class": "title"}, role="title")
    main = SkeletonNode("main", {"class": "site"}, children=[title, content])
    return BlogLook("blog", "", "", "", {}, SkeletonNode("body", {}, children=[main]))


def test_the_pieces_go_into_the_content_element_between_markers() -> None:
    page = build_blog_page(look({"class": "entry-content"}), "T", "", marks=True)
    filled = page_with_pieces(page, ["<p>a</p>", "<p>b</p>"], "m1", long_post=False)
    assert (
        '<div class="entry-content" data-dp-content=""><p>a</p><!--m1--><p>b</p></div>' in filled
    )
    assert '<h1 class="title" data-dp-title="">T</h1>' in filled


def test_a_very_long_post_is_laid_out_lazily() -> None:
    page = build_blog_page(look({"class": "entry-content"}), "T", "", marks=True)
    assert "[data-dp-content].dp-long > * { content-visibility: auto;" in page
    filled = page_with_pieces(page, ["<p>a</p>"], "m1", long_post=True)
    assert '<div class="dp-long entry-content" data-dp-content=""><p>a</p></div>' in filled
    bare = build_blog_page(look({}), "T", "", marks=True)
    assert '<div data-dp-content="" class="dp-long"><p>a</p></div>' in page_with_pieces(
        bare, ["<p>a</p>"], "m1", long_post=True
    )
    # The standalone page (`render --blog`) has no preview script and needs no such rule.
    assert "dp-long" not in build_blog_page(look({}), "T", "<p>a</p>")
