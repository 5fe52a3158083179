"""What only the XML-RPC engine does, against the real test WordPress's /xmlrpc.php
(application passwords). The steps every engine shares (publish, read back, republish, edit,
conflicts, a lost create, pull, listing, check, detection) are the contract, run there for
XML-RPC in both modes below: tests/integration/engines/test_contract.py.

Some steps here run twice: with WordPress's own wp.* calls (modification dates, an update refused
when the post changed since) and with MetaWeblog and Movable Type calls only, as a Movable
Type, Dotclear or Serendipity blog offers (edits on the blog told by the content's fingerprint).
The only stand-in is `LosingTransport`: it lets an update reach the real server and then drops
its answer, because a real WordPress cannot be made to lose a response on demand.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.engines.registry import ENGINES, engine_spec
from editor.publish.engines.xmlrpc import XmlRpcEngine
from editor.publish.engines.xmlrpc_client import XMLRPC_DISABLED
from editor.publish.publisher import PublishOptions
from editor.publish.remote_record import sha256_text, with_remote_record
from tests.integration.sample_posts import write_png
from tests.integration.test_publish_wordpress import make_post
from tests.integration.wordpress_server import WordPressServer

BLOG = "xmlrpc-blog"
MODES = ["wordpress", "metaweblog"]


class CountingTransport(httpx.BaseTransport):
    """Passes requests to the real server and counts the XML-RPC methods called."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.methods: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if b"<methodName>" in body:
            self.methods.append(body.split(b"<methodName>")[1].split(b"<")[0].decode())
        return self.inner.handle_request(request)


class LosingTransport(CountingTransport):
    """Sends the first call of `methods` to the real server, then loses its answer.

    An update is sent again after a broken connection (it is idempotent): `every` loses the
    answers to those attempts too."""

    def __init__(
        self, methods: tuple[str, ...] = ("metaWeblog.newPost",), *, every: bool = False
    ) -> None:
        super().__init__()
        self.losing = methods
        self.every = every  # lose every answer to them (a retry too), not only the first
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        first = not self.lost or self.every
        if first and self.methods and self.methods[-1] in self.losing:
            response.read()  # the blog handled it and answered; the answer never arrives
            self.lost = True
            raise httpx.ReadError("connection dropped after the server answered")
        return response


