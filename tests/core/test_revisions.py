"""Revisions: each save keeps the version it replaces, bounded, deduplicated, outside the post."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from editor.core.post import Post, load_post
from editor.core.revisions import (
    RevisionLimits,
    describe_revisions,
    keep_revision,
    list_revisions,
    prune_revisions,
    revision_word_count,
    revisions_folder,
    save_keeping_revision,
)

DAY_NS = 86_400 * 1_000_000_000


def _save(path: Path, text: str, limits: RevisionLimits | None = None) -> None:
    """Save `text` to `path` as the window does: onto the post as last read."""
    base = load_post(path) if path.exists() else Post("", path)
    save_keeping_revision(base.with_text(text), path, limits=limits)


def test_each_save_keeps_the_replaced_version_outside_the_posts_folder(
    isolated_home: Path,
) -> None:
    post = isolated_home / "library" / "essay.md"
    post.parent.mkdir(parents=True)
    _save(post, "one\n")
    _save(post, "one two\n")
    _save(post, "one two three\n")

    infos = describe_revisions(post)
    assert [i.revision.read_text() for i in infos] == ["one two\n", "one\n"]  # newest first
    assert [revision_word_count(i.revision) for i in infos] == [2, 1]
    assert [i.size for i in infos] == [8, 4]
    folder = revisions_folder(post)
    assert folder.is_relative_to(isolated_home / "data")
    assert not folder.is_relative_to(post.parent)
    assert sorted(p.name for p in post.parent.iterdir()) == ["essay.md"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert post.read_text(encoding="utf-8") == "one two three\n"


def test_snapshot_keeps_exact_bytes_and_the_versions_time(tmp_path: Path) -> None:
    post = tmp_path / "crlf.md"
    post.write_bytes(b"\xef\xbb\xbfline one\r\nline two\r\n")
    os.utime(post, ns=(1_700_000_000 * 10**9, 1_700_000_000 * 10**9))
    loaded = load_post(post)

    save_keeping_revision(loaded.with_text("new\n"), post)

    [revision] = list_revisions(post)
    assert revision.read_bytes() == b"\xef\xbb\xbfline one\r\nline two\r\n"
    assert revision.read_text() == "line one\nline two\n"
    assert revision.written_at.timestamp() == 1_700_000_000


def test_a_legacy_encoded_version_reads_back_in_its_encoding(tmp_path: Path) -> None:
    post = tmp_path / "legacy.md"
    post.write_bytes(
        "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \u00e0 la fran\u00e7aise\n".encode("cp1252")
    )
    loaded = load_post(post, "cp1252")

    save_keeping_revision(loaded.with_text("new\n"), post)

    [revision] = list_revisions(post)
    assert (
        revision.read_text() == "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \u00e0 la fran\u00e7aise\n"
    )


def test_saving_the_same_bytes_again_keeps_nothing(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    _save(post, "same\n")
    _save(post, "same\n")
    _save(post, "same\n")

    assert list_revisions(post) == []


def test_consecutive_identical_snapshots_are_stored_once(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    assert keep_revision(post, b"version A", now_ns=1 * DAY_NS) is not None
    assert keep_revision(post, b"version A", now_ns=2 * DAY_NS) is None
    assert keep_revision(post, b"version B", now_ns=3 * DAY_NS) is not None
    assert keep_revision(post, b"version A", now_ns=4 * DAY_NS) is not None  # not consecutive

    assert [r.read_bytes() for r in list_revisions(post)] == [
        b"version A",
        b"version B",
        b"version A",
    ]


def test_count_limit_prunes_the_oldest(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    limits = RevisionLimits(max_count=3, max_age_days=1000)
    for number in range(6):
        keep_revision(post, f"v{number}".encode(), limits=limits, now_ns=(number + 1) * DAY_NS)

    assert [r.read_bytes() for r in list_revisions(post)] == [b"v5", b"v4", b"v3"]


def test_age_limit_prunes_old_ones_but_always_keeps_the_newest(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    limits = RevisionLimits(max_count=50, max_age_days=90)
    keep_revision(post, b"ancient", limits=limits, now_ns=1 * DAY_NS)
    keep_revision(post, b"old", limits=limits, now_ns=5 * DAY_NS)
    # 200 days later: both are past the limit, but the newest is kept whatever its age.
    keep_revision(post, b"recent", limits=limits, now_ns=200 * DAY_NS)
    assert [r.read_bytes() for r in list_revisions(post)] == [b"recent"]

    prune_revisions(post, limits, now_ns=1000 * DAY_NS)
    assert [r.read_bytes() for r in list_revisions(post)] == [b"recent"]


def test_posts_with_the_same_name_in_different_folders_do_not_mix(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "post.md", tmp_path / "b" / "post.md"
    keep_revision(first, b"first")
    keep_revision(second, b"second")

    assert [r.read_bytes() for r in list_revisions(first)] == [b"first"]
    assert [r.read_bytes() for r in list_revisions(second)] == [b"second"]


def test_a_revision_that_cannot_be_kept_does_not_stop_the_save(tmp_path: Path, isolated_home):
    post = tmp_path / "p.md"
    _save(post, "first\n")
    (isolated_home / "data").write_text("a file where the data folder should be")

    _save(post, "second\n")

    assert post.read_text(encoding="utf-8") == "second\n"
