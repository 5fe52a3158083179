"""Micropub answers parsed defensively: JSON after a theme's CSS, discovery by <link> elements.

Built responses here: the real server (tests/integration/engines) does not print CSS before
its JSON on demand, and a page with only <link> elements needs a site without Link headers.
"""

from __future__ import annotations

import re

import httpx
import pytest

from editor.publish import errors
from editor.publish.engines.indieauth import code_challenge, code_verifier
from editor.publish.engines.micropub_client import discovered_links, json_in
from editor.publish.engines.micropub_content import categories_for


def test_json_after_css_is_found() -> None:
    text = '<style>.a{color:red}</style>\n{"media-endpoint": "https://x/media", "q": ["source"]}'
    assert json_in(text, "reading")["q"] == ["source"]


def test_a_web_page_is_not_json() -> None:
    with pytest.raises(errors.NotJson):
        json_in("<html><body>{not json}</body></html>", "reading")


def test_discovery_by_link_elements_and_headers() -> None:
    page = (
        '<html><head><link rel="micropub" href="/mp"><link rel="token_endpoint" '
        'href="https://example.com/token"></head></html>'
    )
    response = httpx.Response(
        200,
        headers={"content-type": "text/html", "link": '<https://example.com/m2>; rel="micropub"'},
        text=page,
        request=httpx.Request("GET", "https://example.com/"),
    )
    found = discovered_links(response)
    assert found["micropub"] == "https://example.com/m2"  # the header wins
    assert found["token_endpoint"] == "https://example.com/token"


def test_pkce_verifier_and_challenge_have_the_rfcs_shape() -> None:
    """RFC 7636: a verifier of 43-128 unreserved characters; S256 gives 43 base64url ones.
    (That the real token endpoint accepts the pair: tests/integration/engines/test_indieauth.)"""
    verifier = code_verifier()
    assert 43 <= len(verifier) <= 128 and re.fullmatch(r"[A-Za-z0-9._~-]+", verifier)
    challenge = code_challenge(verifier)
    assert len(challenge) == 43 and re.fullmatch(r"[A-Za-z0-9_-]+", challenge)
    assert code_challenge(verifier) == challenge != code_challenge(code_verifier())


def test_tags_and_categories_become_one_category_list() -> None:
    assert categories_for(["art", "News"], ["news", "Travel"]) == ["art", "News", "Travel"]


def test_capabilities_ask_nothing_of_the_network() -> None:
    # The window asks every account's capabilities on the GUI thread (registry.capabilities_of):
    # an engine must answer them without a request. An address nothing listens on would fail
    # (or wait) if capabilities() connected.
    from editor.publish.accounts import Account
    from editor.publish.engines.registry import capabilities_of

    account = Account("notes", "http://127.0.0.1:9", "", kind="micropub")
    found = capabilities_of(account)
    assert found.pull and found.tags and not found.categories and not found.pages
