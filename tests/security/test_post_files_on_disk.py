"""Issue 18, finding 10 and two Lows: what is on disk decides how a post is saved.

A post that is a symlink stays one: saving writes through to the file it points to (its temp
file beside that file, its revisions under that file), and a link to nothing says so. A file
marked read-only (0444) is refused in plain words, also for root, whom the OS would let replace
it. A change by another program that keeps size and modification time (`cp -p`) is noticed by
its content: never overwritten without asking. Real files in tmp dirs, the real window.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from editor.core import atomic_file
from editor.core.post import PostFileError, SaveConflict, load_post, save_post
from editor.core.revisions import list_revisions, save_keeping_revision
from editor.gui.document.disk_changes import RELOADED
from editor.gui.main_window import MainWindow
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_opening_files import snapshot, type_at_end
from tests.scripted_prompter import ScriptedPrompter

# The window fixtures of tests/gui.
library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
no_hanging_file_questions = gui_conftest.no_hanging_file_questions
__all__ = ["library_root", "make_window", "no_hanging_file_questions", "window"]

REAL = "---\ntitle: Real\n---\n\nThe words kept in the repository.\n"


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """`posts/linked.md -> repo/real.md` (a relative link, as `ln -s` makes them)."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "posts").mkdir()
    real = tmp_path / "repo" / "real.md"
    real.write_text(REAL, encoding="utf-8")
    link = tmp_path / "posts" / "linked.md"
    link.symlink_to(Path("..") / "repo" / "real.md")
    return link, real


# -- symlinked posts ---------------------------------------------------------------------------


def test_saving_a_symlinked_post_writes_the_target_and_keeps_the_link(linked) -> None:
    link, real = linked
    target = os.readlink(link)
    saved = save_post(load_post(link).with_text(REAL + "A new line.\n"))

    assert link.is_symlink() and os.readlink(link) == target
    assert real.read_text(encoding="utf-8") == REAL + "A new line.\n"
    assert saved.path == link  # the writer still works on the name they opened
    assert save_post(saved.with_text(REAL + "Again.\n")).path == link  # no conflict with itself
    assert real.read_text(encoding="utf-8") == REAL + "Again.\n"


def test_the_temp_file_of_a_symlinked_post_is_made_beside_the_target(linked, monkeypatch) -> None:
    # Observes the rename (and lets it happen): a temp file beside the link could not be renamed
    # onto a target on another disk, and would leave the link's folder holding the new text.
    link, real = linked
    renames: list[tuple[str, str]] = []
    replace = os.replace

    def observed(source, destination):
        renames.append((os.fspath(source), os.fspath(destination)))
        replace(source, destination)

    monkeypatch.setattr(atomic_file.os, "replace", observed)
    save_post(load_post(link).with_text("Through the link.\n"))

    [(source, destination)] = renames
    assert Path(destination) == real.resolve()
    assert Path(source).parent == real.resolve().parent
    assert sorted(p.name for p in link.parent.iterdir()) == ["linked.md"]


def test_a_chain_of_links_is_followed_to_the_file(linked) -> None:
    link, real = linked
    second = link.with_name("second.md")
    second.symlink_to(link.name)
    save_post(load_post(second).with_text("Two links deep.\n"))
    assert second.is_symlink() and link.is_symlink()
    assert real.read_text(encoding="utf-8") == "Two links deep.\n"


def test_revisions_of_a_symlinked_post_are_kept_under_the_real_file(linked) -> None:
    link, real = linked
    save_keeping_revision(load_post(link).with_text("First.\n"), link)
    save_keeping_revision(load_post(real).with_text("Second.\n"), real)
    kept = [revision.read_bytes() for revision in list_revisions(link)]
    assert kept == [b"First.\n", REAL.encode("utf-8")]
    assert list_revisions(real) == list_revisions(link)


def test_a_dangling_link_says_so_on_open_and_on_save_and_creates_nothing(linked) -> None:
    link, real = linked
    post = load_post(link)
    real.unlink()
    with pytest.raises(PostFileError, match=r"“linked.md” is a link to .*real.md.*does not exist"):
        save_post(post.with_text("Lost?\n"))
    assert link.is_symlink() and not real.exists()
    assert sorted(p.name for p in real.parent.iterdir()) == []
    with pytest.raises(PostFileError, match="is a link to .* which does not exist"):
        load_post(link)


def test_the_window_saves_a_symlinked_post_through_its_link(
    qtbot, window: MainWindow, linked, prompter: ScriptedPrompter
) -> None:
    link, real = linked
    open_and_wait(qtbot, window, link)
    type_at_end(qtbot, window, "Typed in the window.")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == window.editor.toPlainText()
    assert "Typed in the window." in real.read_text(encoding="utf-8")
    assert prompter.messages == [] and not window.isWindowModified()


