"""IndieAuth sign-in against the real IndieAuth plugin (the Micropub test site).

The system browser is played by an httpx client that logs in to WordPress and approves the
plugin's consent form; everything else is the real thing: the authorization endpoint, the
loopback listener, PKCE, and the code exchanged at the real token endpoint.
"""

from __future__ import annotations

import threading
from html.parser import HTMLParser
from urllib.parse import urlencode

import httpx
import pytest

from editor.publish import errors
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.indieauth import (
    SignIn,
    code_challenge,
    exchange_code,
    sign_in_with_indieauth,
)
from editor.publish.engines.micropub_client import BearerAuth, MicropubClient
from tests.integration.engines.micropub_site import MicropubSite


class _Form(HTMLParser):
    """The consent form: its action and the values a browser would post."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form" and values.get("method") == "post":
            self.action = values.get("action") or ""
        if tag == "input" and values.get("name"):
            kind = values.get("type")
            if kind in ("checkbox", "radio") and "checked" not in values:
                return
            self.fields.append((values["name"], values.get("value") or ""))


def browser_approves(site: MicropubSite, url: str) -> httpx.Response:
    """Log in to WordPress and approve the consent form, as the writer would in a browser."""
    browser = httpx.Client(trust_env=False, timeout=30, follow_redirects=True)
    browser.cookies.set("wordpress_test_cookie", "WP Cookie check")
    login = browser.post(
        site.url + "/wp-login.php",
        data={"log": site.server.admin_user, "pwd": site.server.admin_password,
              "wp-submit": "Log In", "testcookie": "1"},
    )
    assert login.status_code == 200
    consent = browser.get(url)
    form = _Form()
    form.feed(consent.text)
    assert form.action, consent.text[-1500:]
    body = urlencode([*form.fields, ("wp-submit", "authorize")])
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return browser.post(form.action, content=body, headers=headers)


def test_sign_in_with_pkce_and_loopback(micropub_site: MicropubSite) -> None:
    site = micropub_site
    with BlogConnection(site.url) as plain:
        endpoints = MicropubClient(plain).find_endpoints()
    sign_in = SignIn("", endpoints.authorization, client_id=site.url + "/")
    assert sign_in.redirect_uri.startswith("http://127.0.0.1:")
    assert f"code_challenge={code_challenge(sign_in.verifier)}" in sign_in.authorization_url
    codes: list[str] = []
    waiting = threading.Thread(target=lambda: codes.append(sign_in.wait_for_code(20)))
    waiting.start()
    answer = browser_approves(site, sign_in.authorization_url)
    waiting.join(30)
    assert answer.status_code == 200 and "Signed in" in answer.text
    assert codes
    with BlogConnection(site.url) as plain:
        token, who = exchange_code(plain, endpoints.token, sign_in, codes[0])
    assert who.startswith(site.url)
    with BlogConnection(site.url, auth=BearerAuth(token)) as signed:
        assert MicropubClient(signed).discover().media


def test_sign_in_with_indieauth_end_to_end(micropub_site: MicropubSite) -> None:
    """The one call the window and the CLI make: metadata, browser, listener, exchange."""
    site = micropub_site
    answers: list[httpx.Response] = []
    browsers: list[threading.Thread] = []

    def open_url(url: str) -> None:  # the system browser, which the writer then uses
        assert "code_challenge_method=S256" in url and "state=" in url
        browser = threading.Thread(target=lambda: answers.append(browser_approves(site, url)))
        browser.start()
        browsers.append(browser)

    signed = sign_in_with_indieauth(site.url, open_url=open_url, client_id=site.url + "/",
                                    timeout=30)
    browsers[0].join(30)
    assert answers and "Signed in" in answers[0].text
    assert signed.me.startswith(site.url) and signed.token
    with BlogConnection(site.url, auth=BearerAuth(signed.token)) as connection:
        assert MicropubClient(connection).discover().media


def test_code_exchange_needs_the_verifier(micropub_site: MicropubSite) -> None:
    """A code with the wrong PKCE verifier is refused by the real token endpoint."""
    site = micropub_site
    with BlogConnection(site.url) as plain:
        endpoints = MicropubClient(plain).find_endpoints()
    sign_in = SignIn("", endpoints.authorization, client_id=site.url + "/")
    codes: list[str] = []
    waiting = threading.Thread(target=lambda: codes.append(sign_in.wait_for_code(20)))
    waiting.start()
    browser_approves(site, sign_in.authorization_url)
    waiting.join(30)
    sign_in.verifier = "x" * 50
    with BlogConnection(site.url) as plain, pytest.raises(errors.WrongCredentials):
        exchange_code(plain, endpoints.token, sign_in, codes[0])


def test_blogs_add_signs_in_with_indieauth_in_the_browser(
    micropub_site: MicropubSite, memory_keyring, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`draftpress blogs add NAME --url URL --sign-in`: the real CLI, IndieAuth and keyring."""
    import webbrowser

    from editor.cli import main
    from editor.publish.accounts import find_account, read_password

    site = micropub_site
    browsers: list[threading.Thread] = []
    answers: list[httpx.Response] = []

    def browser_opens(url: str) -> bool:  # the system browser, where the writer approves
        browser = threading.Thread(target=lambda: answers.append(browser_approves(site, url)))
        browser.start()
        browsers.append(browser)
        return True

    monkeypatch.setattr(webbrowser, "open", browser_opens)
    code = main(["blogs", "add", "notes", "--url", site.url, "--sign-in"])
    out = capsys.readouterr().out
    assert code == 0, out
    browsers[0].join(30)
    assert "Signed in as" in out  # the site is WordPress too: --sign-in means Micropub
    account = find_account("notes")
    assert account.kind == "micropub" and account.user == ""
    token = read_password(account)
    with BlogConnection(site.url, auth=BearerAuth(token)) as connection:
        assert MicropubClient(connection).discover().media
    assert token not in out  # the token goes to the keyring only


def test_sign_in_is_refused_for_an_engine_without_indieauth(
    micropub_site: MicropubSite, memory_keyring, capsys
) -> None:
    from editor.cli import main

    code = main(
        ["blogs", "add", "wp", "--url", micropub_site.url, "--engine", "wordpress",
         "--user", "ada", "--sign-in"]
    )
    assert code == 2
    assert "--sign-in is for Micropub blogs" in capsys.readouterr().err
