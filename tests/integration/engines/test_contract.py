"""The blog engine contract, written once and run against every engine's real server.

`engine_site` (conftest.py) gives each engine (WordPress REST, XML-RPC with WordPress's calls,
XML-RPC with MetaWeblog calls only, Ghost, Micropub) with an adapter (engine_sites.py) that
counts posts and media on the server, reads and edits posts behind the engine's back, and names
the engine's create request. Posts are published as the command line does (`publish_file`, the
engine opened by the registry's `open_engine`), so the record lands in the file.

What an engine cannot store is decided by its capabilities, never skipped: an engine without
categories is asserted to say so, one without a listing is asserted to leave the writer to
decide after a lost create. The only stand-in is the lost create answer (engine_sites.py's
`LosingTransport`: the server handles the create and answers; the answer is dropped on the way
back), because a real server cannot lose an answer on demand.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.engine_pull import markdown_of
from editor.publish.engines import detect
from editor.publish.engines.base import GHOST, MICROPUB, WORDPRESS, XMLRPC, Capabilities
from editor.publish.publisher import PublishResult
from editor.publish.publishing_service import (
    PublishOutcome,
    outcome_of,
    publish_file,
    request_for,
)
from editor.publish.remote_record import read_remote_record
from tests.integration.engines.engine_sites import (
    BLOG,
    EngineSite,
    LosingTransport,
    WatchingTransport,
    make_post,
    transport_under_every_connection,
)
from tests.integration.sample_posts import unique

EDIT_ON_BLOG = "<p>Edited on the blog.</p>"
# What each engine's server is found to speak from its address, richest first. The XML-RPC
# and Micropub servers are WordPress sites underneath, so WordPress's REST API comes first.
DETECTED = {
    WORDPRESS: [WORDPRESS, XMLRPC],
    XMLRPC: [WORDPRESS, XMLRPC],
    GHOST: [GHOST],
    MICROPUB: [WORDPRESS, MICROPUB, XMLRPC],
}


def publish(
    site: EngineSite,
    path: Path,
    *,
    overwrite: bool = False,
    transport: WatchingTransport | None = None,
) -> tuple[PublishResult, list[str]]:
    """Publish a post file as the command line does, the record written into the file; return
    the result and the progress the writer saw. `transport`: put under the engine's connection."""
    steps: list[str] = []
    request = request_for(site.account, path, overwrite=overwrite)

    def run() -> PublishResult:
        return publish_file(
            request,
            password=site.secret,
            engine_factory=lambda _account, secret: site.open(secret),
            progress=steps.append,
        )

    if transport is None:
        return run(), steps
    with transport_under_every_connection(transport):
        return run(), steps


def capabilities(site: EngineSite) -> Capabilities:
    """What the engine says it can store, once it has talked to the blog."""
    engine = site.open()
    try:
        engine.check()
        return engine.capabilities()
    finally:
        engine.close()


def published_word(caps: Capabilities) -> str:
    """The engine's word for a published post."""
    return "publish" if "publish" in caps.statuses else "published"


def edit_file(path: Path, old: str, new: str) -> None:
    """Change the post file as the writer would."""
    post = load_post(path)
    assert old in post.text
    save_post(post.with_text(post.text.replace(old, new)))


def record_id(path: Path) -> str:
    """The post's id on the blog, from the record in its file ("" when it has none)."""
    found = read_remote_record(load_post(path).text, BLOG).id
    return "" if found is None else str(found)


# -- publish ------------------------------------------------------------------------------------


def test_a_post_with_images_figure_quote_and_code_arrives(engine_site, tmp_path) -> None:
    site = engine_site
    posts, media = site.count_posts(), site.count_media()
    path = make_post(tmp_path, unique("Contract first"))
    result, steps = publish(site, path)
    assert result.created and not result.updated and result.uploaded == 2
    assert (site.count_posts(), site.count_media()) == (posts + 1, media + 2)
    post_id = record_id(path)
    assert post_id and post_id == str(result.record.id)
    stored = site.stored_html(post_id)
    assert f"{path.stem}.assets" not in stored  # every local image was replaced by its upload
    assert stored.count("<img") == 2
    assert "<figcaption" in stored and "Tall Jerome" in stored  # the captioned figure
    assert "<blockquote" in stored and "I was astonished" in stored and "DJ Mac" in stored
    assert "a &lt; b &amp; c" in stored  # the code, escaped
    if not capabilities(site).categories:  # the writer is told where the category went
        assert any("categor" in step.lower() for step in steps) or site.kind == MICROPUB


