"""The library's actions on closed post files, and the quick header reading of long lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core import library as library_module
from editor.core.front_matter import read_front_matter
from editor.core.front_matter_scan import scan_front_matter
from editor.core.library import list_posts
from editor.core.library_actions import duplicate_post, retitle_post
from editor.core.listing_cache import ListingCache
from editor.core.post import meta_from_text
from editor.publish.remote_record import recorded_blog, recorded_blog_of

PUBLISHED = (
    "---\r\ntitle: Trip\r\nstatus: publish\r\ntags:\r\n  - travel\r\n"
    "remote:\r\n  blog: CI Blog\r\n  id: 7\r\n---\r\n"
    "![Tent](trip.assets/tent.png)\r\nNight\u00a0train.\r\n"
)


def test_retitle_changes_only_the_title_line(tmp_path: Path) -> None:
    post = tmp_path / "trip.md"
    post.write_bytes(PUBLISHED.encode("utf-8"))

    retitle_post(post, "Trip to Oslo")

    assert post.read_bytes() == PUBLISHED.replace("title: Trip", "title: Trip to Oslo").encode()


def test_duplicate_is_an_unpublished_draft_with_its_own_images(tmp_path: Path) -> None:
    post = tmp_path / "trip.md"
    post.write_bytes(PUBLISHED.encode("utf-8"))
    (tmp_path / "trip.assets").mkdir()
    (tmp_path / "trip.assets" / "tent.png").write_bytes(b"png")

    copy = duplicate_post(post)
    again = duplicate_post(post)

    assert (copy.name, again.name) == ("trip-copy.md", "trip-copy-2.md")
    text = copy.read_bytes().decode("utf-8")
    assert "\r\n" in text and "\u00a0" in text  # line endings and NBSP as they were
    data = read_front_matter(text.replace("\r\n", "\n"))
    assert data["title"] == "Trip (copy)" and data["status"] == "draft"
    assert "remote" not in data  # publishing the copy never updates the original's blog post
    assert "trip-copy.assets/tent.png" in text
    assert (tmp_path / "trip-copy.assets" / "tent.png").read_bytes() == b"png"
    assert post.read_bytes() == PUBLISHED.encode("utf-8")


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: yes\ndate: 2024-01-02\n",
        "title: '007'\ntags: [a, b]\n",
        "title: Salt & Pepper\ntags: a, b\nstatus: publish\n",
        "title: ~\n",
        "title: !!str 12\n",
        "title: 1.50\ndate: 2024-01-02 09:30:00\n",
        "title: [broken\n",
        "remote:\n  - blog: A\n  - blog: B\n",
    ],
)
def test_the_quick_reader_agrees_with_the_editors_parser(front_matter: str) -> None:
    text = f"---\n{front_matter}---\nBody\n"
    data = scan_front_matter(text)
    if data is None:  # left to the full parser
        return
    quick, full = meta_from_text_of(data), meta_from_text(text)
    assert (quick.title, quick.date[:10], quick.status, quick.tags) == (
        full.title,
        full.date[:10],
        full.status,
        full.tags,
    )
    assert recorded_blog_of(data) == recorded_blog(text)


def meta_from_text_of(data):
    from editor.core.post import meta_from_data

    return meta_from_data(data)


def test_listing_names_the_blog_and_reads_unchanged_files_once(tmp_path: Path) -> None:
    (tmp_path / "trip.md").write_bytes(PUBLISHED.encode("utf-8"))
    (tmp_path / "draft.md").write_text("---\ntitle: Draft\n---\n", encoding="utf-8")
    cache = ListingCache()
    first = {s.title: s for s in list_posts(tmp_path, recorded_blog_of, cache)}
    assert (first["Trip"].blog, first["Trip"].tags, first["Draft"].blog) == (
        "CI Blog",
        ("travel",),
        "",
    )
    second = {s.title: s for s in list_posts(tmp_path, recorded_blog_of, cache)}
    assert second["Trip"] is first["Trip"]  # served from the cache: the file did not change


def test_the_stored_listing_serves_the_next_run_and_notices_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, store = tmp_path / "library", tmp_path / "data" / "listing.json"
    library.mkdir()
    trip = library / "trip.md"
    trip.write_bytes(PUBLISHED.encode("utf-8"))
    (library / "gone.md").write_text("---\ntitle: Gone\n---\n", encoding="utf-8")
    list_posts(library, recorded_blog_of, ListingCache(store))
    (library / "gone.md").unlink()

    def read_again(*_args: object) -> None:
        raise AssertionError("an unchanged post was read again")

    with monkeypatch.context() as patched:
        patched.setattr(library_module, "summarize", read_again)
        [summary] = list_posts(library, recorded_blog_of, ListingCache(store))
    assert (summary.title, summary.blog, summary.tags) == ("Trip", "CI Blog", ("travel",))
    assert "gone.md" not in store.read_text(encoding="utf-8")

    trip.write_bytes(PUBLISHED.replace("title: Trip", "title: Oslo").encode("utf-8"))
    [summary] = list_posts(library, recorded_blog_of, ListingCache(store))
    assert summary.title == "Oslo"
    store.write_text("{not json", encoding="utf-8")  # a broken store is only a slower listing
    assert [s.title for s in list_posts(library, recorded_blog_of, ListingCache(store))] == ["Oslo"]
