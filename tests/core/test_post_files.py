"""Post files on disk: atomic saves, conflicts with other programs, and what is not a post."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from editor.core.post import Post, PostFileError, SaveConflict, load_post, save_post

ORIGINAL = b"---\ntitle: Original\n---\nThe first version.\n"
RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(RUNNING_AS_ROOT, reason="root ignores file permissions")


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    """A post file in its own folder, holding ORIGINAL."""
    folder = tmp_path / "posts"
    folder.mkdir()
    path = folder / "post.md"
    path.write_bytes(ORIGINAL)
    return path


def bump_mtime(path: Path, seconds: int = 5) -> None:
    """Move a file's modification time on, as a later write by another program would."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def snapshot(path: Path) -> tuple[bytes, int]:
    """Return a file's bytes and modification time."""
    return path.read_bytes(), path.stat().st_mtime_ns


# --- atomic save -------------------------------------------------------------------------------


def test_save_writes_the_new_text(post_file: Path) -> None:
    post = load_post(post_file)

    saved = save_post(post.with_text("---\ntitle: New\n---\nSecond version.\n"))

    assert post_file.read_bytes() == b"---\ntitle: New\n---\nSecond version.\n"
    assert saved.path == post_file
    assert sorted(p.name for p in post_file.parent.iterdir()) == ["post.md"]


