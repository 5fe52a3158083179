"""The window through the engine interface, on the real WordPress (issue 13).

Real widgets (pytest-qt), the real keyring stand-in in memory, the real WordPress: the accounts
dialog finds the engine from the address and then asks for its credential; Blog > Publish To…
and Publish to All put one post on two accounts (the admin and the author) and keep both.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMenu

from editor.core.post import load_post
from editor.gui.publishing import publish_to_blogs
from editor.gui.publishing.accounts_dialog import AccountEditor
from editor.publish.account_client import default_client_factory
from editor.publish.accounts import Account, load_accounts, store_password, upsert_account
from editor.publish.engines.base import WORDPRESS
from editor.publish.outbox import load_outbox
from editor.publish.publishing_service import PublishOutcome
from editor.publish.remote_record import read_remote_record, recorded_blogs
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.sample_posts import unique
from tests.local_page import serve_page

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]


@pytest.fixture
def editor(qtbot) -> AccountEditor:
    shown = AccountEditor(None, default_client_factory, None)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def credential_shown(editor: AccountEditor) -> bool:
    return editor.password_edit.isVisibleTo(editor)


def test_the_address_comes_first_then_the_engines_credential(
    qtbot, editor, wordpress, memory_keyring
) -> None:
    assert not credential_shown(editor) and not editor.user_edit.isVisibleTo(editor)
    editor.url_edit.setText(wordpress.url)
    editor.detect_button.click()
    qtbot.waitUntil(lambda: editor.kind == WORDPRESS, timeout=20000)
    assert editor.engine_note.text().startswith("A WordPress blog")
    assert credential_shown(editor) and editor.user_edit.isVisibleTo(editor)
    assert editor.password_label.text() == "A&pplication password"
    assert "Application Passwords" in editor.password_hint.text()
    assert editor.output_box.isVisibleTo(editor)  # blocks or classic: WordPress only
    editor.name_edit.setText("found")
    editor.user_edit.setText(wordpress.admin_user)
    editor.password_edit.setText(wordpress.admin_app_password)
    editor.test_button.click()
    qtbot.waitUntil(lambda: "Logged in" in editor.test_result.text(), timeout=20000)
    assert "Publish posts: yes" in editor.test_result.text()
    editor.accept()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert [(a.name, a.kind) for a in load_accounts()] == [("found", WORDPRESS)]


def test_an_address_that_is_no_blog_says_so_and_the_writer_may_choose(
    qtbot, editor, monkeypatch
) -> None:
    with serve_page(monkeypatch, "<html><head><title>Hi</title></head></html>", "/") as url:
        editor.url_edit.setText(url)
        editor.detect_button.click()
        qtbot.waitUntil(lambda: "found no blog" in editor.engine_note.text(), timeout=20000)
    assert editor.kind == "" and not credential_shown(editor)
    editor.engine_box.setCurrentIndex(editor.engine_box.findData(WORDPRESS))
    assert credential_shown(editor) and editor.user_edit.isVisibleTo(editor)


def add_account(wordpress, name: str, user: str = "admin", url: str = "") -> Account:
    login, secret = (
        (wordpress.admin_user, wordpress.admin_app_password)
        if user == "admin"
        else (wordpress.author_user, wordpress.author_app_password)
    )
    stored = upsert_account(Account(name, url or wordpress.url, login, output="blocks"))
    store_password(stored, secret)
    return stored


def write_post(library_root: Path, title: str) -> Path:
    path = library_root / f"{title.lower().replace(' ', '-')}.md"
    path.write_text(
        f'---\ntitle: "{title}"\nstatus: publish\nblog: first\ntags: [art]\n---\n\nWords.\n',
        encoding="utf-8",
    )
    return path


def publish_to(qtbot, window, monkeypatch, account: Account) -> None:
    monkeypatch.setattr(publish_to_blogs, "choose_any_account", lambda _parent, _all: account)
    with qtbot.waitSignal(
        window.publishing.finished,
        timeout=30000,
        check_params_cb=lambda outcome: outcome == PublishOutcome.PUBLISHED,
    ):
        window.menu_actions["publish_to"].trigger()


def publish_to_all(qtbot, window) -> list:
    with qtbot.waitSignal(window.publish_to_blogs.all_done, timeout=60000) as done:
        window.menu_actions["publish_to_all"].trigger()
    return done.args[0]


def append_line(qtbot, window, line: str) -> None:
    editor = window.editor
    editor.setPlainText(editor.toPlainText() + f"\n{line}\n")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save()


def test_publish_to_a_second_blog_then_publish_to_all_updates_both(
    qtbot, make_window, library_root, wordpress, memory_keyring, monkeypatch
) -> None:
    add_account(wordpress, "first")
    second = add_account(wordpress, "second", user="author")
    window = make_window()
    path = write_post(library_root, unique("Window Two Blogs"))
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, PublishOutcome.PUBLISHED, timeout=30000)
    publish_to(qtbot, window, monkeypatch, second)
    text = load_post(path).text
    first_id, second_id = (read_remote_record(text, name).id for name in ("first", "second"))
    assert recorded_blogs(text) == ["first", "second"] and first_id != second_id
    assert wordpress.get_post_raw(second_id)["author"] == wordpress.author_id
    posts = wordpress.count_posts()

    append_line(qtbot, window, "Sent to both.")
    outcomes = publish_to_all(qtbot, window)

    assert outcomes == [("first", "published"), ("second", "published")]
    assert wordpress.count_posts() == posts
    for post_id in (first_id, second_id):
        assert "Sent to both." in wordpress.get_post_raw(post_id)["content"]["raw"]
    assert recorded_blogs(load_post(path).text) == ["first", "second"]


def test_publish_to_all_goes_on_after_an_unreachable_blog_which_waits_in_the_outbox(
    qtbot, make_window, library_root, wordpress, memory_keyring, monkeypatch
) -> None:
    add_account(wordpress, "first")
    second = add_account(wordpress, "second", user="author")
    window = make_window()
    path = write_post(library_root, unique("Window One Down"))
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, PublishOutcome.PUBLISHED, timeout=30000)
    publish_to(qtbot, window, monkeypatch, second)
    first_id = read_remote_record(load_post(path).text, "first").id
    with socket.socket() as sock:  # a port where nothing listens once it is closed
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # "second" moves to an address where nothing answers (the keyring entry goes with it)
    add_account(wordpress, "second", user="author", url=dead)
    window.publishing.capabilities.forget()

    append_line(qtbot, window, "One blog is down.")
    outcomes = publish_to_all(qtbot, window)

    assert outcomes == [("first", "published"), ("second", "waiting in the outbox")]
    assert [entry.account for entry in load_outbox()] == ["second"]
    assert "One blog is down." in wordpress.get_post_raw(first_id)["content"]["raw"]


def test_the_metadata_panel_and_open_from_blog_follow_a_wordpress_account(
    qtbot, make_window, library_root, wordpress, memory_keyring
) -> None:
    add_account(wordpress, "first")
    window = make_window()
    path = write_post(library_root, unique("Fields"))
    open_and_wait(qtbot, window, path)
    panel = window.metadata
    qtbot.waitUntil(lambda: panel.capabilities is not None, timeout=10000)
    assert panel.categories_edit.isVisibleTo(panel) and panel.tags_edit.isVisibleTo(panel)
    statuses = [panel.status_combo.itemData(i) for i in range(panel.status_combo.count())]
    assert {"draft", "pending", "private", "publish", "future"} <= set(statuses)
    assert offered_open_from_blog(window)  # WordPress reads posts back


def offered_open_from_blog(window) -> bool:
    """Open the Blog menu's state as the writer would see it; tell whether Open is enabled."""
    action = window.menu_actions["open_from_blog"]
    menu = next(m for m in window.menuBar().findChildren(QMenu) if action in m.actions())
    menu.aboutToShow.emit()
    return action.isEnabled()


