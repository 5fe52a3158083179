"""The Ghost engine against a real Ghost 5 on 127.0.0.1 (the `ghost` fixture): the contract.

Each step is a small function the shared contract suite can take over. The only stand-in is
`LosingTransport`, which lets a create reach the real Ghost and then drops its answer: a real
server cannot be made to lose a response on demand.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image

from editor.core.post import Post, load_post, save_post
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.engines import registry
from editor.publish.engines.base import GHOST
from editor.publish.engines.detect import speaks
from editor.publish.engines.ghost import GhostEngine
from editor.publish.engines.ghost_client import GhostClient, parse_admin_key
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import with_remote_record
from tests.integration.ghost_server import GhostServer

BLOG = "ghost-test"


class CountingTransport(httpx.BaseTransport):
    """Passes requests to the real server and counts them by method and path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


class LosingTransport(CountingTransport):
    """Sends the first post create to the real Ghost, then loses its answer (a fault AFTER the
    server handled it, as when a connection drops on the way back)."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not self.lost and request.method == "POST" and request.url.path.endswith("/posts/"):
            response.read()
            self.lost = True
            raise httpx.ReadError("connection dropped after the server answered")
        return response


def account(ghost: GhostServer) -> Account:
    return Account(name=BLOG, url=ghost.url, user="", kind=GHOST)


def engine_for(ghost: GhostServer, transport: httpx.BaseTransport | None = None) -> GhostEngine:
    """The engine through the registry, or over a test transport when one is given."""
    if transport is None:
        engine = registry.open_engine(account(ghost), ghost.admin_key)
        assert isinstance(engine, GhostEngine)
        return engine
    key_id, _secret = parse_admin_key(ghost.admin_key)
    return GhostEngine(GhostClient(ghost.url, ghost.admin_key, transport=transport), key_id)


def write_png(path: Path, color: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), f"#{color:06x}").save(path, "PNG")


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:8]}"


def make_post(folder: Path, title: str) -> Path:
    """A post with two local images (one a captioned figure), an attributed quote and code."""
    stem = uuid.uuid4().hex[:8]
    write_png(folder / f"{stem}.assets" / "first.png", int(stem[:6], 16))
    write_png(folder / f"{stem}.assets" / "second.png", int(stem[2:8], 16) ^ 0xFFFFFF)
    text = f"""---
title: "{title}"
status: publish
tags: [art, tools]
excerpt: A test post.
featured_image: {stem}.assets/second.png
---

Opening words with *emphasis*.

![A hammer and nails]({stem}.assets/first.png)

