"""Blog > Open from Blog… on a real WordPress: every post and page is reachable (issue 11).

The dialog is the real one, driven with pytest-qt (keys and clicks); the window test goes
through the real menu action, keyring (in memory) and publish.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from editor.gui.publishing.open_from_blog import OpenFromBlogDialog
from editor.gui.publishing.open_from_blog_dialog import SEARCH_DELAY_MS
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.remote_record import read_remote_record
from editor.publish.wordpress_client import WordPressClient
from tests.gui import conftest as gui_conftest
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.blog_content import create_in_batches, read, total, unique_word
from tests.integration.test_pages_and_listing import paragraph
from tests.integration.wordpress_server import WordPressServer

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]

MANY = 105


@pytest.fixture(scope="module")
def listed_posts(wordpress: WordPressServer) -> tuple[str, str, list[int]]:
    """105 posts sharing a unique word, dated 2002, the oldest carrying a needle word."""
    word, needle = unique_word(), unique_word()
    bodies = [
        {
            "title": f"Shelf {word} {n:03d}" + (f" {needle}" if n == 0 else ""),
            "content": paragraph(f"Shelf number {n}."),
            "status": "publish",
            "date": f"2002-02-{1 + n // 24:02d}T{n % 24:02d}:00:00",
        }
        for n in range(MANY)
    ]
    return word, needle, create_in_batches(wordpress, "/wp/v2/posts", bodies)


@pytest.fixture
def dialog(qtbot, wordpress: WordPressServer) -> Iterator[OpenFromBlogDialog]:
    """The real dialog on the real blog, its first listing shown."""
    account = Account("local", wordpress.url, wordpress.admin_user)

    def factory(account: Account, password: str) -> WordPressClient:
        return WordPressClient(account.url, account.user, password)

    shown = OpenFromBlogDialog(account, wordpress.admin_app_password, factory)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.loaded, timeout=20000)
    yield shown


def titles(dialog: OpenFromBlogDialog) -> list[str]:
    """Return the titles the list shows."""
    return [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]


def search(qtbot, dialog: OpenFromBlogDialog, text: str) -> None:
    """Type into the search field as the writer does and wait for the list to follow."""
    dialog.search.setFocus()
    dialog.search.selectAll()
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        qtbot.keyClicks(dialog.search, text)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=20000)


def test_the_dialog_pages_through_105_posts_to_the_last_one(qtbot, dialog, listed_posts) -> None:
    word, _needle, _ids = listed_posts
    assert dialog.tree.headerItem().text(3) == "Type"
    search(qtbot, dialog, word)
    assert dialog.range_label.text() == f"Posts 1–20 of {MANY}"
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    assert titles(dialog)[0] == f"Shelf {word} {MANY - 1:03d}"
    for _ in range(5):
        with qtbot.waitSignal(dialog.listed, timeout=20000):
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.range_label.text() == f"Posts 101–{MANY} of {MANY}"
    assert titles(dialog)[-1].startswith(f"Shelf {word} 000")
    assert not dialog.next_button.isEnabled() and dialog.previous_button.isEnabled()
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert dialog.range_label.text() == f"Posts 81–100 of {MANY}"


def test_typing_a_title_word_finds_a_post_from_page_six_and_enter_opens_it(
    qtbot, dialog, listed_posts
) -> None:
    _word, needle, ids = listed_posts
    assert dialog.listing is not None and dialog.listing.total > 100  # it is far down the list
    search(qtbot, dialog, needle)
    assert dialog.range_label.text() == "Posts 1–1 of 1"
    [only] = titles(dialog)
    assert needle in only and dialog.tree.topLevelItem(0).text(1) == "Published"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)  # from the search field into the list
    assert dialog.tree.hasFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen()["id"] == ids[0]


def test_type_and_status_filters_show_pages_and_drafts_with_clear_empty_states(
    qtbot, dialog, wordpress
) -> None:
    word = unique_word()
    wordpress.request("POST", "wp/v2/pages", json={"title": f"Colophon {word}", "status": "draft"})
    search(qtbot, dialog, word)
    assert titles(dialog) == [] and dialog.status.text() == f"No posts with “{word}” in the title."
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        dialog.type_combo.setCurrentIndex(dialog.type_combo.findText("Pages"))
    assert titles(dialog) == [f"Colophon {word}"]
    row = dialog.tree.topLevelItem(0)
    assert (row.text(1), row.text(3)) == ("Draft", "Page")
    assert dialog.range_label.text() == "Pages 1–1 of 1"
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Published"))
    assert titles(dialog) == []
    assert dialog.status.text() == f"No published pages with “{word}” in the title."
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Open).isEnabled()


def test_typing_fast_asks_the_blog_once_after_a_pause_and_never_blocks(
    qtbot, dialog, listed_posts, monkeypatch
) -> None:
    word, _needle, _ids = listed_posts
    asked: list[str] = []
    lister = dialog._lister
    monkeypatch.setattr(
        dialog, "_lister", lambda query: asked.append(query.search) or lister(query)
    )
    dialog.search.setFocus()
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        for letter in word:
            qtbot.keyClick(dialog.search, letter, delay=SEARCH_DELAY_MS // 10)
        assert asked == []  # still typing: nothing sent yet, and the window answered each key
    assert asked == [word]
    assert dialog.range_label.text() == f"Posts 1–20 of {MANY}"


def test_a_page_opened_from_the_window_publishes_back_as_that_page(
    qtbot, make_window, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    account = upsert_account(Account("local", wordpress.url, wordpress.admin_user, output="blocks"))
    store_password(account, wordpress.admin_app_password)
    title = f"Opening hours {unique_word()}"
    page = wordpress.request(
        "POST",
        "wp/v2/pages",
        json={"title": title, "status": "publish", "content": paragraph("Nine to five.")},
    ).json()
    window = make_window()

    def open_the_page(shown: OpenFromBlogDialog) -> int:
        qtbot.waitUntil(lambda: shown.loaded, timeout=20000)
        with qtbot.waitSignal(shown.listed, timeout=20000):
            shown.type_combo.setCurrentIndex(shown.type_combo.findText("Pages"))
        with qtbot.waitSignal(shown.listed, timeout=20000):
            shown.search.setText(title)
        assert titles(shown) == [title]
        qtbot.keyClick(shown.tree, Qt.Key.Key_Return)
        return shown.result()

    monkeypatch.setattr(OpenFromBlogDialog, "exec", open_the_page)
    with qtbot.waitSignal(window.document.opened, timeout=20000):
        window.menu_actions["open_from_blog"].trigger()
    text = window.editor.toPlainText()
    assert read_remote_record(text, "local").type == "page"
    pages, posts = total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")
    window.editor.setPlainText(text.replace("Nine to five.", "Nine to six."))

    publish_and_wait(qtbot, window, "published", timeout=60000)

    assert (total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")) == (pages, posts)
    assert "Nine to six." in read(wordpress, f"wp/v2/pages/{page['id']}")["content"]["raw"]
    window.editor.document().setModified(False)
