"""The standalone page around a rendered post: title, styles and a policy that runs no script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor.core.post import Post
from editor.render.export import post_title, render_post_page
from editor.render.page import CONTENT_SECURITY_POLICY, build_page, pygments_css, theme_css


def csp_of(page: str) -> str:
    """Return the Content-Security-Policy the page declares."""
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert match, "no Content-Security-Policy meta"
    return match.group(1)


def test_page_has_the_title_in_head_and_heading() -> None:
    page = build_page("My first post", "<p>Body</p>")

    assert "<title>My first post</title>" in page
    assert '<h1 class="post-title" id="dp-title">My first post</h1>' in page
    assert '<article id="content">\n<p>Body</p>\n</article>' in page


def test_title_is_html_escaped() -> None:
    page = build_page('<script>alert("x")</script> & more', "<p>Body</p>")

    assert "<script>" not in page
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"
    assert f"<title>{escaped}</title>" in page
    assert f'id="dp-title">{escaped}</h1>' in page


def test_empty_title_shows_untitled() -> None:
    assert "<title>Untitled</title>" in build_page("", "")


def test_page_includes_the_theme_css() -> None:
    page = build_page("T", "")
    css = theme_css()

    assert css.strip()
    assert css == (Path(__file__).parents[2] / "resources/themes/default.css").read_text(
        encoding="utf-8"
    )
    assert f"<style id=\"dp-theme-css\">\n{css}\n</style>" in page


def test_unknown_theme_falls_back_to_the_default() -> None:
    assert theme_css("no-such-theme") == theme_css("default")
    assert build_page("T", "", theme="no-such-theme") == build_page("T", "")


def test_page_includes_light_and_dark_pygments_css() -> None:
    page = build_page("T", "")
    css = pygments_css()

    assert css in page
    assert ".codehilite .k {" in css
    assert "@media (prefers-color-scheme: dark)" in css


def test_page_policy_forbids_scripts_and_remote_loads() -> None:
    policy = csp_of(build_page("T", "<p>x</p>"))

    assert policy == CONTENT_SECURITY_POLICY
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives  # so scripts fall back to default-src 'none'
    assert "'unsafe-inline'" not in directives.get("img-src", [])


def test_page_is_a_complete_utf8_html_document() -> None:
    page = build_page("Café", "<p>Ünïcode ✓</p>")

    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert page.rstrip().endswith("</body>\n</html>")
    for placeholder in ("$title", "$csp", "$theme_css", "$pygments_css", "$body"):
        assert placeholder not in page


def test_body_html_with_dollar_signs_is_kept_verbatim() -> None:
    page = build_page("Prices", "<p>$5 and $title and ${body}</p>")

    assert "<p>$5 and $title and ${body}</p>" in page


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("---\ntitle: From front matter\n---\nBody\n", "file.md", "From front matter"),
        ("Body only\n", "my-file-name.md", "my-file-name"),
        ("---\ntitle: [broken\n---\nBody\n", "broken.md", "broken"),
    ],
)
def test_post_title_comes_from_front_matter_else_file_name(
    text: str, name: str, title: str
) -> None:
    assert post_title(Post(text, Path(name))) == title


def test_post_without_title_or_file_is_untitled() -> None:
    assert post_title(Post("Body\n")) == "Untitled"


def test_render_post_page_puts_the_rendered_body_in_the_page() -> None:
    page = render_post_page(Post("---\ntitle: T\n---\n*Hi*\n", Path("t.md")))

    assert "<title>T</title>" in page
    assert '<article id="content">\n<p><em>Hi</em></p>\n</article>' in page
