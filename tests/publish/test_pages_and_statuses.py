"""Pages, listings, sticky flags and a blog's own statuses, without a server (issue 11).

The blog is a recorded-shape stand-in (httpx.MockTransport): what is checked here is what
Draftpress sends; tests/integration/test_pages_and_listing.py holds the same on a real WordPress.
"""

from __future__ import annotations

import json

import httpx
import pytest

from editor.core.post import Post, meta_from_text
from editor.publish import errors
from editor.publish.publisher import Publisher, PublishOptions
from editor.publish.pull import post_from_server
from editor.publish.remote_record import RemoteRecord, read_remote_record, with_remote_record
from editor.publish.wordpress_client import PostListing, WordPressClient
from tests.publish.test_wordpress_client import API_LINK, PASSWORD, SITE

BLOG = "my blog"
BLOCK = "<!-- wp:paragraph -->\n<p>Opening hours.</p>\n<!-- /wp:paragraph -->"


def server_item(kind: str = "post", **extra) -> dict:
    """A post or page as WordPress answers with context=edit."""
    item = {
        "id": 41,
        "type": kind,
        "date": "2024-05-01T10:30:00",
        "modified_gmt": "2024-05-01T08:30:00",
        "slug": "hours",
        "status": "publish",
        "link": f"{SITE}/hours/",
        "title": {"raw": "Hours"},
        "content": {"raw": BLOCK, "block_version": 1},
        "featured_media": 0,
        **extra,
    }
    if kind == "post":
        item.setdefault("tags", [])
        item.setdefault("categories", [])
        item.setdefault("sticky", False)
        item.setdefault("excerpt", {"raw": ""})
    return item


class Blog:
    """Answers reads and updates of one post or page; records what was sent where."""

    def __init__(self, item: dict) -> None:
        self.item = item
        self.sent: list[tuple[str, str, dict]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/":
            return httpx.Response(200, html="<html></html>", headers={"Link": API_LINK})
        body = json.loads(request.content) if request.content else {}
        self.sent.append((request.method, path, body))
        kind_route = (
            "/wp-json/wp/v2/pages/" if self.item["type"] == "page" else "/wp-json/wp/v2/posts/"
        )
        if path != f"{kind_route}{self.item['id']}":
            return httpx.Response(
                404, json={"code": "rest_post_invalid_id", "message": "Invalid post ID."}
            )
        if request.method == "POST":
            self.item = {**self.item, "modified_gmt": "2024-06-01T08:00:00"}
            self.item["content"] = {"raw": body.get("content", ""), "block_version": 1}
            self.item.update({k: v for k, v in body.items() if k in ("status", "sticky")})
        return httpx.Response(200, json=self.item)

    def client(self) -> WordPressClient:
        return WordPressClient(SITE, "ada", PASSWORD, transport=httpx.MockTransport(self.handle))

    def updates(self) -> list[tuple[str, dict]]:
        return [(path, body) for method, path, body in self.sent if method == "POST"]


def publish(blog: Blog, text: str) -> str:
    """Publish `text` to the blog with block output; return it with the new record."""
    with blog.client() as client:
        result = Publisher(client).publish(Post(text), BLOG, PublishOptions(output="blocks"))
    return with_remote_record(text, result.record)


def test_list_posts_asks_for_one_page_and_reads_the_whole_count() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, html="<html></html>", headers={"Link": API_LINK})
        seen.append(request)
        items = [server_item("page", id=i) for i in range(20)]
        return httpx.Response(
            200, json=items, headers={"X-WP-Total": "134", "X-WP-TotalPages": "7"}
        )

    transport = httpx.MockTransport(handle)
    with WordPressClient(SITE, "ada", PASSWORD, transport=transport) as client:
        listing = client.list_posts("page", page=3, per_page=20, search=" hours ", status="draft")
        client.list_posts()
    params = seen[0].url.params
    assert seen[0].url.path == "/wp-json/wp/v2/pages"
    assert (params["page"], params["per_page"], params["status"]) == ("3", "20", "draft")
    assert (params["search"], params["search_columns"], params["context"]) == (
        "hours",
        "post_title",
        "edit",
    )
    assert "search" not in seen[1].url.params and seen[1].url.params["status"] == "any"
    assert seen[1].url.path == "/wp-json/wp/v2/posts"
    assert (listing.total, listing.total_pages, listing.first, listing.last) == (134, 7, 41, 60)
    assert listing.summary("Pages") == "Pages 41–60 of 134"
    assert PostListing([], 0, 0, 1, 20).summary("Posts") == "No posts"


