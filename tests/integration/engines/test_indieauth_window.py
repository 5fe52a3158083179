"""Blog > Accounts…: "Sign in with your site…" against the real IndieAuth plugin (issue 13).

Real widgets (pytest-qt), the real IndieAuth and Micropub plugins on a test WordPress, the real
loopback listener and token endpoint, the in-memory keyring. The one stand-in is the system
browser: the form's `open_url` is given a function that plays it (an httpx client logs in to
WordPress and approves the plugin's consent form, on its own thread, as the writer would),
because no real browser runs in the test.
"""

from __future__ import annotations

import errno
import socket
import threading
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from editor.gui.publishing.accounts_dialog import AccountEditor
from editor.publish.account_client import default_client_factory
from editor.publish.accounts import load_accounts, read_password
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.base import MICROPUB, WORDPRESS
from editor.publish.engines.micropub_client import BearerAuth, MicropubClient
from tests.integration.engines.micropub_site import MicropubSite
from tests.integration.engines.test_indieauth import browser_approves


def _form(qtbot, open_url) -> AccountEditor:
    form = AccountEditor(None, default_client_factory, None, open_url=open_url)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def _listening(port: int) -> bool:
    """False once nothing listens on the port (refused; a full backlog is still listening)."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != errno.ECONNREFUSED


def test_sign_in_with_the_site_fills_the_token_and_save_keeps_it_in_the_keyring(
    qtbot, micropub_site: MicropubSite, memory_keyring
) -> None:
    site = micropub_site
    opened: list[str] = []
    answers: list[httpx.Response] = []

    def browser(url: str) -> None:  # plays the system browser: the writer approves there
        opened.append(url)
        threading.Thread(target=lambda: answers.append(browser_approves(site, url))).start()

    form = _form(qtbot, browser)
    form.url_edit.setText(site.url)
    form.engine_box.setCurrentIndex(form.engine_box.findData(MICROPUB))
    sign_in = form.site_sign_in
    assert sign_in.isVisibleTo(form) and form.password_edit.isVisibleTo(form)  # paste: fallback
    sign_in.button.click()
    assert not sign_in.button.isEnabled() and sign_in.cancel_button.isVisibleTo(form)
    qtbot.waitUntil(lambda: "Signed in" in sign_in.status.text(), timeout=60000)
    assert answers and "Signed in" in answers[0].text  # the loopback listener's page
    assert "code_challenge_method=S256" in opened[0]
    assert sign_in.status.text().startswith(f"Signed in as {site.url}")
    assert sign_in.button.isEnabled() and not sign_in.cancel_button.isVisibleTo(form)
    token = form.password_edit.text()
    assert token and token not in sign_in.status.text()  # never shown
    form.name_edit.setText("notes")
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted
    [account] = load_accounts()
    assert (account.name, account.kind, account.user) == ("notes", MICROPUB, "")
    assert read_password(account) == token
    with BlogConnection(site.url, auth=BearerAuth(token)) as connection:
        assert MicropubClient(connection).discover().media  # the token works on the site


def test_cancel_stops_waiting_for_the_browser_and_closes_the_listener(
    qtbot, micropub_site: MicropubSite, memory_keyring
) -> None:
    opened: list[str] = []
    form = _form(qtbot, lambda url: opened.append(url))  # a browser the writer never uses
    form.url_edit.setText(micropub_site.url)
    form.engine_box.setCurrentIndex(form.engine_box.findData(MICROPUB))
    sign_in = form.site_sign_in
    sign_in.button.click()
    qtbot.waitUntil(lambda: "Waiting for your browser" in sign_in.status.text(), timeout=30000)
    redirect = parse_qs(urlsplit(opened[0]).query)["redirect_uri"][0]
    port = urlsplit(redirect).port
    assert port and _listening(port)
    sign_in.cancel_button.click()
    assert sign_in.status.text().startswith("Sign-in cancelled")
    assert sign_in.button.isEnabled() and not sign_in.cancel_button.isVisibleTo(form)
    qtbot.waitUntil(lambda: not _listening(port), timeout=10000)
    assert form.password_edit.text() == ""
    form.reject()
    assert load_accounts() == []


def test_closing_the_form_while_waiting_stops_the_sign_in(
    qtbot, micropub_site: MicropubSite, memory_keyring
) -> None:
    opened: list[str] = []
    form = _form(qtbot, lambda url: opened.append(url))
    form.url_edit.setText(micropub_site.url)
    form.engine_box.setCurrentIndex(form.engine_box.findData(MICROPUB))
    form.site_sign_in.button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)
    port = urlsplit(parse_qs(urlsplit(opened[0]).query)["redirect_uri"][0]).port
    assert port
    form.reject()
    qtbot.waitUntil(lambda: not _listening(port), timeout=10000)


def test_a_browser_that_cannot_open_shows_the_address_to_open(
    qtbot, micropub_site: MicropubSite, memory_keyring
) -> None:
    form = _form(qtbot, lambda url: "The system browser could not be started.")
    form.url_edit.setText(micropub_site.url)
    form.engine_box.setCurrentIndex(form.engine_box.findData(MICROPUB))
    sign_in = form.site_sign_in
    sign_in.button.click()
    qtbot.waitUntil(lambda: "yourself" in sign_in.status.text(), timeout=30000)
    assert sign_in.copy_button.isVisibleTo(form)  # the address is too long to show
    sign_in.copy_button.click()
    assert "code_challenge=" in QGuiApplication.clipboard().text()
    assert sign_in.status.text().startswith("Copied.")
    sign_in.cancel_button.click()
    assert not sign_in.copy_button.isVisibleTo(form)


@pytest.mark.parametrize("kind", [WORDPRESS, "ghost", "xmlrpc"])
def test_only_micropub_offers_the_sign_in(qtbot, kind: str) -> None:
    form = _form(qtbot, lambda url: None)
    form.engine_box.setCurrentIndex(form.engine_box.findData(kind))
    assert not form.site_sign_in.isVisibleTo(form)
    form.engine_box.setCurrentIndex(form.engine_box.findData(MICROPUB))
    assert form.site_sign_in.isVisibleTo(form)
