"""Issue 18, finding 13: a long title in a script of 3- or 4-byte characters still gives a post.

12 x "日本語のタイトル" made a 254-byte file name (the 255-byte limit left no room for the save's
temp file: every save failed with "File name too long"), and a title of 4-byte characters broke
Open from Blog (Errno 36). File names are capped at 200 UTF-8 bytes, date, collision number and
extension included, and cut between characters; the slug sent to the blog is unchanged. Real
files in tmp dirs, the real window, the real CLI against the real WordPress.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtWidgets import QInputDialog

from editor.cli import main
from editor.core.image_assets import ImageOptions, store_image
from editor.core.library import MAX_FILE_NAME_BYTES, create_post, new_post_path
from editor.core.post import load_post, meta_from_text, save_post
from editor.core.slug import cut_to_bytes, slugify
from editor.gui.main_window import MainWindow
from tests.gui import conftest as gui_conftest
from tests.integration.sample_posts import unique

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
no_hanging_file_questions = gui_conftest.no_hanging_file_questions
__all__ = ["library_root", "make_window", "no_hanging_file_questions", "window"]

DAY = dt.date(2026, 5, 4)
JAPANESE = "日本語のタイトル" * 12  # 3 bytes a character: the review's title
FOUR_BYTE = "𠮷野家𩸽𠀋𡈽𡌛𡑮𡢽𠮟" * 12  # CJK extension B: 4 bytes a character (mostly)
TITLES = {
    "japanese": JAPANESE,
    "four-byte": FOUR_BYTE,
    "devanagari": "नमस्ते दुनिया " * 20,  # combining vowel signs: never cut off their letter
    "mixed": "Ünïcödé 한국어 블로그 🚂 " * 12,
    "ascii": "A very long title about trains " * 10,
}


def utf8_size(name: str) -> int:
    return len(name.encode("utf-8"))


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_a_new_posts_file_name_fits_200_bytes_and_the_post_saves(
    tmp_path: Path, title: str
) -> None:
    path = create_post(tmp_path, title, DAY)
    assert utf8_size(path.name) <= MAX_FILE_NAME_BYTES
    assert path.name.startswith("2026-05-04-") and path.suffix == ".md"
    post = load_post(path)
    assert meta_from_text(post.text).title == title  # the title itself is whole
    assert meta_from_text(post.text).slug == slugify(title)  # the blog's slug is unchanged
    saved = save_post(post.with_text(post.text + "Some words.\n"))
    save_post(saved.with_text(saved.text + "More words.\n"))
    assert path.read_text(encoding="utf-8").endswith("Some words.\nMore words.\n")


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_the_cut_falls_between_characters_and_keeps_marks_with_their_letter(title: str) -> None:
    stem = new_post_path(Path("/nonexistent"), title, DAY).stem.removeprefix("2026-05-04-")
    assert slugify(title).startswith(stem)
    following = slugify(title)[len(stem) : len(stem) + 1]
    assert not following or not unicodedata.category(following).startswith("M")
    assert not stem.endswith("-")


def test_posts_with_the_same_long_title_get_numbered_names_within_the_cap(tmp_path: Path) -> None:
    paths = [create_post(tmp_path, JAPANESE, DAY) for _ in range(12)]
    assert len(set(paths)) == 12
    assert paths[1].stem.endswith("-2") and paths[11].stem.endswith("-12")
    assert all(utf8_size(p.name) <= MAX_FILE_NAME_BYTES for p in paths)


def test_a_post_whose_name_already_fills_255_bytes_can_be_saved(tmp_path: Path) -> None:
    # Made by an older version or another tool: the temp file's name must still fit.
    path = tmp_path / ("2026-05-04-" + "日本語のタイトル" * 10 + ".md")
    assert utf8_size(path.name) == 254
    path.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    save_post(load_post(path).with_text("---\ntitle: x\n---\n\nSaved.\n"))
    assert path.read_text(encoding="utf-8").endswith("Saved.\n")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_an_image_with_a_long_name_in_four_byte_characters_is_stored(tmp_path: Path) -> None:
    post = create_post(tmp_path, "Trip", DAY)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "PNG")
    stored = store_image(out.getvalue(), FOUR_BYTE + ".png", post, ImageOptions())
    assert stored.path.is_file() and utf8_size(stored.path.name) <= 200


@given(st.text(max_size=300), st.integers(min_value=0, max_value=300))
def test_cut_to_bytes_gives_a_prefix_within_the_limit(text: str, limit: int) -> None:
    cut = cut_to_bytes(text, limit)
    assert text.startswith(cut)
    assert len(cut.encode("utf-8", errors="surrogateescape")) <= limit


# -- the window ------------------------------------------------------------------------------


def test_the_window_makes_and_saves_a_post_with_the_long_japanese_title(
    qtbot, window: MainWindow, library_root: Path, monkeypatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (JAPANESE, True))
    with qtbot.waitSignal(window.document.opened, timeout=10000):
        window.menu_actions["new"].trigger()
    path = window.document.post.path
    assert path.parent == library_root and utf8_size(path.name) <= MAX_FILE_NAME_BYTES
    window.editor.textCursor().insertText("本文です。\n")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert "本文です。" in path.read_text(encoding="utf-8")


# -- Open from Blog, against the real WordPress ------------------------------------------------


@pytest.fixture
def cli_account(wordpress, memory_keyring, monkeypatch) -> None:
    """The account `myblog` on the real WordPress, added through the real CLI."""
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.admin_app_password + "\n"))
    args = ["blogs", "add", "myblog", "--url", wordpress.url, "--user", wordpress.admin_user]
    assert main([*args, "--output", "blocks", "--password-stdin"]) == 0


def pull(post_id: int, folder: Path, capsys) -> Path:
    """Run `draftpress pull ID --into folder --new` and return the file it wrote."""
    assert main(["pull", str(post_id), "--into", str(folder), "--new"]) == 0
    return Path(capsys.readouterr().out.strip())


@pytest.mark.parametrize("status", ["draft", "publish"])
def test_open_from_blog_of_a_post_with_a_long_four_byte_title_gives_a_post_that_saves(
    wordpress, cli_account, tmp_path: Path, capsys, status: str
) -> None:
    # A draft has no slug on WordPress (the file is named after the title); a published post
    # has one, percent-encoded by WordPress: the file name shows it in its own script.
    title = unique(FOUR_BYTE)
    created = wordpress.request(
        "POST", "wp/v2/posts", json={"title": title, "content": "本文", "status": status}
    ).json()
    assert (created["slug"] == "") == (status == "draft")
    path = pull(created["id"], tmp_path / "pulled", capsys)
    assert path.is_file() and utf8_size(path.name) <= MAX_FILE_NAME_BYTES
    assert "𠮷野家" in path.name  # named in the title's own script, never %f0%a0%ae…
    post = load_post(path)
    assert meta_from_text(post.text).title == title
    save_post(post.with_text(post.text + "\nEdited offline.\n"))
    assert path.read_text(encoding="utf-8").endswith("Edited offline.\n")
