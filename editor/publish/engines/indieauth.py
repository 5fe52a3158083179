"""IndieAuth sign-in for Micropub sites: authorization code with PKCE (S256) and a loopback
redirect, Qt-free.

`sign_in_with_indieauth(site_url, open_url=...)` does it all, off the caller's GUI thread: finds
the site's endpoints, opens the authorization URL through `open_url` (the system browser: the
window passes QDesktopServices, the CLI `webbrowser`), waits for the redirect and exchanges the
code for a token. A pasted token is the fallback when no browser can be used. The one-shot
listener binds 127.0.0.1 on a random port, answers only the expected path, and gives up after a
bounded time.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from editor.publish import errors
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.micropub_client import MicropubClient, json_in

log = logging.getLogger(__name__)

CALLBACK_PATH = "/indieauth/callback"
DEFAULT_SCOPE = "create update media"
WAIT_SECONDS = 300.0  # how long the listener waits for the browser's redirect
POLL_SECONDS = 0.5  # how often the wait looks at Cancel
DONE_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Draftpress</title>"
    b"<p>Signed in. You can close this tab and go back to Draftpress.</p>"
)
REFUSED_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Draftpress</title>"
    b"<p>Sign-in did not finish. Go back to Draftpress and try again.</p>"
)


def code_verifier() -> str:
    """Return a new PKCE code verifier (43+ characters of the unreserved alphabet)."""
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    """Return the S256 challenge of a verifier (base64url of its SHA-256, no padding)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SignedIn:
    """What a finished sign-in gave: the token (for the keyring only) and who it names."""

    token: str
    me: str


@dataclass
class _Received:
    """What the listener got: the query of the redirect, once."""

    query: dict[str, str] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)


class _CallbackHandler(http.server.BaseHTTPRequestHandler):
    """Answers GET on the expected path once; anything else is a 404 and is ignored."""

    server: _OneShotServer

    def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
        """Take the redirect's query if the path is the expected one."""
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH or self.server.received.done.is_set():
            self.send_error(404)
            return
        query = {key: values[0] for key, values in parse_qs(parts.query).items() if values}
        ok = "code" in query and query.get("state") == self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(DONE_PAGE if ok else REFUSED_PAGE)
        if query.get("state") == self.server.state:  # a forged redirect never ends the wait
            self.server.received.query = query
            self.server.received.done.set()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Log to `logging`, never stderr (and never the code itself)."""
        log.debug("indieauth listener: %s", self.command)


class _OneShotServer(http.server.HTTPServer):
    """The loopback listener's server: 127.0.0.1, a random free port."""

    def __init__(self, state: str) -> None:
        super().__init__(("127.0.0.1", 0), _CallbackHandler)
        self.state = state
        self.received = _Received()
        self.timeout = POLL_SECONDS


LOOPBACK_CLIENT_ID = "http://127.0.0.1/"
CLIENT_ID_NOTE = """Why the sign-in names the app by the site's own address, not a loopback one.

The IndieAuth WordPress plugin (4.x) looks the client id up when it shows its consent page:
IndieAuth_Client_Taxonomy::add_client() calls itself again, without end, while discovery
finds no name for the client. Discovery never fetches a `localhost` id and fetches
`127.0.0.1` (its "do not fetch" test is inverted) with wp_safe_remote_get, which on a real
server asks the server's own loopback, not the writer's machine, and refuses other ports:
either way no name, so the page recurses until PHP's memory limit (a 500 after ~13 s at
256 MB, measured; longer with a larger limit). The site's own address is fetched and named
(its title), so the consent page works; it then shows the blog's name as the app's.
Draftpress has no web site of its own to name instead."""


class SignIn:
    """One IndieAuth sign-in: the URL to open, the listener, and what the redirect brought."""

    def __init__(
        self,
        me: str,
        authorization_endpoint: str,
        *,
        client_id: str = "",
        scope: str = DEFAULT_SCOPE,
    ) -> None:
        self.me = me
        self.issuer = ""  # the site's `iss` (from its metadata): the redirect must name it
        self.token_endpoint = ""  # where the code is exchanged (start_sign_in sets it)
        self.state = secrets.token_urlsafe(24)
        self.verifier = code_verifier()
        self._server = _OneShotServer(self.state)
        port = self._server.server_address[1]
        self.redirect_uri = f"http://127.0.0.1:{port}{CALLBACK_PATH}"
        # A desktop app has no web site of its own: by default its client id is a loopback
        # address (IndieAuth allows one; a site has no page of ours to fetch, and the loopback
        # redirect is accepted for it), never a domain Draftpress does not control.
        client_id = client_id or LOOPBACK_CLIENT_ID
        self.client_id = client_id
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": self.redirect_uri,
                "state": self.state,
                "code_challenge": code_challenge(self.verifier),
                "code_challenge_method": "S256",
                "scope": scope,
                **({"me": me} if me else {}),  # a hint only; some sites refuse a local one
            }
        )
        joiner = "&" if "?" in authorization_endpoint else "?"
        self.authorization_url = f"{authorization_endpoint}{joiner}{query}"

    def wait_for_code(
        self, timeout: float = WAIT_SECONDS, cancelled: Callable[[], bool] | None = None
    ) -> str:
        """Serve the loopback redirect until it comes (or the time is up); return the code."""
        received = self._server.received
        try:
            deadline = time.monotonic() + timeout
            while not received.done.is_set():
                if time.monotonic() >= deadline:
                    raise errors.Timeout(
                        "Sign-in did not finish in time. Try again, or paste a token from your "
                        "site's token page."
                    )
                if cancelled is not None and cancelled():
                    raise errors.Cancelled("Sign-in was cancelled.")
                self._server.handle_request()  # returns after POLL_SECONDS without a request
        finally:
            self.close()
        query = received.query
        if self.issuer and query.get("iss", self.issuer) != self.issuer:
            raise errors.NotAllowed(
                "The sign-in came back from another site than the one asked. Try again."
            )
        if "error" in query:
            raise errors.NotAllowed(
                f"The site did not allow the sign-in ({query.get('error', '')[:80]})."
            )
        if not query.get("code"):
            raise errors.UnexpectedAnswer("The site's sign-in came back without a code.")
        return query["code"]

    def close(self) -> None:
        """Stop listening."""
        self._server.server_close()


