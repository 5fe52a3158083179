"""Learning a blog's look from a real page served on 127.0.0.1, and the page built from it."""

from __future__ import annotations

import json
import re

import pytest

from editor.publish.blog_look import LookError, has_look, load_look, look_folder
from editor.publish.blog_look_learning import learn_look, theme_changed
from editor.publish.blog_look_page import blog_body_html, build_blog_page
from editor.render.checked_render import render_checked
from tests.local_page import PROXY_VARIABLES
from tests.theme_site import FONT_BYTES, Site, hostile_theme, serve_site


@pytest.fixture
def sites(monkeypatch):
    """A hostile theme's blog and the 'elsewhere' its page reaches for, both served."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve_site(Site()) as elsewhere, serve_site(Site()) as blog:
        hostile_theme(blog, elsewhere)
        yield blog, elsewhere


def test_the_look_keeps_the_blogs_css_fonts_and_wrappers_and_nothing_that_runs(sites) -> None:
    blog, elsewhere = sites
    look = learn_look("hostile", blog.url)
    assert look.page_url == f"{blog.url}/2026/a-post/"
    assert look.theme == "hostile"
    # Nothing was asked of another origin, nor any script, frame or print sheet of the blog.
    assert elsewhere.requests == []
    assert not [path for path in blog.requests if path.endswith((".js", "print.css"))]
    # Same-origin CSS in page order, the @import inlined, the font stored, every other
    # url() emptied.
    assert ".wp-block-post-content { max-width: 620px" in look.css
    assert ".wp-block-quote cite { font-style: normal" in look.css
    assert "--wp--preset--color--base: #fdf6e3" in look.css
    assert elsewhere.url not in look.css and "@import" not in look.css
    assert "color: red" not in look.css  # the print sheet
    fonts = list((look_folder("hostile") / "assets").iterdir())
    assert [path.read_bytes() for path in fonts] == [FONT_BYTES]
    assert f'url("assets/{fonts[0].name}")' in look.css
    # The wrapper chain and the title's, with class, id and style only.
    stored = json.loads((look_folder("hostile") / "look.json").read_text(encoding="utf-8"))
    text = json.dumps(stored)
    assert "alert" not in text and "onload" not in text and "data-x" not in text
    assert elsewhere.url not in text
    body = stored["skeleton"]
    assert body["attrs"] == {"class": "single wp-embed-responsive"}
    (site_blocks,) = body["children"]
    assert site_blocks["attrs"] == {"class": "wp-site-blocks"}
    (main,) = site_blocks["children"]  # the header is not on the way to the post
    assert main["tag"] == "main" and "url(data:,)" in main["attrs"]["style"]
    title, content = main["children"]
    assert title["role"] == "title" and title["attrs"]["class"].startswith("wp-block-post-title")
    assert content["role"] == "content"
    assert content["attrs"]["class"] == "entry-content wp-block-post-content is-layout-constrained"
    assert stored["html_attrs"] == {"lang": "en-GB", "class": "no-js"}


def test_the_page_in_the_look_holds_the_publishers_markup_and_reaches_nowhere(sites) -> None:
    blog, elsewhere = sites
    look = learn_look("hostile", blog.url)
    markdown = "> Words.\n\n/// caption\n— A. Writer\n///\n\n```python\nx = 1\n```\n"
    post_html = render_checked(markdown)
    body = blog_body_html(post_html)
    assert "<!--" not in body
    page = build_blog_page(load_look("hostile"), "A <title>", body)
    # The quote and code exactly as the publisher sends them (see test_wordpress_blocks).
    assert '<blockquote class="wp-block-quote">' in page and "<cite>A. Writer</cite>" in page
    # The publisher sends code without Pygments' spans or a language class (wordpress_blocks).
    assert '<pre class="wp-block-code"><code>x = 1</code></pre>' in page
    assert '<h1 class="wp-block-post-title has-text-align-center">A &lt;title&gt;</h1>' in page
    assert '<div class="entry-content wp-block-post-content is-layout-constrained">' in page
    assert "<script" not in page.lower() and "<iframe" not in page.lower()
    assert not re.search(r"\son\w+=", page)
    assert elsewhere.url not in page and blog.url not in page
    assert "font-src data:" in page and "default-src 'none'" in page
    assert f"base64,{__import__('base64').b64encode(FONT_BYTES).decode()}" in page
    assert look.folder is not None


def test_learning_with_the_network_cut_says_so_and_keeps_the_last_copy(monkeypatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve_site(Site()) as elsewhere, serve_site(Site()) as blog:
        hostile_theme(blog, elsewhere)
        learn_look("hostile", blog.url)
        address = blog.url
    before = {
        path.name: path.read_bytes() for path in look_folder("hostile").rglob("*") if path.is_file()
    }
    with pytest.raises(LookError) as raised:  # the blog's server is gone: nothing answers
        learn_look("hostile", address)
    message = str(raised.value)
    assert "could not be reached" in message and "Check your connection" in message
    assert message.endswith("The look learnt before is kept.")
    after = {
        path.name: path.read_bytes() for path in look_folder("hostile").rglob("*") if path.is_file()
    }
    assert after == before and has_look("hostile")
    assert [path.name for path in look_folder("hostile").parent.iterdir()] == ["hostile"]


def test_a_page_elsewhere_or_without_a_post_is_refused_in_words(sites) -> None:
    blog, elsewhere = sites
    with pytest.raises(LookError, match="not on the blog's address"):
        learn_look("hostile", blog.url, page_url=f"{elsewhere.url}/2026/a-post/")
    blog.files["/plain/"] = ("text/html", b"<html><body><p>No post here.</p></body></html>")
    with pytest.raises(LookError, match="could not find the post on that page"):
        learn_look("hostile", blog.url, page_url=f"{blog.url}/plain/")
    assert elsewhere.requests == [] and not has_look("hostile")


def test_no_look_yet_says_how_to_learn_it() -> None:
    with pytest.raises(LookError, match="draftpress blogs look myblog"):
        load_look("myblog")


def test_a_changed_theme_is_told_from_the_post_page(sites) -> None:
    blog, _elsewhere = sites
    look = learn_look("hostile", blog.url)
    assert theme_changed(look, blog.url) is False
    page_path = "/2026/a-post/"
    kind, page = blog.files[page_path]
    blog.files[page_path] = (kind, page.replace(b"/themes/hostile/", b"/themes/fresh/"))
    assert theme_changed(look, blog.url) is True


def test_a_theme_check_offline_tells_nothing(monkeypatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve_site(Site()) as elsewhere, serve_site(Site()) as blog:
        hostile_theme(blog, elsewhere)
        look = learn_look("hostile", blog.url)
    assert theme_changed(look, blog.url) is None


def test_raw_islands_appear_as_on_the_blog_and_dynamic_blocks_as_placeholders() -> None:
    markdown = (
        "Before.\n\n"
        '<!-- wp:paragraph {"className":"kept"} -->\n<p class="kept">Kept as written.</p>\n'
        "<!-- /wp:paragraph -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n\n'
        "After.\n"
    )
    body = blog_body_html(render_checked(markdown))
    assert '<p class="kept">Kept as written.</p>' in body
    assert "Latest posts — shown by the blog" in body
    assert "<!--" not in body and body.index("Before.") < body.index("After.")