def test_a_conflict_on_one_blog_is_asked_about_and_the_next_blog_still_gets_the_post(
    qtbot, make_window, library_root, wordpress, memory_keyring, monkeypatch
) -> None:
    add_account(wordpress, "first")
    second = add_account(wordpress, "second", user="author")
    window = make_window()
    path = write_post(library_root, unique("Window Conflict"))
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, PublishOutcome.PUBLISHED, timeout=30000)
    publish_to(qtbot, window, monkeypatch, second)
    text = load_post(path).text
    first_id, second_id = (read_remote_record(text, name).id for name in ("first", "second"))
    edited = "<!-- wp:paragraph --><p>Changed on the blog.</p><!-- /wp:paragraph -->"
    wordpress.edit_post_on_server(first_id, edited)
    append_line(qtbot, window, "After the conflict.")

    with qtbot.waitSignal(window.publish_to_blogs.all_done, timeout=60000) as done:
        window.menu_actions["publish_to_all"].trigger()
        qtbot.waitUntil(lambda: window.publishing.conflict_dialog is not None, timeout=30000)
        dialog = window.publishing.conflict_dialog
        qtbot.waitExposed(dialog)
        dialog.reject()  # Cancel: leave the first blog's edit alone

    assert done.args[0] == [("first", "not sent (changed on the blog)"), ("second", "published")]
    assert wordpress.get_post_raw(first_id)["content"]["raw"] == edited
    assert "After the conflict." in wordpress.get_post_raw(second_id)["content"]["raw"]