def test_save_keeps_crlf_and_bom_of_the_file(post_file: Path) -> None:
    post_file.write_bytes(b"\xef\xbb\xbf" + ORIGINAL.replace(b"\n", b"\r\n"))
    post = load_post(post_file)

    save_post(post.with_text("---\ntitle: Edited\n---\nBody\n"))

    assert post_file.read_bytes() == b"\xef\xbb\xbf---\r\ntitle: Edited\r\n---\r\nBody\r\n"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_disk_full_during_save_leaves_the_old_file_and_no_temp_files(
    post_file: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    post = load_post(post_file)
    before = snapshot(post_file)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(PostFileError, match=r"disk .* is full") as caught:
        save_post(post.with_text("---\ntitle: Lost\n---\nNever written.\n"))
    monkeypatch.undo()

    assert str(post_file.parent) in str(caught.value)
    assert snapshot(post_file) == before
    assert sorted(p.name for p in post_file.parent.iterdir()) == ["post.md"]


def test_failed_save_can_be_retried_once_the_disk_has_room(
    post_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = load_post(post_file).with_text("Retried.\n")

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(PostFileError):
        save_post(post)
    monkeypatch.undo()

    save_post(post)  # not a conflict: the file on disk never changed

    assert post_file.read_bytes() == b"Retried.\n"


def test_save_refused_by_the_folder_says_not_allowed(
    post_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = load_post(post_file)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(PostFileError, match="not allowed to write to “post.md”"):
        save_post(post.with_text("Nope.\n"))
    monkeypatch.undo()

    assert post_file.read_bytes() == ORIGINAL


@needs_permissions
def test_save_into_a_read_only_folder_raises_and_keeps_the_file(post_file: Path) -> None:
    post = load_post(post_file)
    post_file.parent.chmod(0o555)
    try:
        with pytest.raises(PostFileError, match="not allowed"):
            save_post(post.with_text("Nope.\n"))
        assert post_file.read_bytes() == ORIGINAL
        assert sorted(p.name for p in post_file.parent.iterdir()) == ["post.md"]
    finally:
        post_file.parent.chmod(0o755)


def test_save_keeps_the_file_permissions(post_file: Path) -> None:
    post_file.chmod(0o640)
    post = load_post(post_file)

    save_post(post.with_text("Private-ish.\n"))

    assert stat.S_IMODE(post_file.stat().st_mode) == 0o640


def test_new_file_gets_the_usual_permissions_not_private_ones(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        save_post(Post("Fresh.\n"), tmp_path / "fresh.md")
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE((tmp_path / "fresh.md").stat().st_mode) == 0o644


def test_save_as_writes_a_new_file_and_points_the_post_at_it(
    post_file: Path, tmp_path: Path
) -> None:
    post = load_post(post_file)
    target = tmp_path / "copy.md"

    saved = save_post(post.with_text("Copy.\n"), target)

    assert target.read_bytes() == b"Copy.\n"
    assert post_file.read_bytes() == ORIGINAL
    assert saved.path == target


def test_post_without_a_path_cannot_be_saved() -> None:
    with pytest.raises(PostFileError, match="no file yet"):
        save_post(Post("Unsaved.\n"))


# --- conflicts with other programs -------------------------------------------------------------


def test_file_changed_by_another_program_is_a_conflict(post_file: Path) -> None:
    post = load_post(post_file)
    post_file.write_bytes(b"Another program wrote this.\n")
    bump_mtime(post_file)

    with pytest.raises(SaveConflict, match="changed by another program"):
        save_post(post.with_text("Mine.\n"))

    assert post_file.read_bytes() == b"Another program wrote this.\n"


def test_same_size_change_with_new_mtime_is_a_conflict(post_file: Path) -> None:
    post = load_post(post_file)
    post_file.write_bytes(ORIGINAL.upper())  # same length, different bytes
    bump_mtime(post_file)

    with pytest.raises(SaveConflict):
        save_post(post.with_text("Mine.\n"))

    assert post_file.read_bytes() == ORIGINAL.upper()


def test_conflict_is_a_post_file_error(post_file: Path) -> None:
    assert issubclass(SaveConflict, PostFileError)


def test_force_overwrites_the_other_programs_change(post_file: Path) -> None:
    post = load_post(post_file)
    post_file.write_bytes(b"Another program wrote this.\n")
    bump_mtime(post_file)

    save_post(post.with_text("Mine wins.\n"), force=True)

    assert post_file.read_bytes() == b"Mine wins.\n"


def test_touch_with_identical_bytes_is_not_a_conflict(post_file: Path) -> None:
    post = load_post(post_file)
    bump_mtime(post_file, seconds=60)

    save_post(post.with_text("Saved after a touch.\n"))

    assert post_file.read_bytes() == b"Saved after a touch.\n"


def test_saving_twice_in_a_row_is_not_a_conflict(post_file: Path) -> None:
    post = load_post(post_file)

    first = save_post(post.with_text("One.\n"))
    second = save_post(first.with_text("Two.\n"))
    save_post(second.with_text("Three.\n"))

    assert post_file.read_bytes() == b"Three.\n"


def test_saving_the_old_post_again_after_a_save_is_a_conflict(post_file: Path) -> None:
    post = load_post(post_file)
    save_post(post.with_text("One.\n"))

    with pytest.raises(SaveConflict):
        save_post(post.with_text("Stale.\n"))

    assert post_file.read_bytes() == b"One.\n"


def test_file_deleted_by_another_program_is_written_again(post_file: Path) -> None:
    post = load_post(post_file)
    post_file.unlink()

    save_post(post.with_text("Back again.\n"))

    assert post_file.read_bytes() == b"Back again.\n"


# --- what is not a post ------------------------------------------------------------------------


def test_loading_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "notes.md"
    folder.mkdir()

    with pytest.raises(PostFileError, match="“notes.md” is a folder"):
        load_post(folder)

    assert list(folder.iterdir()) == []


def test_loading_a_binary_file_says_binary_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    before = snapshot(path)

    with pytest.raises(PostFileError, match="“image.md” looks like a binary file"):
        load_post(path)

    assert snapshot(path) == before


def test_loading_latin1_text_says_not_utf8_and_where(tmp_path: Path) -> None:
    path = tmp_path / "old.md"
    path.write_bytes("Caf\u00e9 cr\u00e8me\n".encode("latin-1"))
    before = snapshot(path)

    with pytest.raises(PostFileError, match=r"“old.md” is not UTF-8 .*position 3"):
        load_post(path)

    assert snapshot(path) == before


def test_loading_a_missing_file_says_it_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(PostFileError, match="“gone.md” does not exist"):
        load_post(tmp_path / "gone.md")

    assert not (tmp_path / "gone.md").exists()


@needs_permissions
def test_loading_an_unreadable_file_says_not_allowed(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_bytes(ORIGINAL)
    path.chmod(0o000)
    before_mtime = path.stat().st_mtime_ns
    try:
        with pytest.raises(PostFileError, match="not allowed to read “secret.md”"):
            load_post(path)
        assert path.stat().st_mtime_ns == before_mtime
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == ORIGINAL


def test_loading_a_file_the_os_refuses_says_not_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.md"
    path.write_bytes(ORIGINAL)
    before = snapshot(path)

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(PostFileError, match="not allowed to read “secret.md”"):
        load_post(path)
    monkeypatch.undo()

    assert snapshot(path) == before
