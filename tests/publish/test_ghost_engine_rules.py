"""The Ghost engine's pure rules (no server): tokens, keys, statuses, dates, the HTML sent.

What Ghost does with that HTML is tested against a real Ghost in
tests/integration/engines/test_ghost.py.
"""

from __future__ import annotations

import httpx
import jwt
import pytest

from editor.publish import errors
from editor.publish.engines.ghost_client import (
    GhostClient,
    admin_token,
    nql_text,
    parse_admin_key,
)
from editor.publish.engines.ghost_html import CARD_BEGIN, CARD_END, fence_languages, ghost_html
from editor.publish.engines.ghost_publish import ghost_date, ghost_status, words_sha256
from editor.render.checked_render import render_checked

KEY_ID = "6b115fdf51afc831e255b5d8"
SECRET = "66d23e347a038c72c72e7cc6654d4b43c6c8a9bbe67828f35ebf45e26e1d41e2"


def test_a_token_is_short_lived_signed_with_the_secret_and_names_the_key() -> None:
    token = admin_token(KEY_ID, bytes.fromhex(SECRET), now=1_800_000_000)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": KEY_ID, "typ": "JWT"}
    claims = jwt.decode(
        token,
        bytes.fromhex(SECRET),
        algorithms=["HS256"],
        audience="/admin/",
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims == {"iat": 1_800_000_000, "exp": 1_800_000_300, "aud": "/admin/"}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, b"another secret, 32 bytes or more", algorithms=["HS256"],
                   audience="/admin/", options={"verify_exp": False})  # fmt: skip


@pytest.mark.parametrize(
    "key",
    ["", "password", KEY_ID, f"{KEY_ID}:{SECRET[:-2]}", f"{KEY_ID}:{SECRET}zz", f"x:{SECRET}"],
)
def test_what_is_not_an_admin_api_key_is_refused_in_plain_words(key: str) -> None:
    with pytest.raises(errors.WrongCredentials, match="not a Ghost Admin API key"):
        parse_admin_key(key)


def test_an_admin_api_key_with_spaces_around_it_is_read() -> None:
    assert parse_admin_key(f"  {KEY_ID}:{SECRET}\n") == (KEY_ID, bytes.fromhex(SECRET))


@pytest.mark.parametrize(
    ("status", "ghost"),
    [("draft", "draft"), ("publish", "published"), ("future", "scheduled"),
     ("published", "published"), ("scheduled", "scheduled")],
)  # fmt: skip
def test_statuses_in_ghosts_words(status: str, ghost: str) -> None:
    assert ghost_status(status) == ghost


@pytest.mark.parametrize("status", ["pending", "private", "in-review"])
def test_a_status_ghost_lacks_is_refused(status: str) -> None:
    with pytest.raises(errors.PublishError, match="A Ghost blog can keep a post as Draft, "
                       "Published or Scheduled"):
        ghost_status(status)


def test_dates_go_to_ghost_in_utc() -> None:
    assert ghost_date("2031-05-06T07:08:09+02:00") == "2031-05-06T05:08:09.000Z"


def test_nql_text_escapes_quotes() -> None:
    assert nql_text("It's a \\ test") == "'It\\'s a \\\\ test'"


def test_fence_languages_in_order_and_blank_for_none() -> None:
    body = "```python\na\n```\n\n~~~\nb\n~~~\n\n``` { .js }\nc\n```\n\n````\n```rust\n````\n"
    assert fence_languages(body) == ["python", "", "js", ""]


def render(body: str) -> tuple[str, str]:
    text = f"---\ntitle: T\n---\n{body}"
    return render_checked(text), body


def test_local_images_get_their_uploaded_address_and_others_stay() -> None:
    html, body = render("![a](pic.png) and ![b](https://example.com/b.png)\n")
    sent = ghost_html(html, body, {"pic.png": "https://blog.example/content/images/p&q.png"})
    assert 'src="https://blog.example/content/images/p&amp;q.png"' in sent
    assert 'src="https://example.com/b.png"' in sent and "pic.png" not in sent


def test_an_attributed_quote_goes_in_an_html_card_whole() -> None:
    html, body = render("> Words.\n\n/// caption\n— Someone\n///\n")
    sent = ghost_html(html, body, {})
    assert sent.startswith(CARD_BEGIN + "\n<figure>") and sent.rstrip().endswith(CARD_END)
    assert "<blockquote>" in sent and "— Someone" in sent


def test_highlighted_code_becomes_a_code_card_with_its_language() -> None:
    html, body = render('```python\nprint("a < b")\n```\n')
    expected = '<pre><code class="language-python">print("a &lt; b")\n</code></pre>'
    assert ghost_html(html, body, {}).strip() == expected


def test_a_raw_island_goes_in_an_html_card_verbatim() -> None:
    island = '<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n<!-- /wp:separator -->'
    html, body = render(f"Before.\n\n{island}\n\nAfter.\n")
    sent = ghost_html(html, body, {})
    assert f"{CARD_BEGIN}\n{island}\n{CARD_END}" in sent
    assert "<p>Before.</p>" in sent and "<p>After.</p>" in sent


def test_the_words_fingerprint_ignores_markup_and_spacing_but_not_words() -> None:
    assert words_sha256("<p>One</p>\n<p>two</p>") == words_sha256("<p>One</p><p>two</p>")
    assert words_sha256("<p>One</p>") != words_sha256("<p>Two</p>")


# A real Ghost does not send these answers: a stand-in server (httpx.MockTransport) does.


def client_answering(status: int, body: object) -> GhostClient:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"].startswith("Ghost ey")
        return httpx.Response(status, json=body)

    return GhostClient(
        "https://blog.example", f"{KEY_ID}:{SECRET}", transport=httpx.MockTransport(answer)
    )


@pytest.mark.parametrize(
    "body",
    [{"posts": [{"title": "no id"}]}, {"posts": []}, {"posts": "x"}, [], {"posts": [{"id": 7}]}],
)
def test_a_create_answer_without_a_usable_post_is_an_error_in_plain_words(body: object) -> None:
    with client_answering(201, body) as client, pytest.raises(errors.UnexpectedAnswer):
        client.create_post({"title": "T", "html": "<p>x</p>"})


def test_an_update_answering_with_another_post_is_refused() -> None:
    client = client_answering(200, {"posts": [{"id": "b" * 24}]})
    with client, pytest.raises(errors.UnexpectedAnswer, match="another post"):
        client.update_post("a" * 24, {"title": "T"})


def test_ghost_validation_errors_are_passed_on_in_plain_words() -> None:
    body = {"errors": [{"message": "Validation error, cannot save post.",
                        "context": "Date must be in the future.", "type": "ValidationError"}]}
    client = client_answering(422, body)
    with client, pytest.raises(errors.PublishError, match="Date must be in the future"):
        client.create_post({"title": "T"})


def test_a_ghost_accounts_capabilities_are_ghosts_without_its_key() -> None:
    # The window asks them (registry.capabilities_of opens the engine without the secret):
    # Ghost has no categories and can pull, whatever the generic defaults say.
    from editor.publish.accounts import Account
    from editor.publish.engines.registry import capabilities_of

    found = capabilities_of(Account("g", "https://ghost.example", "", kind="ghost"))
    assert found.pull and not found.categories and found.featured_image
