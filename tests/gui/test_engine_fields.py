"""The window shows only what the account's engine can do (issue 13), with real widgets.

Only WordPress is written in this branch, so the engines without categories, without pull or
with a token instead of a user's password are stand-ins registered for the test (a fake where
the real engine does not exist yet); the WordPress side is tested on the real server in
tests/integration/test_engines_window.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from editor.core.post import PostMeta
from editor.gui.publishing.accounts_dialog import AccountEditor
from editor.gui.sidebar import MetadataPanel
from editor.publish.account_client import default_client_factory
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.engines import registry
from editor.publish.engines.base import MICROPUB, Capabilities, Credential

NO_CATEGORIES = Capabilities(categories=False, slug=False, statuses=("draft", "publish"))


class NoPullEngine:
    """A stand-in engine that cannot read posts back and has no categories (no network)."""

    kind = MICROPUB

    def capabilities(self) -> Capabilities:
        return NO_CATEGORIES

    def close(self) -> None:
        """Nothing to close."""


def open_no_pull_engine(_account: Account, _secret: str) -> NoPullEngine:
    return NoPullEngine()


@pytest.fixture
def token_engine(monkeypatch):
    spec = registry.EngineSpec(
        MICROPUB,
        "Micropub",
        Credential("Token", needs_user=False, hint="From your site's token page."),
        "tests.gui.test_engine_fields:open_no_pull_engine",
    )
    monkeypatch.setitem(registry.ENGINES, MICROPUB, spec)
    return spec


def test_the_metadata_panel_hides_what_the_blog_cannot_store(qtbot) -> None:
    panel = MetadataPanel()
    qtbot.addWidget(panel)
    panel.show()
    meta = PostMeta(title="Hi", status="draft", categories=["News"])
    panel.show_meta(meta)
    assert panel.categories_edit.isVisibleTo(panel)
    panel.show_capabilities(NO_CATEGORIES)
    panel.show_meta(meta)
    assert not panel.categories_edit.isVisibleTo(panel) and not panel.slug_edit.isVisibleTo(panel)
    assert panel.tags_edit.isVisibleTo(panel) and panel.excerpt_edit.isVisibleTo(panel)
    statuses = [panel.status_combo.itemText(i) for i in range(panel.status_combo.count())]
    assert statuses == ["Draft", "Published"]  # the writer's words
    panel.show_capabilities(None)  # no blog known: every field again
    assert panel.categories_edit.isVisibleTo(panel)


def test_a_token_engine_asks_for_its_token_and_no_user_name(qtbot, token_engine) -> None:
    editor = AccountEditor(None, default_client_factory, None)
    qtbot.addWidget(editor)
    editor.show()
    editor.engine_box.setCurrentIndex(editor.engine_box.findData(MICROPUB))
    assert editor.password_edit.isVisibleTo(editor)
    assert not editor.user_edit.isVisibleTo(editor)
    assert not editor.output_box.isVisibleTo(editor)  # block markup is WordPress's
    assert editor.password_label.text() == "T&oken"
    assert editor.password_hint.text() == "From your site's token page."
    editor.url_edit.setText("https://site.example")
    editor.user_edit.setText("typed before switching")
    account = editor.account()
    assert (account.kind, account.user) == (MICROPUB, "")


def test_open_from_blog_is_offered_only_for_engines_that_pull(
    qtbot, window, memory_keyring, token_engine, prompter
) -> None:
    stored = upsert_account(Account("notes", "https://notes.example", "", kind=MICROPUB))
    store_password(stored, "a token")
    window.publishing.capabilities.forget()
    action = window.menu_actions["open_from_blog"]
    menu = next(m for m in window.menuBar().findChildren(QMenu) if action in m.actions())
    menu.aboutToShow.emit()
    assert not action.isEnabled()
    window.publishing.open_from_blog()  # a shortcut or a script: it says why, opens nothing
    [told] = prompter.told("Open from Blog")
    assert "read its posts back" in told