def test_read_post_gives_back_what_the_blog_stores(engine_site, tmp_path) -> None:
    site = engine_site
    title = unique("Contract read back")
    path = make_post(tmp_path, title)
    result, _steps = publish(site, path)
    caps = capabilities(site)
    engine = site.open()
    try:
        back = engine.read_post(str(result.record.id))
    finally:
        engine.close()
    assert back.id == str(result.record.id) and back.title == title
    assert back.status == published_word(caps) and back.url
    assert back.html.count("<img") == 2 and "<figcaption" in back.html
    assert "DJ Mac" in back.html and "a &lt; b &amp; c" in back.html
    if site.kind == MICROPUB:  # Micropub's category is one flat list: the category goes there
        assert not caps.categories and sorted(back.tags) == ["News", "art", "tools"]
    else:
        assert caps.tags and sorted(back.tags) == ["art", "tools"]
        assert back.categories == (["News"] if caps.categories else [])
    assert back.excerpt == ("A test post." if caps.excerpt else "")
    if caps.featured_image and site.sets_featured_image():
        assert back.featured_image and back.featured_image in back.html
    elif caps.featured_image:  # MetaWeblog calls only: the publish said it was left out
        assert back.featured_image == ""
    if caps.conflict_detection and site.kind in (WORDPRESS, GHOST):
        assert back.modified == result.record.modified_gmt


# -- publish again ------------------------------------------------------------------------------


def test_republishing_unchanged_sends_no_post_and_no_image(engine_site, tmp_path) -> None:
    site = engine_site
    path = make_post(tmp_path, unique("Contract unchanged"))
    first, _steps = publish(site, path)
    posts, media = site.count_posts(), site.count_media()
    watching = WatchingTransport()
    again, _steps = publish(site, path, transport=watching)
    assert not again.created and not again.updated and again.uploaded == 0 and again.reused == 2
    assert str(again.record.id) == str(first.record.id)
    assert (site.count_posts(), site.count_media()) == (posts, media)  # counted on the server
    writes = [f"{r.method} {r.url}" for r in watching.requests if site.is_write(r)]
    assert watching.requests and not writes


def test_an_edited_post_updates_the_same_post(engine_site, tmp_path) -> None:
    site = engine_site
    path = make_post(tmp_path, unique("Contract edited"))
    first, _steps = publish(site, path)
    posts, media = site.count_posts(), site.count_media()
    edit_file(path, "Opening words", "Changed opening words")
    second, _steps = publish(site, path)
    assert second.updated and not second.created and second.uploaded == 0
    assert str(second.record.id) == str(first.record.id)
    assert (site.count_posts(), site.count_media()) == (posts, media)
    assert "Changed opening words" in site.stored_html(str(first.record.id))


def test_a_post_edited_on_the_blog_is_refused_then_overwritten_when_asked(
    engine_site, tmp_path
) -> None:
    site = engine_site
    path = make_post(tmp_path, unique("Contract conflict"))
    first, _steps = publish(site, path)
    post_id = str(first.record.id)
    site.edit_on_server(post_id, EDIT_ON_BLOG)
    edit_file(path, "Opening words", "Local words")
    with pytest.raises(errors.EditedOnServer) as refused:
        publish(site, path)
    assert outcome_of(refused.value) == PublishOutcome.CONFLICT  # the window offers the dialog
    assert "Edited on the blog." in (refused.value.server_content or "")
    assert "Edited on the blog." in site.stored_html(post_id)  # nothing was overwritten
    assert "Local words" not in site.stored_html(post_id)
    forced, _steps = publish(site, path, overwrite=True)
    assert forced.updated and str(forced.record.id) == post_id
    assert "Local words" in site.stored_html(post_id)
    again, _steps = publish(site, path)  # the overwrite is now what the blog holds
    assert not again.updated and not again.created


def test_a_lost_create_answer_then_a_retry_makes_one_post(engine_site, tmp_path) -> None:
    """The create reaches the real server, which makes the post and answers; the answer is lost
    on the way back (LosingTransport: the suite's one stand-in). The retry makes no second post:
    it finds the post, or, where the blog cannot be searched for it, says so and sends nothing."""
    site = engine_site
    title = unique("Contract lost")
    path = make_post(tmp_path, title)
    posts = site.count_posts()
    losing = LosingTransport(site.is_create)
    with pytest.raises(errors.PublishError) as failed:
        publish(site, path, transport=losing)
    assert losing.lost and site.count_posts() == posts + 1  # the blog made it; we never heard
    assert "ReadError" not in str(failed.value) and "httpx" not in str(failed.value)
    assert not record_id(path)
    if site.lists_posts:
        retried, _steps = publish(site, path)
        assert not retried.created and retried.uploaded == 0  # the images were recorded
        assert record_id(path) == str(retried.record.id)
        assert "Opening words" in site.stored_html(record_id(path))
    else:  # the blog's listing cannot name the post: the writer decides, nothing is sent
        with pytest.raises(errors.PublishError, match="never heard back"):
            publish(site, path)
        assert not record_id(path)
    assert site.count_posts() == posts + 1


