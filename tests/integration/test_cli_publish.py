"""`draftpress blogs …` and `draftpress publish …` against the real WordPress."""

from __future__ import annotations

import io
import json

from editor.cli import main
from editor.core.post import load_post
from editor.publish.remote_record import read_remote_record
from tests.integration.sample_posts import unique
from tests.integration.test_publish_wordpress import make_post


def add_blog(wordpress, monkeypatch, name: str = "local") -> int:
    """Run `draftpress blogs add` with the password on stdin."""
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.admin_app_password + "\n"))
    return main(
        [
            "blogs",
            "add",
            name,
            "--url",
            wordpress.url,
            "--user",
            wordpress.admin_user,
            "--password-stdin",
        ]
    )


def test_blogs_add_list_test_remove(
    wordpress, memory_keyring, monkeypatch, capsys, isolated_home
) -> None:
    assert add_blog(wordpress, monkeypatch) == 0
    assert main(["blogs", "list"]) == 0
    assert f"local\twordpress\t{wordpress.url}\t{wordpress.admin_user}" in capsys.readouterr().out
    assert main(["blogs", "test", "local"]) == 0
    report = capsys.readouterr().out
    assert "Logged in as" in report and "Publish posts: yes" in report
    config = (isolated_home / "config" / "accounts.json").read_text(encoding="utf-8")
    assert wordpress.admin_app_password not in config
    assert json.loads(config)["accounts"][0]["name"] == "local"
    assert main(["blogs", "remove", "local"]) == 0
    assert memory_keyring.store == {}


def test_blogs_test_with_a_wrong_password_says_so(
    wordpress, memory_keyring, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong password here\n"))
    main(
        [
            "blogs",
            "add",
            "bad",
            "--url",
            wordpress.url,
            "--user",
            wordpress.admin_user,
            "--password-stdin",
        ]
    )
    assert main(["blogs", "test", "bad"]) == 1
    error = capsys.readouterr().err
    assert "application password" in error and "wrong password here" not in error


def test_publish_command_creates_then_updates_the_same_post(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    add_blog(wordpress, monkeypatch)
    path = make_post(tmp_path, unique("From the CLI"))
    posts = wordpress.count_posts()
    assert main(["publish", str(path), "--blog", "local", "--status", "draft"]) == 0
    assert "Draft: http" in capsys.readouterr().out
    first = read_remote_record(load_post(path).text, "local")
    assert first.id and wordpress.count_posts() == posts + 1
    path.write_text(path.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    assert main(["publish", str(path), "--blog", "local"]) == 0
    assert read_remote_record(load_post(path).text, "local").id == first.id
    assert wordpress.count_posts() == posts + 1


def test_publish_command_reads_and_writes_back_a_legacy_encoded_file(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    add_blog(wordpress, monkeypatch)
    title = unique("Caf\u00e9 cr\u00e8me")
    path = tmp_path / "legacy.md"
    path.write_bytes(f"---\ntitle: {title}\n---\nD\u00e9j\u00e0 vu.\n".encode("cp1252"))

    assert main(["publish", str(path), "--blog", "local", "--status", "draft"]) == 1
    assert "--encoding cp1252" in capsys.readouterr().err
    assert main(["publish", str(path), "--blog", "local", "--encoding", "cp1252"]) == 0
    written = path.read_bytes()
    assert "D\u00e9j\u00e0 vu.".encode("cp1252") in written  # still Windows-1252 on disk
    record = read_remote_record(load_post(path, "cp1252").text, "local")
    assert record.id and wordpress.get_post_raw(record.id)["title"]["raw"] == title
