"""Publishing to a real WordPress on 127.0.0.1: create, read back, republish, conflicts, roles.

The only stand-in is `LosingTransport`, which lets a create request reach the real server and
then drops its answer, because a real WordPress cannot be made to lose a response on demand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from editor.core.post import Post, load_post, save_post
from editor.publish import errors
from editor.publish.publisher import Publisher, PublishOptions
from editor.publish.remote_record import read_remote_record, sha256_text, with_remote_record
from editor.publish.wordpress_client import WordPressClient
from tests.integration.sample_posts import unique, write_sample_post
from tests.integration.wordpress_server import WordPressServer

BLOG = "test-blog"


class CountingTransport(httpx.BaseTransport):
    """Passes requests to the real server and counts them by method and path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


class LosingTransport(CountingTransport):
    """Sends the first post create to the real server, then loses its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not self.lost and request.method == "POST" and request.url.path.endswith("/posts"):
            response.read()
            self.lost = True
            raise httpx.ReadError("connection dropped after the server answered")
        return response


def make_post(folder: Path, title: str, extra: str = "", categories: str = "[News]") -> Path:
    """Write a post with two local images, a captioned figure, a quote and code."""
    front_matter = (
        f'title: "{title}"\nstatus: publish\ntags: [art, tools]\ncategories: {categories}\n'
        f"excerpt: A test post.\n{extra}"
    )
    stem = title.lower().replace(" ", "-")
    return write_sample_post(folder, stem, front_matter, (0x3366AA, 0xAA6633), read_more=True)


def publish(
    server: WordPressServer,
    path: Path,
    *,
    user: str = "admin",
    transport: httpx.BaseTransport | None = None,
    **options,
) -> tuple:
    """Publish a post file the way the CLI does; return the result and the saved post."""
    # Block markup unless a test asks otherwise: "auto" follows whatever post another test
    # touched last on this shared site (the choice itself is tested in tests/publish).
    options.setdefault("output", "blocks")
    password = server.admin_app_password if user == "admin" else server.author_app_password
    name = server.admin_user if user == "admin" else server.author_user
    post = load_post(path)
    saved = {"post": post}

    def checkpoint(record) -> None:
        saved["post"] = save_post(
            saved["post"].with_text(with_remote_record(saved["post"].text, record))
        )

    with WordPressClient(server.url, name, password, transport=transport) as client:
        result = Publisher(client, checkpoint=checkpoint).publish(
            post, BLOG, PublishOptions(**options)
        )
    checkpoint(result.record)
    return result, load_post(path)


def test_a_post_with_images_quote_and_code_arrives_exactly_as_sent(wordpress, tmp_path) -> None:
    posts, media = wordpress.count_posts(), wordpress.count_media()
    result, post = publish(wordpress, make_post(tmp_path, unique("First Post")))
    assert result.created and result.uploaded == 2
    assert wordpress.count_posts() == posts + 1
    assert wordpress.count_media() == media + 2
    record = read_remote_record(post.text, BLOG)
    assert record.id == result.record.id and len(record.media) == 2
    raw = wordpress.get_post_raw(record.id)["content"]["raw"]
    assert sha256_text(raw) == record.content_sha256
    assert "<!-- wp:image" in raw and "<!-- wp:quote" in raw and "<cite>" in raw
    assert "wp-image-" in raw and "a &lt; b &amp; c" in raw
    assert "first.png" not in raw.split("uploads")[0]  # local paths were replaced
    media_items = [
        wordpress.request("GET", f"wp/v2/media/{m.id}", params={"context": "edit"})
        for m in record.media.values()
    ]
    described = {item.json()["alt_text"]: item.json()["caption"]["raw"] for item in media_items}
    assert described["A hammer and nails"].startswith("A hammer (art by Tall Jerome)")
    assert described["Second picture"] == ""
    assert read_remote_record(post.text, BLOG).pending_media == []


def test_republishing_an_unchanged_post_sends_nothing_and_creates_nothing(
    wordpress, tmp_path
) -> None:
    path = make_post(tmp_path, unique("Unchanged"))
    first, _ = publish(wordpress, path)
    posts, media = wordpress.count_posts(), wordpress.count_media()
    counting = CountingTransport()
    again, _ = publish(wordpress, path, transport=counting)
    assert not again.created and not again.updated and again.uploaded == 0
    assert again.record.id == first.record.id
    assert (wordpress.count_posts(), wordpress.count_media()) == (posts, media)
    assert len(counting.requests) <= 3, counting.requests


def test_an_edited_post_updates_the_same_post(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("Edited"))
    first, post = publish(wordpress, path)
    save_post(post.with_text(post.text + "\nA new closing paragraph.\n"))
    second, _ = publish(wordpress, path)
    assert second.updated and second.record.id == first.record.id and second.uploaded == 0
    assert "A new closing paragraph." in wordpress.get_post_raw(first.record.id)["content"]["raw"]


def test_a_post_edited_on_the_server_is_not_overwritten_unless_asked(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("Conflict"))
    first, post = publish(wordpress, path)
    wordpress.edit_post_on_server(
        first.record.id, "<!-- wp:paragraph -->\n<p>Edited in wp-admin</p>\n<!-- /wp:paragraph -->"
    )
    save_post(post.with_text(post.text + "\nLocal change.\n"))
    with pytest.raises(errors.EditedOnServer):
        publish(wordpress, path)
    assert "Edited in wp-admin" in wordpress.get_post_raw(first.record.id)["content"]["raw"]
    forced, _ = publish(wordpress, path, overwrite_server_edits=True)
    assert forced.updated
    assert "Local change." in wordpress.get_post_raw(first.record.id)["content"]["raw"]


def test_an_author_may_publish_but_not_create_categories(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("By Author"), categories="[Brand New Category]")
    with pytest.raises(errors.NotAllowed, match="may not create categories"):
        publish(wordpress, path, user="author")
    ok = make_post(tmp_path, unique("By Author Ok"), categories="[News]")
    result, _ = publish(wordpress, ok, user="author", status="pending")
    assert result.created and result.status == "pending"


def test_a_future_date_schedules_the_post(wordpress, tmp_path) -> None:
    when = (dt.datetime.now() + dt.timedelta(days=30)).strftime("%Y-%m-%dT10:30:00")
    path = make_post(tmp_path, unique("Scheduled"), extra=f"date: {when}\n")
    result, _ = publish(wordpress, path, status="future")
    assert result.status == "future"
    assert wordpress.get_post_raw(result.record.id)["date"].startswith(when[:16])


def test_a_lost_answer_to_create_then_a_retry_makes_one_post(wordpress, tmp_path) -> None:
    title = unique("Lost Answer")
    path = make_post(tmp_path, title)
    posts = wordpress.count_posts()
    with pytest.raises(errors.NoNetwork):
        publish(wordpress, path, transport=LosingTransport())
    assert wordpress.count_posts() == posts + 1  # the server did create it
    pending = read_remote_record(load_post(path).text, BLOG).pending_create
    assert pending.get("title") == title
    result, _ = publish(wordpress, path)
    assert not result.created
    assert wordpress.count_posts() == posts + 1
    assert read_remote_record(load_post(path).text, BLOG).pending_create == {}


def test_the_local_file_keeps_every_byte_of_the_body_after_publishing(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("Body Kept"))
    before = Post(load_post(path).text).body
    publish(wordpress, path)
    assert load_post(path).body == before
