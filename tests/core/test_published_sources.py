"""The "changed since published" hint: what a post was when published, kept in the data folder."""

from __future__ import annotations

from pathlib import Path

from editor.core.library import list_posts
from editor.core.published_sources import (
    changed_since_published,
    load_fingerprints,
    remember_published,
    store_path,
)

POST = "---\ntitle: Sea\nremote:\n  blog: CI Blog\n  id: 7\n---\nThe sea was calm.\n"


def blog_of(front_matter) -> str:
    remote = front_matter.get("remote")
    return str(remote.get("blog", "")) if isinstance(remote, dict) else ""


def test_a_post_as_published_is_unchanged_and_an_edit_is_a_change(isolated_home) -> None:
    path = isolated_home / "sea.md"
    remember_published(path, POST)
    assert store_path().is_file()  # in the data folder, not in the post
    assert changed_since_published(path, POST) is False
    assert changed_since_published(path, POST.replace("calm", "rough")) is True


def test_rewriting_only_the_record_is_not_a_change(isolated_home) -> None:
    path = isolated_home / "sea.md"
    remember_published(path, POST)
    after = POST.replace("  id: 7\n", "  id: 7\n  url: https://example.com/?p=7\n")
    assert changed_since_published(path, after) is False  # the publish writes its record
    assert changed_since_published(path, after.replace("\n", "\r\n")) is False  # line endings


def test_without_a_note_nothing_is_claimed(isolated_home, tmp_path: Path) -> None:
    path = isolated_home / "copied.md"  # copied from another computer, or the data folder lost
    assert changed_since_published(path, POST) is None
    store_path().parent.mkdir(parents=True, exist_ok=True)
    store_path().write_text("{not json", encoding="utf-8")
    assert load_fingerprints() == {}  # a damaged note file costs only the hint


def test_the_library_marks_a_published_post_edited_since(isolated_home) -> None:
    library = isolated_home / "library"
    library.mkdir()
    edited, untouched = library / "edited.md", library / "untouched.md"
    for path in (edited, untouched):
        path.write_text(POST, encoding="utf-8")
        remember_published(path, POST)
    edited.write_text(POST + "\nA new closing line.\n", encoding="utf-8")
    changed = {summary.path.name: summary.changed for summary in list_posts(library, blog_of)}
    assert changed == {"edited.md": True, "untouched.md": False}
