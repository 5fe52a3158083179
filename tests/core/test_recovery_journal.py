"""The recovery journal: atomic private entries, claimed only from processes that are gone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from editor.core import atomic_file
from editor.core.post import load_post
from editor.core.recovery_journal import (
    JournalSession,
    RecoveredWork,
    compare_with_disk,
    recovery_dir,
)


def test_journal_lives_in_the_data_dir_override(isolated_home: Path) -> None:
    session = JournalSession()

    assert recovery_dir() == isolated_home / "data" / "recovery"
    assert session.folder.parent == recovery_dir()
    session.close()


def test_entry_keeps_text_path_fingerprint_and_encoding_metadata(tmp_path: Path) -> None:
    post_file = tmp_path / "post.md"
    post_file.write_bytes(b"---\r\ntitle: A\r\n---\r\nOld text\r\n")
    post = load_post(post_file)
    session = JournalSession()

    entry = session.write(
        "doc1", post.text + "new words", post.path, post.fingerprint, newline="\r\n", bom=False
    )

    [read] = session.entries()
    assert read.text == post.text + "new words"
    assert read.path == post_file
    assert read.base_fingerprint == post.fingerprint
    assert (read.newline, read.bom, read.encoding) == ("\r\n", False, "utf-8")
    assert read.pid == os.getpid() and read.session_id == session.session_id
    assert read.created and read.updated and read == entry
    assert post_file.read_bytes() == b"---\r\ntitle: A\r\n---\r\nOld text\r\n"  # untouched
    session.close()


def test_entries_and_folders_are_private() -> None:
    session = JournalSession()
    entry = session.write("doc", "secret draft", None, None)

    assert stat.S_IMODE(entry.file.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(session.root.stat().st_mode) == 0o700
    session.write("doc", "secret draft, longer", None, None)
    assert stat.S_IMODE(entry.file.stat().st_mode) == 0o600
    session.close()


def test_interrupted_journal_write_leaves_the_previous_entry(monkeypatch) -> None:
    # A fake: a crash between writing the temp file and renaming it cannot be timed for real,
    # so the rename (os.replace, the OS boundary) fails as a killed process would leave it.
    session = JournalSession()
    session.write("doc", "first version", None, None)

    def crash_before_rename(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic_file.os, "replace", crash_before_rename)
    with pytest.raises(OSError):
        session.write("doc", "second version, never complete", None, None)
    monkeypatch.undo()

    [entry] = session.entries()
    assert entry.text == "first version"
    assert [p.name for p in session.folder.iterdir() if p.suffix == ".tmp"] == []
    session.close()


def test_clean_close_leaves_nothing_and_remove_drops_an_entry() -> None:
    session = JournalSession()
    session.write("a", "text a", None, None)
    session.write("b", "text b", None, None)
    session.remove("a")
    assert [e.entry_id for e in session.entries()] == ["b"]
    session.remove("b")

    session.close()

    assert not session.folder.exists()


def test_close_with_unsaved_work_keeps_it_for_recovery() -> None:
    session = JournalSession()
    session.write("a", "unsaved", None, None)
    session.close()

    work = RecoveredWork()
    [entry] = work.scan()
    assert entry.text == "unsaved"
    work.release()


def test_live_sessions_are_not_claimed_dead_ones_are(tmp_path: Path) -> None:
    # A live session in another process holds its lock: its entries must not be offered.
    script = textwrap.dedent(
        """
        import sys
        from editor.core.recovery_journal import JournalSession
        session = JournalSession()
        session.write("x", "typed in the other window", None, None)
        print(session.folder, flush=True)
        sys.stdin.readline()
        """
    )
    other = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )
    try:
        folder = Path(other.stdout.readline().strip())
        assert folder.is_dir()
        own = JournalSession()
        assert RecoveredWork(own_session=own).scan() == []
        own.close()
    finally:
        other.kill()  # dies without cleaning up, like a crash
        other.wait()

    work = RecoveredWork()
    [entry] = work.scan()
    assert entry.text == "typed in the other window"
    # Claimed: a second instance starting now does not offer the same entries.
    assert RecoveredWork().scan() == []
    work.release()
    assert RecoveredWork().scan()[0].text == "typed in the other window"


def test_dead_session_without_entries_is_cleaned_up() -> None:
    session = JournalSession()
    folder = session.folder
    session._lock.release()  # as if the process died with nothing unsaved

    assert RecoveredWork().scan() == []
    assert not folder.exists()


def test_unreadable_entry_is_kept_not_deleted() -> None:
    session = JournalSession()
    session.write("good", "good text", None, None)
    broken = session.entry_file("broken")
    broken.write_text("{not json", encoding="utf-8")
    session._lock.release()

    work = RecoveredWork()
    assert [e.text for e in work.scan()] == ["good text"]
    work.release()
    assert broken.exists()


def test_discard_removes_the_entry_and_the_empty_session_goes(tmp_path: Path) -> None:
    session = JournalSession()
    session.write("a", "text", None, None)
    session._lock.release()
    work = RecoveredWork()
    [entry] = work.scan()

    work.discard(entry)
    work.release()

    assert not session.folder.exists()


def test_compare_with_disk_tells_what_changed(tmp_path: Path) -> None:
    post_file = tmp_path / "p.md"
    post_file.write_text("on disk\n", encoding="utf-8")
    post = load_post(post_file)
    session = JournalSession()
    entry = session.write("a", "on disk\nplus typing\n", post_file, post.fingerprint)

    same = compare_with_disk(entry)
    assert same.disk_text == "on disk\n" and not same.changed_since

    post_file.write_text("changed by git\n", encoding="utf-8")
    assert compare_with_disk(entry).changed_since

    post_file.unlink()
    gone = compare_with_disk(entry)
    assert gone.disk_text is None and "no longer exists" in gone.problem
    untitled = session.write("b", "never saved", None, None)
    assert compare_with_disk(untitled).disk_text is None
    session.close()


def test_compare_with_disk_reads_a_legacy_file_in_its_own_encoding(tmp_path: Path) -> None:
    post_file = tmp_path / "legacy.md"
    post_file.write_bytes("Caf\u00e9 cr\u00e8me\n".encode("cp1252"))
    post = load_post(post_file, "cp1252")
    session = JournalSession()
    session.write("a", post.text + "more\n", post_file, post.fingerprint, encoding=post.encoding)

    [read] = session.entries()
    compared = compare_with_disk(read)
    assert read.encoding == "cp1252"
    assert compared.disk_text == "Caf\u00e9 cr\u00e8me\n" and not compared.problem
    session.close()


def test_an_entry_holding_what_its_file_holds_is_not_offered(tmp_path: Path) -> None:
    same_file, changed_file = tmp_path / "same.md", tmp_path / "changed.md"
    same_file.write_text("saved text\n", encoding="utf-8")
    changed_file.write_text("old text\n", encoding="utf-8")
    session = JournalSession()
    same = load_post(same_file)
    session.write("same", "saved text\n", same_file, same.fingerprint)  # e.g. saved after
    session.write("changed", "new text\n", changed_file, load_post(changed_file).fingerprint)
    session.write("untitled", "never saved\n", None, None)
    session.close()

    work = RecoveredWork()
    offered = work.scan()
    assert sorted(entry.text for entry in offered) == ["never saved\n", "new text\n"]
    assert same_file.read_text(encoding="utf-8") == "saved text\n"
    work.release()
    again = RecoveredWork()
    assert len(again.scan()) == 2  # the identical one is gone for good, not hidden
    again.release()


def test_a_long_text_is_encoded_in_slices_to_the_bytes_of_one_json_dump(monkeypatch) -> None:
    # The entry's text is encoded a slice at a time (one json.dumps of a 1 MB text held the
    # interpreter lock beside the window's GUI thread for 5 ms); the file is byte for byte
    # what one dump of the whole entry gives, and reads back as the text.
    import json

    from editor.core import recovery_journal

    monkeypatch.setattr(recovery_journal, "TEXT_CHUNK_CHARS", 7)  # slices split escapes' runs
    text = 'Quotes " and \\ back\nslash\t\u2028 tabs, é and 🚂\x00\x1f end' * 40
    encoded: list[int] = []  # the longest string in each json.dumps call
    dumps = json.dumps

    def counted(value, **options):  # noqa: ANN001, ANN202
        strings = value.values() if isinstance(value, dict) else [value]
        encoded.append(max((len(v) for v in strings if isinstance(v, str)), default=0))
        return dumps(value, **options)

    monkeypatch.setattr(recovery_journal.json, "dumps", counted)
    session = JournalSession()
    entry = session.write("doc1", text, None, None)
    monkeypatch.setattr(recovery_journal.json, "dumps", dumps)
    assert encoded and max(encoded) < 100 < len(text)  # slices only (ids are shorter)
    stored = entry.file.read_bytes()
    fields = {
        "format": recovery_journal.FORMAT_VERSION,
        "entry_id": "doc1",
        "path": None,
        "base_fingerprint": None,
        "newline": "\n",
        "bom": False,
        "encoding": "utf-8",
        "created": entry.created,
        "updated": entry.updated,
        "session_id": session.session_id,
        "pid": os.getpid(),
        "text": text,
    }
    assert stored == json.dumps(fields, ensure_ascii=False, indent=1).encode("utf-8")
    [read] = session.entries()
    assert read.text == text
    session.close()
