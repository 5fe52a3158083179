"""Publishing from the real window: Blog > Accounts…, Blog > Publish, Blog > Open from Blog….

The widgets are real; the WordPress side is a fake blog behind httpx.MockTransport, answering
in the shapes measured on a real WordPress (docs/notes/wordpress-rest.md), injected through the
controller's `client_factory`. The real server is exercised in tests/integration. Passwords
live in an in-memory keyring. Modal dialogs are replaced by scripts that answer them.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QPushButton

from editor.core.post import meta_from_text
from editor.core.settings import config_dir
from editor.gui.main_window import MainWindow
from editor.gui.publishing.accounts_dialog import AccountEditor, AccountsDialog
from editor.gui.publishing.open_from_blog import OpenFromBlogDialog
from editor.gui.publishing.publish_controller import PublishController
from editor.publish.accounts import Account, load_accounts, store_password, upsert_account
from editor.publish.outbox import load_outbox, queue_publish
from editor.publish.publish_journal import journaled_record
from editor.publish.remote_record import RemoteRecord, read_remote_record
from editor.publish.wordpress_client import WRONG_LOGIN
from tests.gui.fake_blog import PASSWORD, SITE, FakeBlog
from tests.gui.helpers import open_and_wait

POST_TEXT = (
    "---\n"
    "title: Night Train\n"
    "status: publish\n"
    "tags: [travel]\n"
    "---\n"
    "\n"
    "We took the night train north.\n"
)


# -- stand-ins for modal dialogs --------------------------------------------------------------


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def blog() -> FakeBlog:
    return FakeBlog()


@pytest.fixture
def publishing(window: MainWindow, blog: FakeBlog, memory_keyring) -> PublishController:
    """The window's publish controller, talking to the fake blog."""
    window.publishing.client_factory = blog.client_factory
    return window.publishing


@pytest.fixture
def account(memory_keyring) -> Account:
    stored = upsert_account(Account("my blog", SITE, "ada"))
    store_password(stored, PASSWORD)
    return stored