def test_the_window_refuses_to_save_into_a_dangling_link_and_keeps_the_text(
    qtbot, window: MainWindow, linked, prompter: ScriptedPrompter, monkeypatch
) -> None:
    link, real = linked
    open_and_wait(qtbot, window, link)
    type_at_end(qtbot, window, "Kept in the window.")
    real.unlink()
    with qtbot.waitSignal(window.document.failed, timeout=10000):
        window.menu_actions["save"].trigger()
    assert "is a link to" in prompter.messages[-1] and "does not exist" in prompter.messages[-1]
    assert "nothing was lost" in prompter.messages[-1]
    assert "Kept in the window." in window.editor.toPlainText() and window.isWindowModified()
    assert link.is_symlink() and not real.exists()


# -- read-only files -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_post_is_refused_even_for_root(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "post.md"
    path.write_text(REAL, encoding="utf-8")
    post = load_post(path)
    path.chmod(mode)
    before = snapshot(path)

    with pytest.raises(PostFileError, match="“post.md” is read-only"):
        save_post(post.with_text("Overwritten?\n"))
    with pytest.raises(PostFileError, match="read-only"):
        save_post(post.with_text("Forced?\n"), force=True)  # force is for conflicts, not this

    assert snapshot(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]  # no temp file left


def test_save_as_onto_a_read_only_file_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked.md"
    locked.write_text(REAL, encoding="utf-8")
    locked.chmod(0o444)
    with pytest.raises(PostFileError, match="read-only"):
        save_post(load_post(locked).with_text("x\n"), tmp_path / "locked.md", force=True)
    assert locked.read_text(encoding="utf-8") == REAL


def test_the_window_refuses_to_save_a_read_only_post_and_keeps_the_text(
    qtbot, window: MainWindow, library_root: Path, prompter: ScriptedPrompter
) -> None:
    path = library_root / "locked.md"
    path.write_text(REAL, encoding="utf-8")
    path.chmod(0o444)
    before = snapshot(path)
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "Not to be lost.")
    with qtbot.waitSignal(window.document.failed, timeout=10000):
        window.menu_actions["save"].trigger()
    assert len(prompter.messages) == 1
    assert "“locked.md” is read-only" in prompter.messages[0]
    assert "nothing was lost" in prompter.messages[0]
    assert snapshot(path) == before
    assert "Not to be lost." in window.editor.toPlainText() and window.isWindowModified()


# -- a change that keeps size and time ---------------------------------------------------------


def copy_keeping_size_and_time(path: Path, text: str) -> None:
    """Replace `path`'s content like `cp -p` of a file of the same size and time would."""
    other = path.with_name("backup-" + path.name)
    other.write_text(text, encoding="utf-8")
    assert other.stat().st_size == path.stat().st_size
    times = path.stat()
    os.utime(other, ns=(times.st_atime_ns, times.st_mtime_ns))
    subprocess.run(["cp", "-p", str(other), str(path)], check=True)
    other.unlink()
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (times.st_size, times.st_mtime_ns)


OTHER = REAL.replace("repository", "repositorY")  # same size


@pytest.mark.skipif(shutil.which("cp") is None, reason="needs cp -p")
def test_a_copy_keeping_size_and_time_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(REAL, encoding="utf-8")
    post = load_post(path)
    copy_keeping_size_and_time(path, OTHER)
    with pytest.raises(SaveConflict, match="changed by another program"):
        save_post(post.with_text(REAL + "Mine.\n"))
    assert path.read_text(encoding="utf-8") == OTHER


@pytest.mark.skipif(shutil.which("cp") is None, reason="needs cp -p")
def test_the_window_asks_before_overwriting_a_copy_keeping_size_and_time(
    qtbot, window: MainWindow, library_root: Path, prompter
) -> None:
    path = library_root / "post.md"
    path.write_text(REAL, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    type_at_end(qtbot, window, "Mine.")
    copy_keeping_size_and_time(path, OTHER)
    prompter.answer("File changed on disk", None)
    window.menu_actions["save"].trigger()
    qtbot.waitUntil(lambda: any("another program" in text for text in prompter.questions),
                    timeout=10000)
    assert path.read_text(encoding="utf-8") == OTHER
    assert "Mine." in window.editor.toPlainText()


@pytest.mark.skipif(shutil.which("cp") is None, reason="needs cp -p")
def test_an_unedited_post_reloads_a_copy_keeping_size_and_time(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    path = library_root / "post.md"
    path.write_text(REAL, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    with qtbot.waitSignal(window.disk_changes.message, timeout=10000) as told:
        copy_keeping_size_and_time(path, OTHER)
    assert told.args == [RELOADED]
    assert window.editor.toPlainText() == OTHER