/// caption
A hammer (art by [Tall Jerome](https://example.com/jerome))
///

> I was astonished the first time.

/// caption
— DJ Mac, [Anti 12-step bias?](https://example.com/anti)
///

![Second picture]({stem}.assets/second.png)

```python
print("a < b & c")
```
"""
    path = folder / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    return path


def publish(
    ghost: GhostServer,
    path: Path,
    *,
    transport: httpx.BaseTransport | None = None,
    **options: object,
) -> tuple[PublishResult, Post]:
    """Publish a post file as the window does; write the record into the file; return both."""
    post = load_post(path)
    engine = engine_for(ghost, transport)
    try:
        result = engine.publish(
            post,
            BLOG,
            PublishOptions(**options),  # type: ignore[arg-type]
            path=path,
            progress=lambda _message: None,
            cancelled=lambda: False,
        )
    finally:
        engine.close()
    save_post(post.with_text(with_remote_record(post.text, result.record)))
    return result, load_post(path)


def edit_body(path: Path, old: str, new: str) -> None:
    post = load_post(path)
    save_post(post.with_text(post.text.replace(old, new)))


# -- the contract ------------------------------------------------------------------------------


def test_a_post_with_images_quote_and_code_arrives_as_sent(ghost, tmp_path) -> None:
    posts, images = ghost.count_posts(), len(ghost.image_files())
    result, _post = publish(ghost, make_post(tmp_path, unique("First Post")))
    assert result.created and result.uploaded == 2 and result.status == "published"
    assert ghost.count_posts() == posts + 1
    assert len(ghost.image_files()) == images + 2
    stored = ghost.post(str(result.record.id))
    html = stored["html"]
    assert html.count('<img src="http://127.0.0.1') == 2
    assert "kg-image-card kg-card-hascaption" in html and "Tall Jerome" in html
    # The attributed quote is kept whole in an HTML card; the code is a code card.
    assert "<!--kg-card-begin: html-->" in html
    assert "<figcaption>" in html and "— DJ Mac" in html and "I was astonished" in html
    assert '<pre><code class="language-python">print("a &lt; b &amp; c")' in html
    assert sorted(tag["name"] for tag in stored["tags"]) == ["art", "tools"]
    assert stored["custom_excerpt"] == "A test post."
    assert stored["feature_image"] and stored["feature_image"] in html


def test_read_post_gives_back_what_ghost_holds(ghost, tmp_path) -> None:
    result, _post = publish(ghost, make_post(tmp_path, unique("Read Back")))
    engine = engine_for(ghost)
    remote = engine.read_post(str(result.record.id))
    engine.close()
    stored = ghost.post(str(result.record.id))
    assert remote.id == stored["id"] and remote.title == stored["title"]
    assert remote.html == stored["html"] and "DJ Mac" in remote.html
    assert remote.modified == stored["updated_at"] == result.record.modified_gmt
    assert remote.tags == ["art", "tools"] and remote.excerpt == "A test post."
    assert remote.status == "publish" and remote.featured_image == stored["feature_image"]


def test_read_post_reads_a_page_too(ghost) -> None:
    title = unique("About")
    created = ghost.request(
        "POST", "pages/", params={"source": "html"},
        json={"pages": [{"title": title, "html": "<p>About this blog.</p>"}]},
    ).json()["pages"][0]  # fmt: skip
    engine = engine_for(ghost)
    remote = engine.read_post(created["id"])
    engine.close()
    assert remote.title == title and remote.html == "<p>About this blog.</p>"


def test_republishing_an_unchanged_post_sends_nothing_and_creates_nothing(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Unchanged"))
    first, _post = publish(ghost, path)
    posts, images = ghost.count_posts(), len(ghost.image_files())
    counting = CountingTransport()
    again, _post = publish(ghost, path, transport=counting)
    assert not again.created and not again.updated and again.uploaded == 0 and again.reused == 2
    assert again.record.id == first.record.id
    assert ghost.count_posts() == posts and len(ghost.image_files()) == images
    assert all(request.startswith("GET ") for request in counting.requests), counting.requests


def test_an_edited_post_updates_the_same_post(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Edited"))
    first, _post = publish(ghost, path)
    posts = ghost.count_posts()
    edit_body(path, "Opening words", "Changed opening words")
    second, _post = publish(ghost, path)
    assert second.updated and not second.created and second.uploaded == 0
    assert second.record.id == first.record.id and ghost.count_posts() == posts
    assert "Changed opening words" in ghost.post(str(first.record.id))["html"]


def test_a_post_edited_on_the_blog_is_not_overwritten_unless_asked(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Server Edit"))
    first, _post = publish(ghost, path)
    post_id = str(first.record.id)
    updated_at = {"updated_at": ghost.post(post_id)["updated_at"]}
    ghost.request(
        "PUT",
        f"posts/{post_id}/",
        params={"source": "html"},
        json={"posts": [{"html": "<p>Written on the blog.</p>", **updated_at}]},
    )
    edit_body(path, "Opening words", "Local words")
    with pytest.raises(errors.EditedOnServer) as refused:
        publish(ghost, path)
    assert "Written on the blog." in (refused.value.server_content or "")
    assert "Written on the blog." in ghost.post(post_id)["html"]
    forced, _post = publish(ghost, path, overwrite_server_edits=True)
    assert forced.updated and forced.record.id == first.record.id
    assert "Local words" in ghost.post(post_id)["html"]


def test_a_stale_update_is_refused_by_ghost_itself(ghost, tmp_path) -> None:
    """Ghost's own 409 UpdateCollisionError (an edit between our read and our write)."""
    result, _post = publish(ghost, make_post(tmp_path, unique("Collision")))
    engine = engine_for(ghost)
    stale = {"title": "Stale", "updated_at": "2000-01-01T00:00:00.000Z"}
    with pytest.raises(errors.EditedOnServer):
        engine.client.update_post(str(result.record.id), stale)
    engine.close()


def test_a_lost_create_answer_then_a_retry_makes_one_post(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Lost Answer"))
    title = load_post(path).meta().title
    posts = ghost.count_posts()
    losing = LosingTransport()
    with pytest.raises(errors.NoNetwork):
        publish(ghost, path, transport=losing)
    assert losing.lost and ghost.count_posts() == posts + 1  # Ghost made it; we never heard
    result, _post = publish(ghost, path)
    assert ghost.count_posts() == posts + 1
    assert ghost.count_posts(f"title:'{title}'") == 1
    assert result.record.id is not None and result.uploaded == 0  # the images were recorded


def test_cancel_stops_before_the_post_is_sent(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Cancelled"))
    posts, images = ghost.count_posts(), len(ghost.image_files())
    engine = engine_for(ghost)
    steps: list[str] = []
    with pytest.raises(errors.Cancelled):
        engine.publish(
            load_post(path),
            BLOG,
            PublishOptions(),
            path=path,
            progress=steps.append,
            cancelled=lambda: any(step.startswith("Uploaded") for step in steps),
        )
    engine.close()
    assert ghost.count_posts() == posts and len(ghost.image_files()) == images + 1
    result, _post = publish(ghost, path)  # picks up where it stopped: the first image kept
    assert result.created and result.uploaded == 1 and result.reused == 1


class LosingUpdateTransport(CountingTransport):
    """Sends the first post update to the real Ghost, then loses its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not self.lost and request.method == "PUT":
            response.read()
            self.lost = True
            raise httpx.ReadError("connection dropped after the server answered")
        return response


def test_a_lost_update_answer_is_not_taken_for_an_edit_on_the_blog(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Lost Update"))
    first, _post = publish(ghost, path)
    edit_body(path, "Opening words", "Updated words")
    losing = LosingUpdateTransport()
    # blog_http sends the PUT again; Ghost takes the identical repeat (no collision).
    second, _post = publish(ghost, path, transport=losing)
    assert losing.lost and second.updated and second.record.id == first.record.id
    assert losing.requests.count(f"PUT /ghost/api/admin/posts/{first.record.id}/") == 2
    assert "Updated words" in ghost.post(str(first.record.id))["html"]
    again, _post = publish(ghost, path)
    assert not again.updated and not again.created


def test_a_future_date_schedules_the_post(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Scheduled"))
    edit_body(path, "status: publish\n", "status: scheduled\ndate: 2031-05-06 07:08:09+00:00\n")
    result, _post = publish(ghost, path)
    stored = ghost.post(str(result.record.id))
    assert stored["status"] == "scheduled"
    assert stored["published_at"] == "2031-05-06T07:08:09.000Z"


def test_a_status_ghost_does_not_have_is_refused_in_plain_words(ghost, tmp_path) -> None:
    path = make_post(tmp_path, unique("Pending"))
    edit_body(path, "status: publish\n", "status: pending\n")
    posts = ghost.count_posts()
    with pytest.raises(errors.PublishError, match="Scheduled, not “Pending review”"):
        publish(ghost, path)
    assert ghost.count_posts() == posts


def test_list_posts_finds_a_published_post(ghost, tmp_path) -> None:
    title = unique("Listed")
    result, _post = publish(ghost, make_post(tmp_path, title))
    engine = engine_for(ghost)
    found = engine.list_posts(search=title.split()[-1])
    newest = engine.list_posts()
    engine.close()
    assert [item.id for item in found.items] == [result.record.id]
    assert found.items[0].title == title and found.items[0].status == "publish"
    assert newest.page == 1 and newest.total_pages >= 1
    assert result.record.id in [item.id for item in newest.items]


def test_check_with_the_right_key_names_the_site(ghost) -> None:
    engine = engine_for(ghost)
    report = engine.check()
    engine.close()
    assert report.blog_title == ghost.title
    assert ghost.admin_key[:8] in report.user_name


def test_check_with_a_wrong_key_says_so_in_plain_words(ghost) -> None:
    key_id, _secret = ghost.admin_key.split(":")
    wrong = f"{key_id}:{'0' * 64}"
    engine = registry.open_engine(account(ghost), wrong)
    with pytest.raises(errors.WrongCredentials, match="Ghost refused the Admin API key"):
        engine.check()
    engine.close()


def test_a_key_that_is_not_one_is_refused_before_any_request(ghost) -> None:
    with pytest.raises(errors.WrongCredentials, match="not a Ghost Admin API key"):
        registry.open_engine(account(ghost), "my-password")


def test_ghost_is_detected_from_its_address(ghost) -> None:
    assert speaks(ghost.url, GHOST)
    assert speaks(ghost.url + "/", GHOST)


def test_a_wordpress_site_is_not_ghost(wordpress) -> None:
    assert not speaks(wordpress.url, GHOST)
