"""What only the Ghost engine does, against a real Ghost 5 on 127.0.0.1 (the `ghost` fixture).

The steps every engine shares (publish, read back, republish, edit, conflicts, a lost create,
pull, listing, check, detection) are the contract: tests/integration/engines/test_contract.py.
Here: how the post is kept as Ghost's cards, pages, Ghost's own 409, cancel, a lost update,
scheduling, statuses and keys. The only stand-in is `LosingUpdateTransport`, which lets an update
reach the real Ghost and then drops its answer: a real server cannot lose a response on demand.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from editor.core.post import Post, load_post, save_post
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.engines import registry
from editor.publish.engines.base import GHOST
from editor.publish.engines.ghost import GhostEngine
from editor.publish.engines.ghost_client import GhostClient, parse_admin_key
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import with_remote_record
from tests.integration.engines.engine_sites import make_post
from tests.integration.ghost_server import GhostServer
from tests.integration.sample_posts import unique

BLOG = "ghost-test"


class CountingTransport(httpx.BaseTransport):
    """Passes requests to the real server and counts them by method and path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


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


def test_the_post_is_kept_as_ghost_cards(ghost, tmp_path) -> None:
    result, _post = publish(ghost, make_post(tmp_path, unique("First Post")))
    assert result.created and result.status == "published"
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
    """The contract reads back what every engine can; here each field against Ghost's own."""
    result, _post = publish(ghost, make_post(tmp_path, unique("Read Back")))
    engine = engine_for(ghost)
    remote = engine.read_post(str(result.record.id))
    engine.close()
    stored = ghost.post(str(result.record.id))
    assert remote.id == stored["id"] and remote.title == stored["title"]
    assert remote.html == stored["html"]
    assert remote.modified == stored["updated_at"] == result.record.modified_gmt
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


def test_a_stale_update_is_refused_by_ghost_itself(ghost, tmp_path) -> None:
    """Ghost's own 409 UpdateCollisionError (an edit between our read and our write)."""
    result, _post = publish(ghost, make_post(tmp_path, unique("Collision")))
    engine = engine_for(ghost)
    stale = {"title": "Stale", "updated_at": "2000-01-01T00:00:00.000Z"}
    with pytest.raises(errors.EditedOnServer):
        engine.client.update_post(str(result.record.id), stale)
    engine.close()


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


def test_check_with_the_right_key_names_the_site(ghost) -> None:
    engine = engine_for(ghost)
    report = engine.check()
    engine.close()
    assert report.blog_title == ghost.title


def test_a_key_that_is_not_one_is_refused_before_any_request(ghost) -> None:
    with pytest.raises(errors.WrongCredentials, match="not a Ghost Admin API key"):
        registry.open_engine(account(ghost), "my-password")