def test_a_posts_record_stays_as_it_was_and_a_pages_record_keeps_its_type() -> None:
    post_record = RemoteRecord(blog=BLOG, id=3, url="u")
    assert "type" not in post_record.to_yaml_data() and post_record.post_type == "post"
    text = with_remote_record("---\ntitle: A\n---\nx\n", RemoteRecord(blog=BLOG, id=4, type="page"))
    assert "type: page" in text
    assert read_remote_record(text, BLOG).post_type == "page"


def test_a_pulled_page_has_no_tags_categories_or_sticky_and_records_its_type() -> None:
    text = post_from_server(server_item("page"), blog=BLOG)
    data = meta_from_text(text)
    assert (data.tags, data.categories, data.sticky) == ([], [], None)
    assert "tags:" not in text and "categories:" not in text and "sticky" not in text
    record = read_remote_record(text, BLOG)
    assert (record.type, record.custom_status) == ("page", "")


def test_a_pulled_sticky_post_says_so_and_a_blogs_own_status_is_recorded() -> None:
    text = post_from_server(server_item(sticky=True, status="in-review"), blog=BLOG)
    assert meta_from_text(text).sticky is True and meta_from_text(text).status == "in-review"
    assert read_remote_record(text, BLOG).custom_status == "in-review"
    plain = post_from_server(server_item(), blog=BLOG)
    assert "sticky" not in plain and read_remote_record(plain, BLOG).custom_status == ""


@pytest.mark.parametrize(
    ("value", "flag"),
    [("true", True), ("yes", True), ("false", False), ('"no"', False), ("maybe", None)],
)
def test_the_sticky_field_reads_as_yes_no_or_unsaid(value: str, flag: bool | None) -> None:
    assert meta_from_text(f"---\nsticky: {value}\n---\n").sticky is flag


def test_a_page_is_updated_through_the_pages_route_without_post_only_fields() -> None:
    blog = Blog(server_item("page"))
    text = post_from_server(blog.item, blog=BLOG).replace("Opening hours.", "Closing hours.")
    text = text.replace("status: publish", "status: publish\ntags: [x]\nsticky: true")

    publish(blog, text)

    [(path, body)] = blog.updates()
    assert path == "/wp-json/wp/v2/pages/41"
    assert not {"tags", "categories", "sticky"} & set(body)
    assert "Closing hours." in body["content"]


def test_sticky_is_sent_only_when_the_front_matter_says() -> None:
    blog = Blog(server_item(sticky=True))
    text = post_from_server(blog.item, blog=BLOG)
    text = publish(blog, text.replace("sticky: true\n", "").replace("Opening", "Later"))
    publish(blog, text.replace("Later", "Latest").replace("status:", "sticky: true\nstatus:"))
    [(_, untouched), (_, said)] = blog.updates()
    assert "sticky" not in untouched and said["sticky"] is True


def test_a_status_the_blog_gave_is_kept_and_a_made_up_one_is_refused_before_sending() -> None:
    blog = Blog(server_item(status="in-review"))
    text = post_from_server(blog.item, blog=BLOG)

    publish(blog, text.replace("Opening", "Reviewed"))

    [(_, body)] = blog.updates()
    assert "status" not in body  # left as the blog has it
    blog.sent.clear()
    made_up = "---\ntitle: New\nstatus: in-review\n---\nHi.\n"
    with pytest.raises(errors.PublishError, match="not a post status WordPress knows"):
        publish(blog, made_up)
    assert blog.sent == []