def exchange_code(
    connection: BlogConnection, token_endpoint: str, sign_in: SignIn, code: str
) -> tuple[str, str]:
    """Exchange the code at the token endpoint; return (access token, the `me` it names)."""
    answer = connection.send(
        "POST",
        token_endpoint,
        "finishing the sign-in",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": sign_in.client_id,
            "redirect_uri": sign_in.redirect_uri,
            "code_verifier": sign_in.verifier,
        },
    )
    data = json_in(answer.text, "finishing the sign-in") if answer.content else {}
    if answer.is_error or not isinstance(data, dict) or not data.get("access_token"):
        said = str(data.get("error_description") or data.get("error") or "")[:120] if isinstance(
            data, dict
        ) else ""
        raise errors.WrongCredentials(
            "The site did not give Draftpress a token"
            + (f" ({said})" if said else "")
            + ". Sign in again, or paste a token from your site's token page."
        )
    return str(data["access_token"]), str(data.get("me", ""))


def start_sign_in(
    site_url: str,
    *,
    client_id: str = "",
    scope: str = DEFAULT_SCOPE,
    connection: BlogConnection | None = None,
) -> SignIn:
    """Find the site's sign-in endpoints and start listening; return the sign-in to open.

    The caller opens `authorization_url` in the browser, then calls `finish_sign_in` (both off
    the GUI thread: each asks the site). `connection` is the guarded connection to the site (one
    without a secret is made if None).
    """
    own = connection is None
    site = connection or BlogConnection(site_url)
    try:
        authorization, token_endpoint, issuer = indieauth_endpoints(site)
    finally:
        if own:
            site.close()
    # The app is named by the site's own address unless told otherwise (CLIENT_ID_NOTE).
    sign_in = SignIn("", authorization, client_id=client_id or site_url.rstrip("/") + "/",
                     scope=scope)
    sign_in.issuer = issuer
    sign_in.token_endpoint = token_endpoint
    return sign_in


def finish_sign_in(
    site_url: str,
    sign_in: SignIn,
    *,
    timeout: float = WAIT_SECONDS,
    cancelled: Callable[[], bool] | None = None,
    connection: BlogConnection | None = None,
) -> SignedIn:
    """Wait for the browser's redirect, then exchange the code; return the token and its `me`.

    Blocks until the browser comes back (at most `timeout` seconds, `cancelled` looked at twice
    a second): run it off the GUI thread. The listener is closed whatever happens.
    """
    code = sign_in.wait_for_code(timeout, cancelled)
    own = connection is None
    site = connection or BlogConnection(site_url, cancelled=cancelled)
    try:
        token, me = exchange_code(site, sign_in.token_endpoint, sign_in, code)
    finally:
        if own:
            site.close()
    return SignedIn(token, me)


def sign_in_with_indieauth(
    site_url: str,
    *,
    open_url: Callable[[str], object],
    client_id: str = "",
    scope: str = DEFAULT_SCOPE,
    timeout: float = WAIT_SECONDS,
    cancelled: Callable[[], bool] | None = None,
    connection: BlogConnection | None = None,
) -> SignedIn:
    """Sign in to a Micropub site with IndieAuth; return the token and who it names.

    `start_sign_in`, then `open_url(authorization URL)`, then `finish_sign_in`. Blocks until the
    browser comes back (at most `timeout` seconds): run it off the GUI thread.
    """
    sign_in = start_sign_in(site_url, client_id=client_id, scope=scope, connection=connection)
    try:
        open_url(sign_in.authorization_url)
    except Exception:
        sign_in.close()
        raise
    return finish_sign_in(
        site_url, sign_in, timeout=timeout, cancelled=cancelled, connection=connection
    )


def indieauth_endpoints(connection: BlogConnection) -> tuple[str, str, str]:
    """Return the site's authorization and token endpoints and its issuer ("" if unknown).

    The site's IndieAuth metadata wins when it names both endpoints; else the rel links.
    """
    found = MicropubClient(connection).find_endpoints()
    authorization, token, issuer = found.authorization, found.token, ""
    if found.metadata:
        answer = connection.send(
            "GET", found.metadata, "reading the site's sign-in settings", idempotent=True
        )
        data = None if answer.is_error else json_in(answer.text, "reading sign-in settings")
        if isinstance(data, dict):
            named = (data.get("authorization_endpoint"), data.get("token_endpoint"))
            if all(isinstance(url, str) and url for url in named):
                authorization, token = str(named[0]), str(named[1])
            issuer = str(data.get("issuer") or "") if isinstance(data.get("issuer"), str) else ""
    if not authorization or not token:
        raise errors.ApiUnavailable(
            "This site does not offer IndieAuth sign-in. Paste a token from your site's "
            "token page instead."
        )
    return authorization, token, issuer
