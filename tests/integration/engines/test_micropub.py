"""What only the Micropub engine does, against a real Micropub server: WordPress with the
Micropub and IndieAuth plugins (tests/integration/engines/micropub_site.py), started once per
session. The steps every engine shares (publish, read back, republish, edit, conflicts, a lost
create, pull, listing, check, detection) are the contract: test_contract.py.

The one stand-in is `LosingTransport`: it lets an update reach the real server and then drops
its answer, because a real server cannot be made to lose an answer on demand.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.micropub import MicropubEngine
from editor.publish.engines.micropub_client import BearerAuth, MicropubClient
from editor.publish.publisher import PublishOptions
from editor.publish.remote_record import with_remote_record
from tests.integration.engines.micropub_site import MicropubSite
from tests.integration.sample_posts import write_png
from tests.integration.test_publish_wordpress import make_post

BLOG = "indie"


class LosingTransport(httpx.BaseTransport):
    """Passes requests to the real server; loses the answer of the first POST to the
    Micropub endpoint (a create or an update) after the server handled it."""

    def __init__(self, lose_create: bool = False) -> None:
        self.inner = httpx.HTTPTransport()
        self.lose_create = lose_create
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        response = self.inner.handle_request(request)
        if self.lose_create and request.method == "POST" and request.url.path.endswith("/endpoint"):
            response.read()
            self.lose_create = False
            raise httpx.ReadError("connection dropped after the server answered")
        return response


def engine_for(site: MicropubSite, token: str | None = None, transport=None) -> MicropubEngine:
    """Return the engine for the site, with a transport that can be watched or made to fail."""
    connection = BlogConnection(
        site.url, auth=BearerAuth(token or site.token), transport=transport or LosingTransport()
    )
    return MicropubEngine(MicropubClient(connection))


def publish(site: MicropubSite, path: Path, transport=None, cancelled=None, **options):
    """Publish a post file and write its record into it; return the result."""
    engine = engine_for(site, transport=transport)
    try:
        post = load_post(path)
        result = engine.publish(
            post,
            BLOG,
            PublishOptions(**options),
            path=path,
            progress=lambda _m: None,
            cancelled=cancelled or (lambda: False),
        )
    finally:
        engine.close()
    save_post(post.with_text(with_remote_record(post.text, result.record)), path)
    return result


def title() -> str:
    return f"Indie post {uuid.uuid4().hex[:8]}"


def post_id_on_server(site: MicropubSite, url: str) -> int:
    """Return WordPress's id of the post at a URL."""
    printed = site.server.php_eval(f"echo 'ID=' . url_to_postid({url!r});")
    return int(printed.rsplit("ID=", 1)[1].strip())


def test_an_edit_in_wp_admin_is_noticed_too(micropub_site: MicropubSite, tmp_path) -> None:
    """The contract edits through Micropub; an edit made in the site's wp-admin stops the next
    publish too (this plugin's q=source then still shows the content Micropub sent, so only
    its date tells); with overwrite it goes through."""
    site = micropub_site
    path = make_post(tmp_path, title())
    url = publish(site, path).link
    site.server.edit_post_on_server(post_id_on_server(site, url), "<p>Edited in wp-admin</p>")
    path.write_text(path.read_text().replace("Opening words", "My words"))
    with pytest.raises(errors.EditedOnServer):
        publish(site, path)
    result = publish(site, path, overwrite_server_edits=True)
    assert result.updated and result.link == url
    assert "My words" in engine_for(site).read_post(url).html


class FailingReadBack(LosingTransport):
    """Passes requests to the real server; after a create, every read-back (`q=source`, and
    its retries) fails, as a network that went away right after the blog made the post."""

    def __init__(self) -> None:
        super().__init__()
        self.created = False
        self.failed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.created and request.url.params.get("q") == "source":
            self.failed = True
            raise httpx.ConnectError("the connection dropped")
        response = super().handle_request(request)
        self.created = self.created or request.method == "POST"
        return response


def test_read_back_lost_after_create(micropub_site: MicropubSite, tmp_path: Path) -> None:
    """The post is made but reading it back fails: the next publish finds it by its URL."""
    site = micropub_site
    path = make_post(tmp_path, title())
    posts = site.count_posts()
    transport = FailingReadBack()
    with pytest.raises(errors.NoNetwork):
        publish(site, path, transport=transport)
    assert transport.failed and site.count_posts() == posts + 1
    retry = publish(site, path)
    assert not retry.created and site.count_posts() == posts + 1
    assert engine_for(site).read_post(retry.link).title


