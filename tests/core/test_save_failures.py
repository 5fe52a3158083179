"""Saves the disk refuses or that are cut short leave the old file whole and no temp files.

Where the real thing can be made here it is used: a SIGKILLed process, a real 64 KB tmpfs
(mounting needs root), immutable files and folders (chattr; root ignores permission bits).
Where it cannot (a network drive vanishing, ENOSPC without a mount), the error is injected at
the OS boundary, and each test says why.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core import atomic_file
from editor.core.atomic_file import STALE_TEMP_SECONDS
from editor.core.post import PostFileError, load_post, save_post

ORIGINAL = b"---\ntitle: Original\n---\n\nThe words already on disk.\n"
REPO_ROOT = Path(__file__).resolve().parents[2]


def snapshot(path: Path) -> tuple[bytes, int]:
    """Return a file's bytes and mtime."""
    return path.read_bytes(), path.stat().st_mtime_ns


def temp_files(folder: Path) -> list[str]:
    """Return the names of temp files beside the posts in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    path = tmp_path / "post.md"
    path.write_bytes(ORIGINAL)
    return path


def test_a_save_killed_between_write_and_rename_leaves_the_original(post_file: Path) -> None:
    # A real process really dies at that point: os.replace is swapped for SIGKILL in the child,
    # the only way to stop a real save exactly between the fsync and the rename.
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from editor.core import atomic_file
        from editor.core.post import load_post, save_post
        atomic_file.os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        post = load_post(Path({str(post_file)!r}))
        save_post(post.with_text("---\\ntitle: New\\n---\\n\\nNever renamed.\\n"))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, timeout=60)
    assert result.returncode == -signal.SIGKILL

    assert post_file.read_bytes() == ORIGINAL
    leftovers = temp_files(post_file.parent)
    assert len(leftovers) == 1  # the dead process could not clean up; the next save does
    stale = post_file.parent / leftovers[0]
    assert b"Never renamed." in stale.read_bytes()
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))

    save_post(load_post(post_file).with_text("Saved after the crash.\n"))
    assert post_file.read_bytes() == b"Saved after the crash.\n"
    assert temp_files(post_file.parent) == []


def test_a_fresh_temp_file_of_another_save_is_left_alone(post_file: Path) -> None:
    in_use = post_file.parent / ".post.md.0123abcd.tmp"
    in_use.write_bytes(b"another save writing right now")
    save_post(load_post(post_file).with_text("Mine.\n"))
    assert in_use.exists()


@pytest.mark.parametrize(
    ("failing", "error", "phrase"),
    [
        ("fsync", errno.EIO, "stopped answering"),  # a network drive gone while writing
        ("replace", errno.ENOENT, "no longer exists"),  # its folder gone before the rename
        ("replace", errno.EIO, "stopped answering"),
    ],
)
def test_a_vanishing_network_drive_leaves_the_original_and_no_temp_files(
    post_file: Path, monkeypatch: pytest.MonkeyPatch, failing: str, error: int, phrase: str
) -> None:
    # A network share cannot be unplugged in a test: the OS's answer is injected instead.
    post = load_post(post_file)
    before = snapshot(post_file)

    def drive_gone(*_args: object, **_kwargs: object) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(atomic_file.os, failing, drive_gone)
    with pytest.raises(PostFileError, match=phrase):
        save_post(post.with_text("Lost on the way.\n"))
    monkeypatch.undo()

    assert snapshot(post_file) == before
    assert temp_files(post_file.parent) == []


def test_enospc_from_the_write_itself_leaves_the_original_and_no_temp_files(
    post_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Injected at the file's write: this always runs, with or without a tiny filesystem.
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle) -> None:
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_file.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    before = snapshot(post_file)
    with pytest.raises(PostFileError, match="is full"):
        save_post(load_post(post_file).with_text("Too much.\n"))
    monkeypatch.undo()
    assert snapshot(post_file) == before
    assert temp_files(post_file.parent) == []


def _can_mount_tmpfs() -> bool:
    """Tell whether this process may mount a tmpfs (root with mount permission)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KB tmpfs, mounted for the test and unmounted after."""
    if not _can_mount_tmpfs():
        pytest.skip("mounting a tiny tmpfs needs root (the injected ENOSPC test still runs)")
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        timeout=30,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], timeout=30, check=False)


def fill_disk(folder: Path) -> None:
    """Fill the filesystem holding `folder` to the last byte."""
    with open(folder / "filler.bin", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"x" * 1024)
        except OSError as error:
            assert error.errno == errno.ENOSPC


def test_a_real_full_disk_refuses_the_save_and_keeps_the_original(tiny_disk: Path) -> None:
    path = tiny_disk / "post.md"
    path.write_bytes(ORIGINAL)
    post = load_post(path)
    fill_disk(tiny_disk)
    before = snapshot(path)

    with pytest.raises(PostFileError, match="is full"):
        save_post(post.with_text(post.text + "More words than the disk can take.\n" * 200))

    assert snapshot(path) == before
    assert temp_files(tiny_disk) == []
    (tiny_disk / "filler.bin").unlink()
    save_post(post.with_text("Room again.\n"))
    assert path.read_bytes() == b"Room again.\n"


def chattr(path: Path, flag: str) -> None:
    """Set or clear a file attribute, or skip when this filesystem or user cannot."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    result = subprocess.run(["chattr", flag, str(path)], capture_output=True, timeout=30)
    if result.returncode != 0:
        pytest.skip(f"chattr {flag} is not possible here: {result.stderr.decode().strip()}")


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths made immutable during the test (root ignores permission bits, not this)."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True, timeout=30, check=False)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_a_read_only_file_or_folder_refuses_the_save_and_keeps_the_original(
    post_file: Path, immutable: list[Path], locked: str
) -> None:
    target = post_file if locked == "file" else post_file.parent
    post = load_post(post_file)
    chattr(target, "+i")
    immutable.append(target)
    before = snapshot(post_file)

    with pytest.raises(PostFileError, match="not allowed"):
        save_post(post.with_text("Refused.\n"))

    assert snapshot(post_file) == before
    assert temp_files(post_file.parent) == []


def test_a_save_into_a_deleted_folder_says_the_folder_is_gone(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = folder / "post.md"
    path.write_bytes(ORIGINAL)
    post = load_post(path)
    shutil.rmtree(folder)
    with pytest.raises(PostFileError, match="no longer exists"):
        save_post(post.with_text("Where did it go?\n"))
    assert not folder.exists()
