"""The drafts library: first-run welcome post, the newest-first list, new posts, where it lives."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import platformdirs
import pytest

from editor.core.library import (
    WELCOME_NAME,
    create_post,
    ensure_library,
    library_dir,
    list_posts,
)
from editor.core.post import load_post
from editor.core.settings import Settings
from editor.resource_locator import resource_path


def write_post(folder: Path, name: str, front_matter: str, mtime: float | None = None) -> Path:
    """Write a post with the given front matter lines; optionally set its modification time."""
    path = folder / name
    path.write_text(f"---\n{front_matter}---\nBody.\n", encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file under `folder` with its bytes and modification time."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- first run ---------------------------------------------------------------------------------


def test_ensure_library_creates_the_folder_with_the_welcome_post(tmp_path: Path) -> None:
    root = tmp_path / "Drafts"

    assert ensure_library(root) is True

    welcome = root / f"{WELCOME_NAME}.md"
    image = root / f"{WELCOME_NAME}.assets" / "wrong-tool.png"
    assert welcome.read_bytes() == resource_path("welcome", f"{WELCOME_NAME}.md").read_bytes()
    assert image.is_file()
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert load_post(welcome).meta().title == "Welcome to Draftpress"


def test_ensure_library_a_second_time_returns_false_and_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "Drafts"
    ensure_library(root)
    (root / f"{WELCOME_NAME}.md").write_text("I edited the welcome post.\n", encoding="utf-8")
    before = tree(root)

    assert ensure_library(root) is False

    assert tree(root) == before


def test_ensure_library_leaves_an_existing_folder_alone(tmp_path: Path) -> None:
    root = tmp_path / "Existing"
    root.mkdir()
    write_post(root, "mine.md", "title: Mine\n")

    assert ensure_library(root) is False

    assert sorted(p.name for p in root.iterdir()) == ["mine.md"]


# --- the list ----------------------------------------------------------------------------------


def test_list_posts_is_newest_first_by_date_then_by_file_name(tmp_path: Path) -> None:
    write_post(tmp_path, "old.md", "title: Old\ndate: 2023-01-01\n", mtime=3_000_000)
    write_post(tmp_path, "new.md", "title: New\ndate: 2024-06-01\n", mtime=1_000_000)
    write_post(tmp_path, "same-day-a.md", "title: Same A\ndate: 2024-03-03\n", mtime=1_000_000)
    write_post(
        tmp_path, "same-day-b.md", "title: Same B\ndate: 2024-03-03 18:00:00\n", mtime=2_000_000
    )
    write_post(tmp_path, "undated.md", "title: Undated\n", mtime=4_000_000)

    titles = [summary.title for summary in list_posts(tmp_path)]

    assert titles == ["New", "Same B", "Same A", "Old", "Undated"]


def test_saving_a_post_does_not_move_it_in_the_list(tmp_path: Path) -> None:
    write_post(tmp_path, "a.md", "title: A\ndate: 2024-03-03\n", mtime=2_000_000)
    write_post(tmp_path, "b.md", "title: B\ndate: 2024-03-03\n", mtime=1_000_000)
    before = [summary.title for summary in list_posts(tmp_path)]
    os.utime(tmp_path / "b.md", (3_000_000, 3_000_000))  # B is saved: now the newest change

    assert [summary.title for summary in list_posts(tmp_path)] == before == ["B", "A"]


def test_list_posts_shows_title_date_and_status(tmp_path: Path) -> None:
    path = write_post(tmp_path, "p.md", "title: Shown\ndate: 2024-05-06\nstatus: publish\n")

    [summary] = list_posts(tmp_path)

    assert summary.path == path
    assert (summary.title, summary.date, summary.status) == ("Shown", "2024-05-06", "publish")
    assert summary.problem == ""
    assert summary.modified == path.stat().st_mtime


def test_post_without_title_or_status_is_listed_by_file_name_as_draft(tmp_path: Path) -> None:
    (tmp_path / "plain-notes.md").write_text("No front matter.\n", encoding="utf-8")

    [summary] = list_posts(tmp_path)

    assert (summary.title, summary.date, summary.status) == ("plain-notes", "", "draft")


def test_posts_with_broken_front_matter_are_listed_with_their_problem(tmp_path: Path) -> None:
    write_post(tmp_path, "good.md", "title: Good\ndate: 2024-01-01\n")
    write_post(tmp_path, "broken-yaml.md", "title: [unclosed\n")
    write_post(tmp_path, "bad-date.md", "title: Bad date\ndate: 2024-02-30\n")

    summaries = {summary.path.name: summary for summary in list_posts(tmp_path)}

    assert set(summaries) == {"good.md", "broken-yaml.md", "bad-date.md"}
    assert summaries["good.md"].problem == ""
    assert "not valid YAML" in summaries["broken-yaml.md"].problem
    assert summaries["broken-yaml.md"].title == "broken-yaml"
    assert "cannot be read" in summaries["bad-date.md"].problem


def test_crlf_bom_utf16_and_legacy_files_are_listed_with_their_real_titles(
    tmp_path: Path,
) -> None:
    (tmp_path / "windows.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\nBody\r\n")
    (tmp_path / "cp1252.md").write_bytes(
        "---\ntitle: Caf\u00e9 \u201cnotes\u201d\n---\n".encode("cp1252")
    )
    (tmp_path / "utf16.md").write_bytes("---\ntitle: Wide \u00fc\n---\nBody\n".encode("utf-16"))

    titles = sorted(summary.title for summary in list_posts(tmp_path))

    assert titles == ["Caf\u00e9 \u201cnotes\u201d", "Wide \u00fc", "Windows"]


def test_list_posts_skips_hidden_files_folders_and_other_extensions(tmp_path: Path) -> None:
    write_post(tmp_path, "real.md", "title: Real\n")
    write_post(tmp_path, ".real.md.1234.tmp", "title: Temp\n")
    write_post(tmp_path, ".hidden.md", "title: Hidden\n")
    write_post(tmp_path, "notes.txt", "title: Text\n")
    (tmp_path / "folder.md").mkdir()

    assert [summary.title for summary in list_posts(tmp_path)] == ["Real"]


def test_list_posts_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_posts(tmp_path / "nowhere") == []


# --- new posts ---------------------------------------------------------------------------------


def test_create_post_names_the_file_by_date_and_slug(tmp_path: Path) -> None:
    path = create_post(tmp_path, "Hello, World!", dt.date(2024, 7, 8))

    assert path == tmp_path / "2024-07-08-hello-world.md"
    meta = load_post(path).meta()
    assert (meta.title, meta.slug, meta.date, meta.status) == (
        "Hello, World!",
        "hello-world",
        "2024-07-08",
        "draft",
    )


def test_second_post_with_the_same_title_gets_a_number(tmp_path: Path) -> None:
    day = dt.date(2024, 7, 8)
    first = create_post(tmp_path, "Same", day)
    first.write_text("---\ntitle: Same\n---\nKeep me.\n", encoding="utf-8")

    second = create_post(tmp_path, "Same", day)
    third = create_post(tmp_path, "Same", day)

    assert (first.name, second.name, third.name) == (
        "2024-07-08-same.md",
        "2024-07-08-same-2.md",
        "2024-07-08-same-3.md",
    )
    assert first.read_text(encoding="utf-8") == "---\ntitle: Same\n---\nKeep me.\n"


def test_create_post_makes_the_library_folder_if_needed(tmp_path: Path) -> None:
    path = create_post(tmp_path / "new" / "library", "First", dt.date(2024, 1, 1))

    assert path.is_file()


def test_create_post_defaults_to_today(tmp_path: Path) -> None:
    path = create_post(tmp_path, "Today")

    assert path.name == f"{dt.date.today().isoformat()}-today.md"


@pytest.mark.parametrize(
    "title",
    [
        'Quotes "inside" it',
        "Back\\slash and C:\\new",
        "Tab\there",
        "True",
        "1e3",
        "null",
        "Colon: yes # not a comment",
        "Ünïcode ✓",
    ],
)
def test_new_post_front_matter_reads_back_exactly(tmp_path: Path, title: str) -> None:
    path = create_post(tmp_path, title, dt.date(2024, 1, 1))

    post = load_post(path)

    assert post.front_matter_problem() is None
    meta = post.meta()
    assert meta.title == title
    assert meta.slug == path.stem.removeprefix("2024-01-01-")


# --- where the library is ----------------------------------------------------------------------


def test_library_dir_honours_draftpress_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRAFTPRESS_HOME", str(tmp_path / "from-env"))

    assert library_dir(Settings(library_dir=str(tmp_path / "from-settings"))) == (
        tmp_path / "from-env"
    )


def test_library_dir_uses_the_setting_without_draftpress_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAFTPRESS_HOME", raising=False)

    assert library_dir(Settings(library_dir=str(tmp_path / "from-settings"))) == (
        tmp_path / "from-settings"
    )


def test_library_dir_expands_a_tilde_in_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAFTPRESS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    assert library_dir(Settings(library_dir="~/Blog")) == tmp_path / "home" / "Blog"


def test_library_dir_defaults_to_documents_draftpress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRAFTPRESS_HOME", raising=False)
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))

    for settings in (None, Settings()):
        folder = library_dir(settings)
        assert folder == Path(platformdirs.user_documents_dir()) / "Draftpress"
        if sys.platform.startswith("linux"):
            assert folder == tmp_path / "Documents" / "Draftpress"