def test_lost_update_answer_is_not_taken_for_a_server_edit(micropub_site, tmp_path) -> None:
    """The update reaches the server but its answer is lost: the retry sees its own update."""
    site = micropub_site
    path = make_post(tmp_path, title())
    url = publish(site, path).link
    path.write_text(path.read_text().replace("Opening words", "Second words"))
    with pytest.raises(errors.NoNetwork):
        publish(site, path, transport=LosingTransport(lose_create=True))
    retry = publish(site, path)
    assert retry.link == url and not retry.created
    assert "Second words" in engine_for(site).read_post(url).html


def test_the_listing_has_no_urls(micropub_site: MicropubSite, tmp_path: Path) -> None:
    """This server lists its published posts but without their URLs (the plugin's q=source
    listing): why the contract expects an empty listing and pull by URL only."""
    site = micropub_site
    publish(site, make_post(tmp_path, title()))
    engine = engine_for(site)
    listed = engine.client.list_sources(5, 0)
    engine.close()
    assert listed and all("url" not in item["properties"] for item in listed)


def test_read_post_that_is_not_there(micropub_site: MicropubSite) -> None:
    engine = engine_for(micropub_site)
    with pytest.raises(errors.NotFound):
        engine.read_post(micropub_site.url + "/no-such-post-here/")
    engine.close()


def test_record_not_naming_the_blog_is_not_trusted(micropub_site, tmp_path) -> None:
    """A record copied into another file without `blog:` never updates that post silently."""
    site = micropub_site
    path = make_post(tmp_path, title())
    url = publish(site, path).link
    text = load_post(path).text.replace(f"  blog: {BLOG}\n", "")
    assert f"blog: {BLOG}" not in text
    path.write_text(text)
    with pytest.raises(errors.UnverifiedRecord):
        publish(site, path)
    assert engine_for(site).read_post(url).title


def test_draft_then_published(micropub_site: MicropubSite, tmp_path: Path) -> None:
    """A draft is created as a draft, read back, then published as the same post."""
    site = micropub_site
    path = make_post(tmp_path, title())
    path.write_text(path.read_text().replace("status: publish", "status: draft"))
    first = publish(site, path)
    engine = engine_for(site)
    assert engine.read_post(first.link).status == "draft"
    second = publish(site, path, status="publish")
    assert second.updated and second.status == "publish"
    assert engine.read_post(second.link).status == "publish"
    engine.close()


def test_featured_image_goes_as_photo_with_alt(micropub_site, tmp_path: Path) -> None:
    """A featured image not in the body is uploaded once and sent as `photo` with its alt."""
    site = micropub_site
    name = title()
    path = make_post(tmp_path, name)
    stem = name.lower().replace(" ", "-")
    write_png(tmp_path / f"{stem}.assets" / "cover.png", 0x22AA44)
    text = path.read_text().replace(
        "status: publish", f"featured_image: {stem}.assets/cover.png\nstatus: publish"
    )
    path.write_text(text)
    media = site.count_media()
    result = publish(site, path)
    assert result.uploaded == 3 and site.count_media() == media + 3
    engine = engine_for(site)
    photos = engine.client.source(result.link)["properties"]["photo"]
    engine.close()
    assert len(photos) == 1 and "/wp-content/uploads/" in str(photos[0])
    again = publish(site, path)
    assert again.reused == 3 and site.count_media() == media + 3


def test_cancel_sends_nothing(micropub_site: MicropubSite, tmp_path: Path) -> None:
    site = micropub_site
    path = make_post(tmp_path, title())
    posts, media = site.count_posts(), site.count_media()
    with pytest.raises(errors.Cancelled):
        publish(site, path, cancelled=lambda: True)
    assert (site.count_posts(), site.count_media()) == (posts, media)


def test_check_tells_what_the_token_allows(micropub_site: MicropubSite) -> None:
    """The right and a wrong token are the contract's; here a token for media only, and what
    the site's q=config makes of the capabilities."""
    site = micropub_site
    engine = engine_for(site)
    engine.check()
    assert engine.capabilities().images and not engine.capabilities().categories
    engine.close()
    media_only = engine_for(site, token=site.make_token(site.server.admin_id, "media"))
    assert not media_only.check().can_publish
    media_only.close()