def engine(
    server: WordPressServer,
    mode: str = "wordpress",
    *,
    user: str = "admin",
    password: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> XmlRpcEngine:
    """An engine for the test WordPress, as admin or author (application passwords)."""
    if password is None:
        password = server.admin_app_password if user == "admin" else server.author_app_password
    return XmlRpcEngine(
        server.url, user, password, transport=transport, use_wordpress=mode == "wordpress"
    )


def publish(server: WordPressServer, path: Path, mode: str = "wordpress", **kwargs):
    """Publish a post file as the CLI would, write the record into it; return the result."""
    transport = kwargs.pop("transport", None)
    user = kwargs.pop("user", "admin")
    post = load_post(path)
    steps: list[str] = []
    with contextlib.closing(engine(server, mode, user=user, transport=transport)) as blog:
        result = blog.publish(
            post,
            BLOG,
            PublishOptions(**kwargs),
            path=path,
            progress=steps.append,
            cancelled=lambda: False,
        )
    save_post(post.with_text(with_remote_record(post.text, result.record)))
    return result


def unique(title: str) -> str:
    """A title no other test uses (the site is shared by the session)."""
    return f"{title} {uuid.uuid4().hex[:8]}"


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_post_goes_as_classic_html_with_the_fingerprint_of_what_was_stored(
    wordpress, tmp_path, mode
) -> None:
    result = publish(wordpress, make_post(tmp_path, unique("XML-RPC classic")), mode)
    stored = wordpress.get_post_raw(result.record.id)
    raw = stored["content"]["raw"]
    assert sha256_text(raw) == result.record.content_sha256 or mode == "metaweblog"
    assert "<figure" in raw and "<!-- wp:" not in raw  # classic HTML, not block markup
    assert stored["categories"] == [wordpress.category_ids["News"]]
    with contextlib.closing(engine(wordpress, mode)) as blog:
        back = blog.read_post(str(result.record.id))
    assert back.modified or mode == "metaweblog"  # wp.getPost gives the modification date


def test_wordpress_calls_take_a_tag_away(wordpress, tmp_path) -> None:
    """MetaWeblog cannot (an empty mt_keywords keeps the tags); wp.editPost can."""
    path = make_post(tmp_path, unique("XML-RPC tag away"))
    first = publish(wordpress, path)
    post = load_post(path)
    save_post(post.with_text(post.text.replace("tags: [art, tools]", "tags: [art]")))
    second = publish(wordpress, path)
    assert second.updated and second.record.id == first.record.id
    assert len(wordpress.get_post_raw(first.record.id)["tags"]) == 1


def test_wordpress_refuses_an_update_of_a_post_changed_after_the_check(wordpress, tmp_path) -> None:
    """The race the check cannot see: wp.editPost's if_not_modified_since refuses it (409)."""
    path = make_post(tmp_path, unique("XML-RPC race"))
    first = publish(wordpress, path)
    post = load_post(path)
    save_post(post.with_text(post.text + "\nLocal change.\n"))

    class EditBeforeUpdate(CountingTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if b"<methodName>wp.editPost<" in request.read():
                wordpress.edit_post_on_server(first.record.id, "<p>Edited meanwhile</p>")
            return super().handle_request(request)

    with pytest.raises(errors.EditedOnServer):
        publish(wordpress, path, transport=EditBeforeUpdate())
    assert wordpress.get_post_raw(first.record.id)["content"]["raw"] == "<p>Edited meanwhile</p>"


def test_a_lost_update_answer_is_not_taken_for_an_edit_on_the_blog(
    wordpress, tmp_path, mode
) -> None:
    path = make_post(tmp_path, unique("XML-RPC lost update"))
    first = publish(wordpress, path, mode)
    post = load_post(path)
    save_post(post.with_text(post.text + "\nA change whose answer is lost.\n"))
    losing = LosingTransport(("wp.editPost", "metaWeblog.editPost"), every=True)
    with pytest.raises(errors.PublishError, match="nothing will be published twice"):
        publish(wordpress, path, mode, transport=losing)
    assert losing.lost
    retried = publish(wordpress, path, mode)  # no EditedOnServer: the blog holds our update
    assert retried.record.id == first.record.id
    assert (
        "A change whose answer is lost."
        in wordpress.get_post_raw(first.record.id)["content"]["raw"]
    )
    again = publish(wordpress, path, mode)
    assert not again.updated and not again.created


def test_check_names_the_author_and_the_blog(wordpress, mode) -> None:
    """The right and a wrong password are the contract's; here who and where, and the note a
    blog without modification dates gets."""
    with contextlib.closing(engine(wordpress, mode, user="author")) as blog:
        report = blog.check()
    assert report.user_name == "author" and report.blog_title == "Draftpress test blog"
    assert ("no modification dates" in report.summary()) == (mode == "metaweblog")


def test_an_author_may_not_create_a_category(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("XML-RPC author"), categories="[Brand New Category]")
    posts = wordpress.count_posts()
    with pytest.raises(errors.NotAllowed, match="may not create categories"):
        publish(wordpress, path, user="author")
    assert wordpress.count_posts() == posts


def test_a_category_the_blog_lacks_is_refused_without_wordpress_calls(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("XML-RPC no category"), categories="[Nowhere]")
    media = wordpress.count_media()
    with pytest.raises(errors.NotAllowed, match="no category “Nowhere”"):
        publish(wordpress, path, "metaweblog")
    assert wordpress.count_media() == media  # refused before any upload


@contextlib.contextmanager
def xmlrpc_turned_off(server: WordPressServer) -> Iterator[None]:
    """Turn XML-RPC off with WordPress's own filter (a mu-plugin), on again after."""
    plugin = server.site_dir / "wp-content" / "mu-plugins" / "dp-no-xmlrpc.php"
    plugin.write_text("<?php\nadd_filter('xmlrpc_enabled', '__return_false');\n")
    try:
        yield
    finally:
        plugin.unlink()


def test_xmlrpc_turned_off_is_said_plainly(wordpress) -> None:
    with (
        xmlrpc_turned_off(wordpress),
        contextlib.closing(engine(wordpress)) as blog,
        pytest.raises(errors.ApiUnavailable) as refused,
    ):
        blog.check()
    assert str(refused.value) == XMLRPC_DISABLED


def test_the_registry_asks_for_a_password() -> None:
    assert engine_spec("xmlrpc").credential.label == "Password" and "xmlrpc" in ENGINES


def test_cancel_between_uploads_keeps_what_was_uploaded(wordpress, tmp_path) -> None:
    path = make_post(tmp_path, unique("XML-RPC cancel"))
    for image in path.parent.glob("*.assets/*.png"):  # files no other test uploaded
        write_png(image, uuid.uuid4().int % 0xFFFFFF)
    media, posts = wordpress.count_media(), wordpress.count_posts()
    steps: list[str] = []
    with (
        contextlib.closing(engine(wordpress)) as blog,
        pytest.raises(errors.Cancelled, match="cancelled"),
    ):
        blog.publish(
            load_post(path),
            BLOG,
            PublishOptions(),
            path=path,
            progress=steps.append,
            cancelled=lambda: "Uploaded first.png" in steps,
        )
    assert "Uploading second.png…" not in steps
    assert (wordpress.count_media(), wordpress.count_posts()) == (media + 1, posts)
    resumed = publish(wordpress, path)  # the journal knows the first image
    assert resumed.created and resumed.uploaded == 1 and resumed.reused == 1
    assert wordpress.count_media() == media + 2