# -- pull, list, check --------------------------------------------------------------------------


def test_a_pull_gives_back_the_dialect(engine_site, tmp_path) -> None:
    site = engine_site
    result, _steps = publish(site, make_post(tmp_path, unique("Contract pull")))
    caps = capabilities(site)
    engine = site.open()
    try:
        if not caps.pull:  # an engine that cannot pull says so
            with pytest.raises(errors.PublishError):
                engine.read_post(str(result.record.id))
            return
        remote = engine.read_post(str(result.record.id))
    finally:
        engine.close()
    pulled = markdown_of(site.kind, remote.html)  # what `draftpress pull` writes as the body
    assert "Opening words with *emphasis*." in pulled
    # The captioned figure and the attributed quote, each as the dialect writes it (an image
    # the blog keeps as a figure may come back with an empty caption: still a figure).
    captions = re.findall(r"^/// caption\n(.+?)\n///$", pulled, re.MULTILINE)
    assert captions == [
        "A hammer (art by [Tall Jerome](https://example.com/jerome))",
        "— DJ Mac, [Anti 12-step bias?](https://example.com/anti)",
    ], pulled
    assert "![A hammer and nails](http" in pulled and "![Second picture](http" in pulled
    assert "> I was astonished the first time.\n\n/// caption\n— DJ Mac" in pulled
    # The fence's language comes back through every engine (WordPress's core/code block keeps
    # it as the block's className).
    assert '```python\nprint("a < b & c")\n```' in pulled, pulled
    assert pulled.count("![") == 2 and ".assets/" not in pulled  # the uploads, not local files


def test_list_posts_finds_a_published_post(engine_site, tmp_path) -> None:
    site = engine_site
    title = unique("Contract listed")
    result, _steps = publish(site, make_post(tmp_path, title))
    engine = site.open()
    try:
        found = engine.list_posts(search=title.split()[-1])
        newest = engine.list_posts()
        by_id = engine.read_post(str(result.record.id))
    finally:
        engine.close()
    assert by_id.title == title  # a post can always be opened by its id
    if not site.lists_posts:  # the server lists posts without their ids: none can be offered
        assert found.items == [] and newest.items == []
        return
    assert [item.id for item in found.items] == [str(result.record.id)]
    assert found.items[0].title == title and found.items[0].url
    assert found.items[0].status == published_word(capabilities(site))
    assert newest.page == 1 and str(result.record.id) in [item.id for item in newest.items]


def test_check_with_the_right_and_a_wrong_secret(engine_site) -> None:
    site = engine_site
    engine = site.open()
    try:
        report = engine.check()
    finally:
        engine.close()
    assert report.can_publish and report.can_upload
    assert site.user_words in report.user_name
    assert report.summary().startswith(f"Logged in as {report.user_name}")
    engine = site.open(site.wrong_secret)
    try:
        with pytest.raises(errors.WrongCredentials) as refused:
            engine.check()
    finally:
        engine.close()
    assert re.search(site.wrong_secret_words, str(refused.value)), str(refused.value)


# -- detection ----------------------------------------------------------------------------------


def test_the_engine_is_detected_from_the_blog_address(engine_site) -> None:
    site = engine_site
    found = detect.detect_engines(site.account.url)
    assert site.kind in found.found and detect.speaks(site.account.url, site.kind)
    assert found.found == DETECTED[site.kind]
    assert detect.detect_engine(site.account.url + "/") == DETECTED[site.kind][0]


@pytest.fixture(scope="module")
def plain_page() -> Iterator[str]:
    """A plain HTML page served on 127.0.0.1: an address that is no blog at all."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = b"<!doctype html><title>Hello</title><p>Just a page, not a blog.</p>"
            self.send_response(200 if self.path in ("/", "/?") else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_an_address_that_is_no_blog_is_said_to_be_none(plain_page) -> None:
    found = detect.detect_engines(plain_page)
    assert found.found == []
    with pytest.raises(detect.NoEngineFound) as none:
        detect.detect_engine(plain_page)
    assert str(none.value) == detect.NONE_FOUND.format(url=plain_page)
    assert not any(detect.speaks(plain_page, kind) for kind in (WORDPRESS, GHOST, MICROPUB, XMLRPC))
