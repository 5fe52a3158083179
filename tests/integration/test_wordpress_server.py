"""The test WordPress itself: REST, Application Passwords, roles, posts and media."""

from __future__ import annotations

import struct
import uuid
import zlib

import httpx

from tests.integration.wordpress_server import WordPressServer


def tiny_png() -> bytes:
    """A valid 1x1 red PNG (WordPress checks that an upload really is an image)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_rest_root_answers_as_wordpress(wordpress: WordPressServer) -> None:
    response = wordpress.client.get(wordpress.rest_url)
    assert response.status_code == 200
    assert 'rel="https://api.w.org/"' in response.headers["link"]
    assert response.json()["url"] == wordpress.url


def test_admin_application_password_gives_its_capabilities(wordpress: WordPressServer) -> None:
    response = wordpress.request("GET", "wp/v2/users/me", params={"context": "edit"})
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["slug"] == wordpress.admin_user
    assert me["id"] == wordpress.admin_id
    assert "administrator" in me["roles"]
    assert me["capabilities"]["publish_posts"] is True
    assert me["capabilities"]["upload_files"] is True


def test_author_may_not_create_categories(wordpress: WordPressServer) -> None:
    me = wordpress.request("GET", "wp/v2/users/me", as_user="author", params={"context": "edit"})
    assert me.status_code == 200, me.text
    assert me.json()["roles"] == ["author"]
    response = wordpress.request(
        "POST", "wp/v2/categories", as_user="author", json={"name": f"cat-{uuid.uuid4().hex}"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "rest_cannot_create"


def test_post_round_trips_raw_content(wordpress: WordPressServer) -> None:
    title = f"Round trip {uuid.uuid4().hex}"
    content = '<p>Hello <em>WordPress</em> &amp; "quotes"</p>\n\n<blockquote><p>q</p></blockquote>'
    before = wordpress.count_posts()
    response = wordpress.request(
        "POST",
        "wp/v2/posts",
        json={
            "title": title,
            "content": content,
            "status": "publish",
            "categories": [wordpress.category_ids["News"]],
        },
    )
    assert response.status_code == 201, response.text
    post = wordpress.get_post_raw(response.json()["id"])
    assert post["title"]["raw"] == title
    assert post["content"]["raw"] == content
    assert post["categories"] == [wordpress.category_ids["News"]]
    assert wordpress.count_posts() == before + 1

    edited = wordpress.edit_post_on_server(post["id"], "<p>Changed in wp-admin</p>")
    assert edited["content"]["raw"] == "<p>Changed in wp-admin</p>"
    assert edited["modified_gmt"] > post["modified_gmt"]


def test_plain_permalinks_serve_rest_route_only(wordpress: WordPressServer) -> None:
    with wordpress.plain_permalinks():
        fallback = wordpress.client.get(f"{wordpress.url}/?rest_route=/")
        assert fallback.status_code == 200
        assert fallback.json()["url"] == wordpress.url
        # /wp-json/ is then just the blog's front page: 200, but HTML.
        pretty = wordpress.client.get(wordpress.rest_url)
        assert not pretty.headers["content-type"].startswith("application/json")
        assert wordpress.count_posts() >= 0
    assert wordpress.client.get(wordpress.rest_url).json()["url"] == wordpress.url


def test_media_upload_is_served(wordpress: WordPressServer) -> None:
    before = wordpress.count_media()
    name = f"pixel-{uuid.uuid4().hex[:8]}.png"
    response = wordpress.request(
        "POST",
        "wp/v2/media",
        content=tiny_png(),
        headers={
            "Content-Type": "image/png",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
    assert response.status_code == 201, response.text
    media = response.json()
    assert media["source_url"].startswith(wordpress.url + "/wp-content/uploads/")
    assert media["source_url"].endswith(".png")
    image = wordpress.client.get(media["source_url"])
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/png")
    assert image.content == tiny_png()
    assert wordpress.count_media() == before + 1


def test_wrong_application_password_is_401(wordpress: WordPressServer) -> None:
    response = wordpress.request(
        "GET",
        "wp/v2/users/me",
        auth=httpx.BasicAuth(wordpress.admin_user, "abcd efgh ijkl mnop qrst uvwx"),
    )
    assert response.status_code == 401
    # WordPress rejects the login, then answers as to anyone not logged in.
    assert response.json()["code"] == "rest_not_logged_in"
