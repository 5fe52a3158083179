"""The default blog chosen in Preferences: Publish sends a post naming no blog there, unasked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QInputDialog

from editor.core.post import meta_from_text
from editor.core.settings import load_settings
from editor.gui.main_window import MainWindow
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.remote_record import read_remote_record
from tests.gui.fake_blog import PASSWORD, SITE, FakeBlog
from tests.gui.helpers import open_and_wait

POST = "---\ntitle: Night Train\n---\n\nWe took the night train north.\n"


def test_publish_goes_to_the_default_blog_without_asking(
    qtbot, window: MainWindow, memory_keyring, library_root: Path, monkeypatch
) -> None:
    blog = FakeBlog()
    window.publishing.client_factory = blog.client_factory
    store_password(upsert_account(Account("my blog", SITE, "ada")), PASSWORD)
    upsert_account(Account("other blog", "https://other.example", "ada"))
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args, **kwargs: asked.append("?"))
    path = library_root / "night-train.md"
    path.write_text(POST, encoding="utf-8")
    open_and_wait(qtbot, window, path)

    window.menu_actions["preferences"].trigger()
    dialog = window.preferences.dialog
    qtbot.waitUntil(lambda: dialog.default_blog.findData("my blog") >= 0)
    dialog.default_blog.setCurrentIndex(dialog.default_blog.findData("my blog"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert load_settings().default_blog == "my blog"

    with qtbot.waitSignal(
        window.publishing.finished, timeout=15000, check_params_cb=lambda o: o == "published"
    ):
        window.menu_actions["publish"].trigger()

    assert asked == []
    text = path.read_text(encoding="utf-8")
    assert meta_from_text(text).blog == "my blog"  # the post now says where it lives
    assert read_remote_record(text, "my blog").id == 100
