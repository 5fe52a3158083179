"""Trusting a certificate and agreeing to http:// in the real window, against the real WordPress
behind a real proxy (a self-signed certificate made by the test; a non-loopback address).
Message prompter and the account form are driven by scripts."""

from __future__ import annotations

from editor.gui.publishing.accounts_dialog import AccountEditor, AccountsDialog
from editor.gui.publishing.connection_trust import TRUST, USE_ANYWAY
from editor.publish.accounts import Account, find_account, store_password, upsert_account
from editor.publish.certificates import fingerprint_of
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.reverse_proxy import ReverseProxy, make_self_signed
from tests.integration.sample_posts import unique
from tests.integration.test_outbox import posts_titled
from tests.integration.test_tls_and_plain_http import non_loopback_address

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window


def blog_account(wordpress, url: str) -> Account:
    """A stored account for `url` with the admin's application password."""
    account = upsert_account(Account("mine", url, wordpress.admin_user, output="blocks"))
    store_password(account, wordpress.admin_app_password)
    return account


def write_post(library_root, title: str):
    path = library_root / f"{title.split()[-1]}.md"
    path.write_text(f'---\ntitle: "{title}"\nstatus: draft\nblog: mine\n---\n\nHello.\n', "utf-8")
    return path


def test_publish_offers_to_trust_a_self_signed_certificate_then_publishes(
    qtbot, window, library_root, memory_keyring, prompter, wordpress, tmp_path
) -> None:
    certificate = make_self_signed(tmp_path / "certs", "blog")
    with ReverseProxy(wordpress.url, certificate=certificate) as proxy:
        blog_account(wordpress, proxy.url)
        title = unique("Behind a self-signed certificate")
        path = write_post(library_root, title)
        open_and_wait(qtbot, window, path)

        publish_and_wait(qtbot, window, "failed")  # the writer closes the question
        [refused] = prompter.titled("Not published")
        assert fingerprint_of(certificate.pem) in refused.text
        assert TRUST in refused.buttons
        assert find_account("mine").pinned_sha256 == "" and proxy.requests == []

        prompter.answer("Not published", TRUST)
        publish_and_wait(qtbot, window, "published", timeout=60000)
        assert find_account("mine").pinned_sha256 == fingerprint_of(certificate.pem)
        assert len(posts_titled(wordpress, title)) == 1
        assert any(sent for _method, _path, sent in proxy.requests)


def test_the_account_form_trusts_shows_and_forgets_a_certificate(
    qtbot, window, memory_keyring, wordpress, tmp_path, monkeypatch
) -> None:
    certificate = make_self_signed(tmp_path / "certs", "form")
    seen: dict = {}
    with ReverseProxy(wordpress.url, certificate=certificate) as proxy:

        def fill(editor: AccountEditor) -> int:
            editor.name_edit.setText("mine")
            editor.url_edit.setText(proxy.url)
            editor.user_edit.setText(wordpress.admin_user)
            editor.password_edit.setText(wordpress.admin_app_password)
            editor.test_button.click()
            qtbot.waitUntil(lambda: editor.trust.trust_button.isVisibleTo(editor), timeout=20000)
            seen["refused"] = editor.test_result.text(), editor.trust.label.text()
            editor.trust.trust_button.click()  # trusts it and tests again
            qtbot.waitUntil(lambda: "Logged in" in editor.test_result.text(), timeout=20000)
            trust = editor.trust
            seen["pinned"] = trust.label.text(), trust.forget_button.isVisibleTo(editor)
            editor.accept()
            return editor.result()

        def forget(editor: AccountEditor) -> int:
            seen["shown"] = editor.trust.label.text()
            editor.trust.forget_button.click()
            seen["hidden"] = editor.trust.isVisibleTo(editor)
            editor.accept()
            return editor.result()

        def run_accounts(dialog: AccountsDialog) -> int:
            dialog.add()
            seen["listed"] = dialog.list.item(0).text()
            dialog.list.setCurrentRow(0)
            monkeypatch.setattr(AccountEditor, "exec", forget)
            dialog.edit()
            return 0

        monkeypatch.setattr(AccountEditor, "exec", fill)
        monkeypatch.setattr(AccountsDialog, "exec", run_accounts)
        window.menu_actions["accounts"].trigger()

    fingerprint = fingerprint_of(certificate.pem)
    assert fingerprint in seen["refused"][0] and fingerprint in seen["refused"][1]
    assert fingerprint in seen["pinned"][0] and seen["pinned"][1] is True
    assert "own certificate trusted" in seen["listed"]
    assert fingerprint in seen["shown"] and seen["hidden"] is False
    assert find_account("mine").pinned_sha256 == ""


def test_publishing_over_http_to_another_machine_asks_once(
    qtbot, window, library_root, memory_keyring, prompter, wordpress
) -> None:
    with ReverseProxy(wordpress.url, host=non_loopback_address()) as proxy:
        blog_account(wordpress, proxy.url)
        title = unique("Over plain http")
        path = write_post(library_root, title)
        open_and_wait(qtbot, window, path)

        prompter.answer("Unencrypted connection", None)
        publish_and_wait(qtbot, window, "refused")  # the writer says no
        [question] = prompter.titled("Unencrypted connection")
        assert "unencrypted" in question.text and proxy.host in question.text
        assert proxy.requests == [] and find_account("mine").allow_plain_http is False

        prompter.answer("Unencrypted connection", USE_ANYWAY)
        publish_and_wait(qtbot, window, "published", timeout=60000)
        assert find_account("mine").allow_plain_http is True
        assert len(posts_titled(wordpress, title)) == 1

        window.document.set_field("status", "draft")
        publish_and_wait(qtbot, window, "published", timeout=60000)
        assert len(prompter.titled("Unencrypted connection")) == 2  # asked once, plus the "no"


def test_the_account_form_asks_before_testing_or_saving_an_http_address(
    qtbot, window, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    seen: dict = {}
    with ReverseProxy(wordpress.url, host=non_loopback_address()) as proxy:

        def fill(editor: AccountEditor) -> int:
            editor.name_edit.setText("mine")
            editor.url_edit.setText(proxy.url)
            editor.user_edit.setText(wordpress.admin_user)
            editor.password_edit.setText(wordpress.admin_app_password)
            prompter.answer("Unencrypted connection", None)
            editor.test_button.click()  # the writer says no
            seen["declined"] = editor.test_result.text(), list(proxy.requests)
            prompter.answer("Unencrypted connection", USE_ANYWAY)
            editor.test_button.click()
            qtbot.waitUntil(lambda: "Logged in" in editor.test_result.text(), timeout=20000)
            editor.accept()  # agreed already: no second question
            return editor.result()

        monkeypatch.setattr(AccountEditor, "exec", fill)
        monkeypatch.setattr(AccountsDialog, "exec", lambda dialog: dialog.add() or 0)
        window.menu_actions["accounts"].trigger()

    assert seen["declined"] == ("Not tested: the password would travel unencrypted.", [])
    assert len(prompter.titled("Unencrypted connection")) == 2
    assert find_account("mine").allow_plain_http is True
