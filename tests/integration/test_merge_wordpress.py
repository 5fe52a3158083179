"""Merging the blog's edits into a pulled post, against the real WordPress (the CLI's --merge).

A post written in WordPress (paragraphs and a Buttons block, which stays a raw island) is
pulled into the library, edited on both sides, and merged; the merged post is then published.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from editor.cli import main
from editor.core.post import load_post
from editor.core.revisions import list_revisions
from editor.publish.account_client import client_for_account
from editor.publish.accounts import find_account, read_password
from editor.publish.pull import pull_into_library
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.sample_posts import unique
from tests.integration.test_cli_publish import add_blog

# The window fixtures of tests/gui, next to WordPress.
library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]

PARAGRAPHS = [f"Paragraph {n} of a post written in WordPress." for n in range(1, 9)]
BUTTONS = (
    '<!-- wp:buttons -->\n<div class="wp-block-buttons"><!-- wp:button -->\n'
    '<div class="wp-block-button"><a class="wp-block-button__link wp-element-button" '
    'href="https://example.org/more">Read more</a></div>\n<!-- /wp:button --></div>\n'
    "<!-- /wp:buttons -->"
)


def paragraph(text: str) -> str:
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"


def content(texts: list[str]) -> str:
    blocks = [paragraph(text) for text in texts]
    blocks.insert(4, BUTTONS)
    return "\n\n".join(blocks)


def edited(number: int, new: str, texts: list[str] = PARAGRAPHS) -> list[str]:
    return [new if i == number - 1 else text for i, text in enumerate(texts)]


def pulled_post(wordpress, monkeypatch, folder: Path) -> tuple[int, Path]:
    """Write a post in WordPress, then pull it into the library `folder` as the blog "local"."""
    add_blog(wordpress, monkeypatch)
    created = wordpress.request(
        "POST",
        "wp/v2/posts",
        json={"title": unique("Merge"), "content": content(PARAGRAPHS), "status": "publish"},
    ).json()
    account = find_account("local")
    with client_for_account(account, read_password(account)) as client:
        server_post = client.get_post(int(created["id"]))
        path = pull_into_library(client, server_post, folder, "local")
    return int(created["id"]), path


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_blog_and_local_edits_of_different_paragraphs_merge_and_publish_only_the_local_edit(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    post_id, path = pulled_post(wordpress, monkeypatch, tmp_path / "pulled")
    posts = wordpress.count_posts()
    edit_file(path, PARAGRAPHS[6], "Paragraph 7, rewritten in Draftpress.")
    on_blog = content(edited(2, "Paragraph 2, <em>fixed</em> on the blog."))
    server = wordpress.edit_post_on_server(post_id, on_blog)
    assert server["content"]["raw"] == on_blog

    assert main(["publish", str(path)]) == 3
    refused = capsys.readouterr().err
    assert "changed on the blog" in refused and "--merge" in refused and "--overwrite" in refused
    assert wordpress.get_post_raw(post_id)["content"]["raw"] == on_blog

    assert main(["publish", str(path), "--merge"]) == 0
    said = capsys.readouterr().out
    assert "Merged 1 change from the blog, 1 change of yours." in said
    assert "nothing was published" in said
    merged = load_post(path).text
    assert "Paragraph 2, *fixed* on the blog." in merged
    assert "Paragraph 7, rewritten in Draftpress." in merged
    assert BUTTONS in merged  # the island is still the blog's markup
    assert PARAGRAPHS[1] not in merged and PARAGRAPHS[6] not in merged
    assert len(list_revisions(path)) == 1  # the version before the merge is kept
    after_merge = wordpress.get_post_raw(post_id)
    assert after_merge["modified_gmt"] == server["modified_gmt"]  # nothing was sent

    assert main(["publish", str(path)]) == 0
    capsys.readouterr()
    stored = wordpress.get_post_raw(post_id)["content"]["raw"]
    # Every block is the blog's own markup, byte for byte, but the one edited here.
    assert stored == on_blog.replace(PARAGRAPHS[6], "Paragraph 7, rewritten in Draftpress.")
    assert wordpress.count_posts() == posts


def test_edits_of_the_same_paragraph_on_both_sides_are_listed_and_the_file_is_untouched(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    post_id, path = pulled_post(wordpress, monkeypatch, tmp_path / "pulled")
    edit_file(path, PARAGRAPHS[3], "Paragraph 4 as I wrote it.")
    before = path.read_bytes()
    on_blog = content(edited(4, "Paragraph 4 as the blog has it."))
    wordpress.edit_post_on_server(post_id, on_blog)

    assert main(["publish", str(path), "--merge"]) == 5
    said = capsys.readouterr().err
    assert "Conflict 1:" in said
    assert "-Paragraph 4 as I wrote it." in said and "+Paragraph 4 as the blog has it." in said
    assert "Your file is unchanged" in said
    assert path.read_bytes() == before
    assert wordpress.get_post_raw(post_id)["content"]["raw"] == on_blog


def test_merging_in_the_window_then_publishing_sends_only_the_writers_edit(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    post_id, path = pulled_post(wordpress, monkeypatch, library_root)
    window = make_window()
    open_and_wait(qtbot, window, path)
    mine = window.editor.toPlainText().replace(PARAGRAPHS[6], "Paragraph 7, typed in the window.")
    window.editor.replace_all_text(mine)
    on_blog = content(edited(2, "Paragraph 2, fixed on the blog."))
    wordpress.edit_post_on_server(post_id, on_blog)

    window.menu_actions["publish"].trigger()  # saves, then finds the blog's changes
    qtbot.waitUntil(lambda: window.publishing.conflict_dialog is not None, timeout=60000)
    dialog = window.publishing.conflict_dialog
    assert dialog.cancel_button.isDefault() and dialog.merge_button.isEnabled()
    with qtbot.waitSignal(window.publishing.finished, timeout=60000) as ended:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert ended.args == ["merged"]
    assert wordpress.get_post_raw(post_id)["content"]["raw"] == on_blog  # nothing sent yet
    assert "Paragraph 2, fixed on the blog." in window.editor.toPlainText()

    publish_and_wait(qtbot, window, "published", timeout=60000)

    stored = wordpress.get_post_raw(post_id)["content"]["raw"]
    assert stored == on_blog.replace(PARAGRAPHS[6], "Paragraph 7, typed in the window.")
