"""Block markup or classic HTML: the account's setting, else what the blog's posts are written in.

The blog is a recorded-shape stand-in (httpx.MockTransport): on the shared test WordPress the
"latest modified post" is whatever another test touched last, so it cannot pin this case down.
"""

from __future__ import annotations

import httpx

from editor.publish.publisher import Publisher
from editor.publish.wordpress_client import WordPressClient

LINK = '<https://blog.example/wp-json/>; rel="https://api.w.org/"'


def publisher_for(latest_block_version: int | None) -> Publisher:
    """A publisher whose blog's latest post has the given block_version (None: no posts)."""

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, html="", headers={"Link": LINK})
        if latest_block_version is None:
            return httpx.Response(200, json=[])
        post = {"content": {"raw": "<p>x</p>", "block_version": latest_block_version}}
        return httpx.Response(200, json=[post])

    client = WordPressClient(
        "https://blog.example", "ada", "pw", transport=httpx.MockTransport(route)
    )
    return Publisher(client)


def test_the_account_setting_wins() -> None:
    assert publisher_for(0)._output_for("blocks", None) == "blocks"
    assert publisher_for(1)._output_for("classic", None) == "classic"


def test_auto_writes_a_new_post_like_the_blogs_latest_post() -> None:
    assert publisher_for(0)._output_for("auto", None) == "classic"
    assert publisher_for(1)._output_for("auto", None) == "blocks"
    assert publisher_for(None)._output_for("auto", None) == "blocks"


def test_auto_keeps_an_existing_post_in_its_own_format() -> None:
    classic_post = {"content": {"raw": "<p>old</p>", "block_version": 0}}
    assert publisher_for(1)._output_for("auto", classic_post) == "classic"
