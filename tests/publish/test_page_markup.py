"""Fill from page on the markup real blogs and news sites use, served from 127.0.0.1.

The pages (tests/publish/pages, see its README) copy the shape of common platforms' article
markup: the article's own title must win over the tab title with the site's name, and the
author is found in meta tags, JSON-LD (a list or an object, by @id) or a rel=author byline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.publish.page_fetch import fetch_page_metadata
from tests.local_page import serve_page

PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize(
    ("page", "title", "author"),
    [
        ("wordpress-yoast.html", "Why I Still Write Letters", "Marta Quill"),
        (
            "jsonld-author-list.html",
            "Night trains return to the Alps",
            "Lena Fischer and Tomás Ruiz",
        ),
        ("blogposting-object.html", "Ten Years of Sourdough", "Priya Natarajan"),
        ("meta-author.html", "On finishing things", "Sam O'Neill"),
        ("rel-author.html", "Field notes: the heron came back", "Jo Bramble"),
    ],
)
def test_fill_from_page_reads_the_articles_title_and_author(
    monkeypatch: pytest.MonkeyPatch, page: str, title: str, author: str
) -> None:
    html = (PAGES / page).read_text(encoding="utf-8")
    with serve_page(monkeypatch, html, "/2026/03/post/") as url:
        meta = fetch_page_metadata(url, timeout=10)
    assert (meta.title, meta.author) == (title, author)
