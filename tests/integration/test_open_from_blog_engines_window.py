"""Blog > Open from Blog… and the conflict dialog's Merge for Ghost and XML-RPC accounts.

The window, its menu action, the dialog and the conflict dialog are the real ones (pytest-qt),
against the real Ghost and the real WordPress's XML-RPC; the keyring is the in-memory one.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt

from editor.core.front_matter import body_of
from editor.gui.publishing.open_from_blog import SERVER_COPY, OpenFromBlogDialog
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.engines.base import GHOST, XMLRPC
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.remote_record import read_remote_record
from tests.gui import conftest as gui_conftest
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.blog_content import unique_word
from tests.integration.engines import test_ghost as ghost_tests
from tests.integration.engines import test_xmlrpc as xmlrpc_tests
from tests.integration.sample_posts import unique
from tests.integration.test_pull_engines import edit_on_ghost, make_post

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]


def titles(dialog: OpenFromBlogDialog) -> list[str]:
    return [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]


def ghost_account(ghost) -> Account:
    account = upsert_account(Account(ghost_tests.BLOG, ghost.url, "", kind=GHOST))
    store_password(account, ghost.admin_key)
    return account


def open_by_search(qtbot, monkeypatch, window, title: str, seen: dict) -> None:
    """Open from Blog through the menu; in the dialog search the title and press Enter."""

    def choose(shown: OpenFromBlogDialog) -> int:
        qtbot.waitUntil(lambda: shown.loaded, timeout=30000)
        seen["filters"] = shown.type_combo.isVisible() or shown.status_combo.isVisible()
        with qtbot.waitSignal(shown.listed, timeout=30000):
            shown.search.setText(title)
        qtbot.waitUntil(lambda: shown.loaded, timeout=30000)
        seen["titles"] = titles(shown)
        qtbot.keyClick(shown.tree, Qt.Key.Key_Return)
        return shown.result()

    monkeypatch.setattr(OpenFromBlogDialog, "exec", choose)
    with qtbot.waitSignal(window.document.opened, timeout=30000):
        window.menu_actions["open_from_blog"].trigger()


def test_a_ghost_post_opens_from_the_window_and_publishes_back_to_the_same_post(
    qtbot, make_window, memory_keyring, prompter, ghost, monkeypatch, tmp_path
) -> None:
    account = ghost_account(ghost)
    original = make_post(tmp_path / "drafts", unique("Window Ghost"), account.name)
    result = publish_file(request_for(account, original), password=ghost.admin_key)
    title = original.read_text().split('title: "')[1].split('"')[0]
    posts = ghost.count_posts()
    window = make_window()
    seen: dict = {}

    open_by_search(qtbot, monkeypatch, window, title, seen)

    assert seen == {"filters": False, "titles": [title]}
    text = window.editor.toPlainText()
    record = read_remote_record(text, account.name)
    assert record.id == result.record.id and record.blog == account.name
    assert (
        "/// caption\n— DJ Mac" in text and "```python" in text and "/// caption\n///" not in text
    )
    window.editor.replace_all_text(
        text.replace("Closing words.", "Closing words, from the window.")
    )

    publish_and_wait(qtbot, window, "published", timeout=60000)

    assert ghost.count_posts() == posts  # the same post, not a new one
    assert "Closing words, from the window." in ghost.post(str(result.record.id))["html"]


def test_the_ghost_listing_pages_through_its_posts(qtbot, memory_keyring, prompter, ghost) -> None:
    from editor.gui.publishing.open_from_blog_dialog import EngineLister
    from editor.publish.engines.registry import open_engine

    word = unique_word()
    for number in range(23):
        ghost.request(
            "POST", "posts/", params={"source": "html"},
            json={"posts": [{"title": f"Shelf {word} {number:02d}", "html": "<p>A shelf.</p>"}]},
        ).raise_for_status()  # fmt: skip
    account = ghost_account(ghost)
    shown = OpenFromBlogDialog(
        account, ghost.admin_key, None, lister=EngineLister(open_engine, account, ghost.admin_key)
    )  # type: ignore[arg-type]
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.loaded, timeout=30000)
    with qtbot.waitSignal(shown.listed, timeout=30000):
        shown.search.setText(word)
    qtbot.waitUntil(lambda: shown.loaded, timeout=30000)
    assert len(titles(shown)) == 20 and shown.next_button.isEnabled()
    assert not shown.previous_button.isEnabled()
    with qtbot.waitSignal(shown.listed, timeout=30000):
        qtbot.mouseClick(shown.next_button, Qt.MouseButton.LeftButton)
    assert len(titles(shown)) == 3 and shown.range_label.text() == "Posts 21–23 of 23"
    assert not shown.next_button.isEnabled() and shown.previous_button.isEnabled()


def test_an_xmlrpc_post_opens_from_the_window(
    qtbot, make_window, memory_keyring, prompter, wordpress, monkeypatch, tmp_path
) -> None:
    account = upsert_account(Account(xmlrpc_tests.BLOG, wordpress.url, "admin", kind=XMLRPC))
    store_password(account, wordpress.admin_app_password)
    original = make_post(tmp_path / "drafts", unique("Window XML-RPC"), account.name)
    result = publish_file(request_for(account, original), password=wordpress.admin_app_password)
    title = original.read_text().split('title: "')[1].split('"')[0]
    window = make_window()
    seen: dict = {}

    open_by_search(qtbot, monkeypatch, window, title, seen)

    assert seen == {"filters": False, "titles": [title]}
    text = window.editor.toPlainText()
    assert read_remote_record(text, account.name).id == result.record.id
    assert "```python\nprint(" in body_of(text)


def test_merge_in_the_conflict_dialog_works_for_ghost(
    qtbot, make_window, memory_keyring, prompter, ghost, monkeypatch, tmp_path, library_root
) -> None:
    account = ghost_account(ghost)
    path = make_post(library_root, unique("Window merge"), account.name)
    result = publish_file(request_for(account, path), password=ghost.admin_key)
    post_id = str(result.record.id)
    window = make_window()
    with qtbot.waitSignal(window.document.opened, timeout=30000):
        window.document.open_path(path)
    mine = window.editor.toPlainText().replace("Closing words.", "Closing words, mine.")
    window.editor.replace_all_text(mine)
    edit_on_ghost(ghost, post_id, "Opening words", "Opening lines")

    window.menu_actions["publish"].trigger()
    qtbot.waitUntil(lambda: window.publishing.conflict_dialog is not None, timeout=60000)
    dialog = window.publishing.conflict_dialog
    assert dialog.merge_button.isVisible() and dialog.merge_button.isEnabled()
    with qtbot.waitSignal(window.publishing.finished, timeout=60000) as ended:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert ended.args == ["merged"]
    merged = window.editor.toPlainText()
    assert "Opening lines with *emphasis*." in merged and "Closing words, mine." in merged
    assert ".assets/first.png)" in merged  # the writer's image files stay files

    publish_and_wait(qtbot, window, "published", timeout=60000)

    html = ghost.post(post_id)["html"]
    assert "Opening lines" in html and "Closing words, mine." in html


def test_without_a_base_the_conflict_dialog_says_what_to_do(
    qtbot, make_window, memory_keyring, prompter, ghost, library_root
) -> None:
    from editor.publish.engine_bases import base_path

    account = ghost_account(ghost)
    path = make_post(library_root, unique("Window no base"), account.name)
    result = publish_file(request_for(account, path), password=ghost.admin_key)
    with contextlib.suppress(FileNotFoundError):
        base_path(account.name, str(result.record.id)).unlink()  # published elsewhere
    edit_on_ghost(ghost, str(result.record.id), "Opening words", "Opening lines")
    window = make_window()
    with qtbot.waitSignal(window.document.opened, timeout=30000):
        window.document.open_path(path)
    window.editor.replace_all_text(window.editor.toPlainText() + "\nMore.\n")

    window.menu_actions["publish"].trigger()
    qtbot.waitUntil(lambda: window.publishing.conflict_dialog is not None, timeout=60000)
    dialog = window.publishing.conflict_dialog
    assert not dialog.merge_button.isVisible()
    assert "Open the blog's version as a new file" in dialog.message.text()
    assert dialog.tabs.count() == 1  # yours beside the blog's, both as Markdown
    assert "Opening lines with *emphasis*." in dialog.tabs.widget(0).toPlainText()
    with qtbot.waitSignal(window.document.opened, timeout=30000):
        dialog.button(SERVER_COPY).click()  # the writer's way on: the blog's version beside
    opened = window.document.post
    assert opened.path != path and opened.path.parent == library_root
    assert "Opening lines with *emphasis*." in opened.text and "More." not in opened.text
    assert "More." in path.read_text()  # the writer's post is unchanged
