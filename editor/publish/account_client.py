"""The client for an account: its pinned certificate, the http:// rule, a reachability probe."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from typing import Any, TypedDict
from urllib.parse import urlsplit

import httpx

from editor.publish import errors, request_limits
from editor.publish.accounts import Account
from editor.publish.blog_http import USER_AGENT, is_local_host
from editor.publish.certificates import verify_for
from editor.publish.wordpress_client import WordPressClient

log = logging.getLogger(__name__)

PROBE_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
PROBE_DEADLINE_S = 15.0  # the whole probe, however slowly the blog trickles its answer


def needs_plain_http_consent(account: Account) -> bool:
    """Tell whether the account's password would travel unencrypted and nobody agreed to it."""
    return (
        account.url.startswith("http://")
        and not is_local_host(account.url)
        and not account.allow_plain_http
    )


def plain_http_question(url: str) -> str:
    """Return the question asked before a password goes over http:// to another machine."""
    host = urlsplit(url).hostname or url
    return (
        f"Your password would travel unencrypted to {host}: anyone on the network between "
        "you and the blog could read it. Use it anyway for this blog?"
    )


def require_safe_transport(account: Account) -> None:
    """Refuse, before any request, to send the password over http:// without consent."""
    if needs_plain_http_consent(account):
        raise errors.PlainHttpRefused(
            f"{account.url} starts with http://, so your password would travel unencrypted. "
            "Use the blog's https:// address, or confirm once that this blog may use http:// "
            "(Blog > Accounts… > Edit, then Save; or `draftpress blogs add NAME --url URL "
            "--user USER --allow-insecure-http`)."
        )


class AccountTrust(TypedDict):
    """How a connection to an account's blog checks its certificate (BlogConnection options)."""

    verify: ssl.SSLContext | bool
    pinned_sha256: str


def account_trust(account: Account) -> AccountTrust:
    """Refuse the http:// rule's breach; return the options trusting the account's certificate.

    Every engine opens its connection with these, so a pinned certificate is honoured and a
    secret never goes over http:// without consent, whichever engine the blog uses.
    """
    require_safe_transport(account)
    return {"verify": verify_for(account.pinned_pem), "pinned_sha256": account.pinned_sha256}


def client_for_account(account: Account, password: str, **options: Any) -> WordPressClient:
    """Return a client for the account (pinned certificate honoured, http:// rule enforced)."""
    return WordPressClient(
        account.url, account.user, password, **account_trust(account), **options
    )


def blog_answers(account: Account, *, transport: httpx.BaseTransport | None = None) -> bool:
    """Tell whether the blog answers at all: one HEAD of its address, without the password.

    Any HTTP answer counts (even an error page), and so does a certificate problem: the
    publish itself then says what is wrong. Only a failed connection means "not yet".
    """
    try:
        with (
            httpx.Client(
                verify=verify_for(account.pinned_pem),
                timeout=PROBE_TIMEOUT,
                transport=transport,
                headers={"User-Agent": USER_AGENT},
            ) as http,
            request_limits.limited(PROBE_DEADLINE_S),
        ):
            request_limits.bind_to_limits(http).head(account.url.rstrip("/") + "/")
    except request_limits.DeadlinePassed:  # connected, but the answer trickles: it answers
        return True
    except request_limits.RequestCancelled:  # Draftpress is closing
        return False
    except httpx.ConnectError as error:
        return "CERTIFICATE" in str(error).upper()
    except httpx.TimeoutException:
        return False
    except httpx.TransportError as error:
        log.info("probe of %s: %s", account.name, type(error).__name__)
        return False
    return True


ClientFactory = Callable[[Account, str], WordPressClient]


def default_client_factory(account: Account, password: str) -> WordPressClient:
    """Return a client for the account's site, logged in with `password`."""
    return client_for_account(account, password)
