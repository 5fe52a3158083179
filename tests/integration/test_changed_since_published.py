"""The library tells which published posts changed since their last publish (real WordPress)."""

from __future__ import annotations

from editor.cli import main
from editor.core.library import list_posts
from editor.publish.remote_record import recorded_blog_of
from tests.integration.sample_posts import unique
from tests.integration.test_engine_wordpress import add_blog
from tests.integration.test_publish_wordpress import make_post


def changed(folder) -> dict[str, bool]:
    return {s.path.name: s.changed for s in list_posts(folder, recorded_blog_of)}


def test_a_published_post_is_marked_once_edited_and_unmarked_once_published_again(
    wordpress, memory_keyring, monkeypatch, capsys, isolated_home
) -> None:
    assert add_blog(wordpress, monkeypatch, "hinted") == 0
    folder = isolated_home / "library"
    folder.mkdir(exist_ok=True)
    path = make_post(folder, unique("Changed Since"))
    assert main(["publish", str(path), "--blog", "hinted"]) == 0
    assert changed(folder) == {path.name: False}  # its record was written: not a change

    path.write_text(path.read_text(encoding="utf-8") + "\nA later line.\n", encoding="utf-8")
    assert changed(folder) == {path.name: True}

    assert main(["publish", str(path), "--blog", "hinted"]) == 0
    capsys.readouterr()
    assert changed(folder) == {path.name: False}