@pytest.fixture
def post_path(qtbot, window: MainWindow, library_root: Path) -> Path:
    """A post file, open in the window."""
    path = library_root / "2024-05-01-night-train.md"
    path.write_text(POST_TEXT, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    return path


def publish_and_wait(qtbot, window: MainWindow, outcome: str, timeout: int = 15000) -> None:
    """Trigger Blog > Publish and wait until the publish ends with `outcome`."""
    with qtbot.waitSignal(
        window.publishing.finished, timeout=timeout, check_params_cb=lambda o: o == outcome
    ):
        window.menu_actions["publish"].trigger()


def config_files_contain(secret: str) -> bool:
    """Tell whether any file in the config dir holds the secret."""
    return any(
        secret.encode() in path.read_bytes() for path in config_dir().rglob("*") if path.is_file()
    )


# -- accounts ---------------------------------------------------------------------------------


def test_an_account_is_added_tested_and_removed_with_its_password_only_in_the_keyring(
    qtbot, window, publishing, blog, prompter, memory_keyring, monkeypatch, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: dict = {}

    def fill(editor: AccountEditor) -> int:
        assert editor.password_edit.echoMode() == QLineEdit.EchoMode.Password
        editor.name_edit.setText("my blog")
        editor.url_edit.setText("http://blog.example")
        seen["http_warning"] = editor.url_warning.isVisibleTo(editor), editor.url_warning.text()
        editor.url_edit.setText("blog.example")
        seen["https_warning"] = editor.url_warning.isVisibleTo(editor)
        editor.user_edit.setText("ada")
        editor.password_edit.setText("wrong password")
        editor.test_button.click()
        qtbot.waitUntil(lambda: "refused" in editor.test_result.text())
        seen["wrong"] = editor.test_result.text()
        editor.password_edit.setText(PASSWORD)
        editor.test_button.click()
        qtbot.waitUntil(lambda: "Logged in" in editor.test_result.text())
        seen["right"] = editor.test_result.text()
        editor.accept()
        return editor.result()

    def run_accounts(dialog: AccountsDialog) -> int:
        dialog.add()
        seen["listed"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        seen["password_in_config"] = config_files_contain(PASSWORD)
        seen["keyring"] = list(memory_keyring.store.values())
        dialog.list.setCurrentRow(0)
        dialog.remove()
        seen["after_remove"] = dialog.list.count()
        return 0

    monkeypatch.setattr(AccountEditor, "exec", fill)
    monkeypatch.setattr(AccountsDialog, "exec", run_accounts)
    prompter.answer("Remove account", "Remove")
    window.menu_actions["accounts"].trigger()

    visible, text = seen["http_warning"]
    assert visible and "clear text" in text
    assert seen["https_warning"] is False
    assert seen["wrong"] == WRONG_LOGIN
    assert "Logged in as Ada (author)" in seen["right"]
    assert PASSWORD not in seen["right"] and PASSWORD not in seen["wrong"]
    assert seen["listed"] == ["my blog — ada at https://blog.example · WordPress"]
    assert seen["keyring"] == [PASSWORD]
    assert seen["password_in_config"] is False
    assert sorted(prompter.titled("Remove account")[0].buttons) == ["Cancel", "Remove"]
    assert seen["after_remove"] == 0
    assert load_accounts() == [] and memory_keyring.store == {}
    assert "saved account my blog" in caplog.text and PASSWORD not in caplog.text


def test_editing_with_an_empty_password_keeps_the_stored_one_even_when_renamed(
    qtbot, window, publishing, account, memory_keyring, monkeypatch
) -> None:
    def rename(editor: AccountEditor) -> int:
        assert editor.password_edit.text() == ""
        editor.name_edit.setText("travel blog")
        editor.accept()
        return editor.result()

    monkeypatch.setattr(AccountEditor, "exec", rename)
    dialog = AccountsDialog(publishing.client_factory, window)
    dialog.list.setCurrentRow(0)
    dialog.edit()
    assert [a.name for a in load_accounts()] == ["travel blog"]
    assert list(memory_keyring.store.items()) == [
        (("Draftpress", "travel blog:ada@https://blog.example"), PASSWORD)
    ]
    dialog.deleteLater()


def test_without_a_keyring_the_account_is_not_saved_and_the_password_is_nowhere(
    qtbot, window, publishing, monkeypatch
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    seen: dict = {}

    def fill(editor: AccountEditor) -> int:
        editor.name_edit.setText("my blog")
        editor.url_edit.setText(SITE)
        editor.user_edit.setText("ada")
        editor.password_edit.setText(PASSWORD)
        editor.accept()
        seen["message"] = editor.message.text()
        seen["open"] = editor.result()
        editor.reject()
        return editor.result()

    monkeypatch.setattr(AccountEditor, "exec", fill)
    try:
        dialog = AccountsDialog(publishing.client_factory, window)
        dialog.add()
    finally:
        keyring.set_keyring(previous)
    assert "keyring" in seen["message"] and PASSWORD not in seen["message"]
    assert seen["open"] == 0
    assert load_accounts() == []
    assert not config_files_contain(PASSWORD)
    dialog.deleteLater()


# -- publishing -------------------------------------------------------------------------------


def test_publish_shows_progress_records_the_post_and_ends_with_its_link(
    qtbot, window, publishing, blog, account, post_path, prompter, opened_urls, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    assert window.menu_actions["publish"].shortcut().toString() == "Ctrl+Shift+P"
    on_disk_at_create: list[str] = []
    journaled_at_create: list[RemoteRecord | None] = []

    def at_create() -> None:
        on_disk_at_create.append(post_path.read_text(encoding="utf-8"))
        journaled_at_create.append(journaled_record(post_path, "my blog"))

    blog.on_create = at_create
    steps: list[str] = []
    publishing.progress.connect(steps.append)
    prompter.answer("Published", "Open in browser")

    with qtbot.waitSignal(publishing.finished, timeout=15000) as ended:
        window.menu_actions["publish"].trigger()
        assert publishing.progress_dialog is not None
        assert publishing.progress_dialog.isVisible()
    assert ended.args == ["published"]

    assert "Creating the post…" in steps and steps[-1] == "Published."
    # The pending create is in the publish journal before the create goes out; the post's
    # file is not touched until the publish ends.
    [journaled] = journaled_at_create
    assert journaled is not None and journaled.pending_create.get("title") == "Night Train"
    assert "remote:" not in on_disk_at_create[0]
    published = prompter.titled("Published")[0]
    link = f"{SITE}/night-train/"
    assert published.text == "“Night Train” is published on my blog."
    assert link in published.details
    assert sorted(published.buttons) == ["Close", "Open in browser"]
    assert opened_urls == [QUrl(link)]
    assert publishing.progress_dialog is None

    record = read_remote_record(window.editor.toPlainText(), "my blog")
    assert (record.id, record.url, record.pending_create) == (100, link, {})
    assert read_remote_record(post_path.read_text(encoding="utf-8"), "my blog") == record
    assert not window.document.is_modified
    assert window.editor.toPlainText().endswith("\nWe took the night train north.\n")
    assert len(blog.created()) == 1
    assert "publishing" in caplog.text and PASSWORD not in caplog.text


def test_a_new_unsaved_post_is_saved_first_and_the_chosen_blog_is_written_into_it(
    qtbot, window, publishing, blog, account, library_root, prompter, monkeypatch
) -> None:
    upsert_account(Account("other blog", "https://other.example", "ada"))
    target = library_root / "fresh.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    asked: list[list[str]] = []

    def choose(parent, title, label, items, *args, **kwargs):
        asked.append(list(items))
        return "my blog", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    assert window.document.post.path is None  # the window starts on an untitled post
    window.editor.setPlainText(POST_TEXT)

    publish_and_wait(qtbot, window, "published")

    assert asked == [["my blog", "other blog"]]
    text = target.read_text(encoding="utf-8")
    assert meta_from_text(text).blog == "my blog"
    assert read_remote_record(text, "my blog").id == 100


# The conflict dialog (Changed on the blog) is tested in test_publish_conflict.py.


def test_a_wrong_password_says_so_plainly_and_the_draft_stays_unchanged(
    qtbot, window, publishing, blog, account, post_path, prompter
) -> None:
    blog.password = "another password"
    before = post_path.read_bytes()

    publish_and_wait(qtbot, window, "failed")

    failure = prompter.titled("Not published")[0]
    assert failure.text == WRONG_LOGIN
    assert failure.details == "Your draft is unchanged."
    assert PASSWORD not in str(prompter.shown)
    assert window.editor.toPlainText() == POST_TEXT
    assert post_path.read_bytes() == before
    assert blog.created() == []


def test_cancel_stops_the_publish_before_the_post_is_sent(
    qtbot, window, publishing, blog, account, post_path, prompter
) -> None:
    blog.gate_path = "/wp-json/wp/v2/tags"
    window.menu_actions["publish"].trigger()
    qtbot.waitUntil(blog.gate_reached.is_set, timeout=10000)

    with qtbot.waitSignal(publishing.finished, timeout=15000) as ended:
        publishing.progress_dialog.findChild(QPushButton).click()
        blog.gate.set()
    assert ended.args == ["cancelled"]
    assert blog.created() == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert prompter.shown == []
    assert "night train north" in window.editor.toPlainText()


def test_a_waiting_publish_of_the_open_post_sends_the_words_in_the_window(
    qtbot, window, publishing, blog, account, post_path, prompter
) -> None:
    publish_and_wait(qtbot, window, "published")
    queue_publish(post_path, account.name, None, "The blog could not be reached.", "Night Train")
    window.outbox.refresh()
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "The sea was grey.")

    with qtbot.waitSignal(
        window.publishing.finished, timeout=15000, check_params_cb=lambda o: o == "published"
    ):
        window.outbox.send(window.outbox.entries[0].id)

    [post] = blog.posts.values()
    assert "The sea was grey." in post["content"]["raw"]  # what the writer sees went out
    assert "The sea was grey." in post_path.read_text("utf-8")
    assert not window.isWindowModified()
    assert "already up to date" not in prompter.titled("Published")[-1].text


def test_no_file_the_window_writes_holds_the_password_after_publishing_failing_and_queueing(
    qtbot, window, publishing, blog, account, post_path, prompter, isolated_home, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    publish_and_wait(qtbot, window, "published")  # remote record, revisions, publish journal
    blog.password = "a different password"  # revoked: the next publish is refused
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "An edit.")
    publish_and_wait(qtbot, window, "failed")

    def unreachable(request):
        raise httpx.ConnectError("connection refused", request=request)

    blog.handle = unreachable  # the blog is down: the publish waits in the outbox
    qtbot.keyClicks(window.editor, " Another edit.")
    publish_and_wait(qtbot, window, "queued")
    qtbot.keyClicks(window.editor, " Unsaved words.")
    with qtbot.waitSignal(window.autosave.journaled, timeout=5000):
        window.autosave.journal_now()  # the recovery journal holds the window's text
    window.save_layout()

    written = [path for path in isolated_home.rglob("*") if path.is_file()]
    names = {path.name for path in written}
    assert {"outbox.json", "window.ini"} <= names
    assert any(path.parent.name == "publishing" for path in written)  # the publish journal
    assert any(name.startswith("entry-") for name in names)
    assert any(name.endswith(".rev") for name in names)
    secrets = {PASSWORD, PASSWORD.replace(" ", ""), base64.b64encode(f"ada:{PASSWORD}".encode())}
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            needle = secret if isinstance(secret, bytes) else secret.encode()
            assert needle not in data, path
    assert PASSWORD not in caplog.text
    assert all(PASSWORD not in str(shown) for shown in prompter.shown)


def test_two_draftpress_windows_never_send_the_same_waiting_post_both(
    qtbot, make_window, window, publishing, blog, account, library_root, prompter
) -> None:
    path = library_root / "2024-05-02-ferry.md"
    path.write_text(POST_TEXT.replace("Night Train", "Ferry"), encoding="utf-8")
    entry = queue_publish(path, account.name, None, "The blog could not be reached.", "Ferry")
    second = make_window()  # another Draftpress on the same outbox
    second.publishing.client_factory = blog.client_factory
    outcomes: list[str] = []
    for win in (window, second):
        win.outbox.refresh()
        win.outbox.timer.stop()
        win.publishing.finished.connect(outcomes.append)

    # The network comes back: both look at once, both find the blog answering.
    window.outbox.send(entry.id)
    second.outbox.send(entry.id)
    qtbot.waitUntil(lambda: "published" in outcomes, timeout=15000)
    qtbot.waitUntil(lambda: window.outbox.sending is None and second.outbox.sending is None)

    assert len(blog.created()) == 1
    assert load_outbox() == []
    second.outbox.send(entry.id)  # a later look finds nothing left to send
    assert len(blog.created()) == 1 and second.outbox.sending is None


def test_a_waiting_windows_1252_post_no_longer_open_is_published_in_its_encoding(
    qtbot, window, publishing, blog, account, library_root, prompter
) -> None:
    path = library_root / "2024-05-03-cafe.md"
    text = POST_TEXT.replace("Night Train", "Caf\u00e9").replace("north", "to the \u201cbar\u201d")
    path.write_bytes(text.encode("cp1252"))
    with qtbot.waitSignal(window.document.opened, timeout=10000):
        window.document._load(path, "cp1252")  # the writer said Windows-1252 when asked

    def unreachable(request):
        raise httpx.ConnectError("connection refused", request=request)

    blog.handle = unreachable
    publish_and_wait(qtbot, window, "queued")
    open_and_wait(qtbot, window, library_root / "welcome-to-draftpress.md")
    del blog.handle  # the blog answers again
    [entry] = load_outbox()

    with qtbot.waitSignal(window.publishing.finished, timeout=15000) as finished:
        window.outbox.send(entry.id)

    assert finished.args == ["published"], prompter.shown
    [post] = blog.posts.values()
    assert "\u201cbar\u201d" in post["content"]["raw"]
    saved = path.read_bytes().decode("cp1252")  # still Windows-1252, now with its record
    assert read_remote_record(saved, account.name).id == post["id"]
    assert load_outbox() == []


# -- open from blog ---------------------------------------------------------------------------


def test_open_from_blog_lists_posts_writes_a_dated_file_and_reuses_it_later(
    qtbot, window, publishing, blog, account, library_root, monkeypatch
) -> None:
    blog.terms["tags"][7] = "trains"
    raw = "<!-- wp:paragraph --><p>Seen from the <strong>bridge</strong>.</p><!-- /wp:paragraph -->"
    blog.add_post("Harbour Lights", raw, tags=[7])
    blog.add_post("Older Post", "<p>Old.</p>")
    listed: list[list[str]] = []

    def choose_first(dialog: OpenFromBlogDialog) -> int:
        qtbot.waitUntil(lambda: dialog.loaded)
        listed.append([dialog.tree.topLevelItem(i).text(0) for i in range(2)])
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(OpenFromBlogDialog, "exec", choose_first)
    with qtbot.waitSignal(window.document.opened, timeout=15000) as opened:
        window.menu_actions["open_from_blog"].trigger()

    path = opened.args[0].path
    assert listed == [["Harbour Lights", "Older Post"]]
    assert path == library_root / "2024-05-01-harbour-lights.md"
    text = window.editor.toPlainText()
    assert "Seen from the **bridge**." in text
    assert meta_from_text(text).tags == ["trains"]
    assert read_remote_record(text, "my blog").id == 100

    files = sorted(library_root.glob("*.md"))
    with qtbot.waitSignal(window.document.opened, timeout=15000) as again:
        window.menu_actions["open_from_blog"].trigger()
    assert again.args[0].path == path
    assert sorted(library_root.glob("*.md")) == files
