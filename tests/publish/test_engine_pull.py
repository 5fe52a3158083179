"""The read side of the engines, without a server: Ghost's cards, code languages, records, bases.

The Ghost HTML below is what the real Ghost 5.130 stored for posts our publish sent (copied
from tests/integration/test_pull_engines.py runs); the server tests check the same end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.publish.code_languages import fence_languages, with_code_languages
from editor.publish.engine_bases import load_base, save_base
from editor.publish.engine_merge import merge_markdown, with_local_images
from editor.publish.engine_pull import markdown_of, pulled_text, record_id
from editor.publish.engines.base import GHOST, XMLRPC, RemotePost
from editor.publish.engines.ghost_html import ghost_html
from editor.publish.engines.ghost_markdown import ghost_markdown
from editor.publish.pull import find_local_copy
from editor.publish.remote_record import (
    MediaRecord,
    RemoteRecord,
    sha256_text,
    short_sha256,
    with_remote_record,
)
from editor.render.markdown_renderer import shared_renderer

STORED_BY_GHOST = (
    '<p>Words.</p><figure class="kg-card kg-image-card"><img src="http://127.0.0.1:1/content/'
    'images/2026/12/second-7316689d390f.png" class="kg-image" alt="Second picture" '
    'loading="lazy" width="64" height="48"></figure>\n<!--kg-card-begin: html-->\n<figure>\n'
    "<blockquote>\n<p>I was astonished.</p>\n</blockquote>\n<figcaption>\n<p>— DJ Mac</p>\n"
    "</figcaption>\n</figure>\n<!--kg-card-end: html-->\n"
)


def test_an_uncaptioned_image_card_comes_back_as_an_image_without_a_caption() -> None:
    markdown = ghost_markdown(STORED_BY_GHOST)
    assert markdown.startswith(
        "Words.\n\n![Second picture](http://127.0.0.1:1/content/images/2026/12/"
        "second-7316689d390f.png)\n\n> I was astonished.\n\n/// caption\n— DJ Mac\n///\n"
    )
    assert "/// caption\n///" not in markdown


@pytest.mark.parametrize(
    "body",
    [
        "> I was astonished.\n\n/// caption\n— DJ Mac\n///\n",
        "> One.\n>\n> Two.\n\n/// caption\n— DJ Mac, [Anti](https://example.com/anti)\n///\n",
        "Before.\n\n> Quoted.\n\n/// caption\n— Ann\n///\n\nAfter.\n",
        # A caption is the writer's own line: no dash is added where they wrote none.
        "> Quoted.\n\n/// caption\n[Anti 12-step bias?](https://example.com/anti)\n///\n",
        "> Quoted.\n\n/// caption\nfrom *The Book*, 1999\n///\n",
        "![Alt](http://x/a.png)\n\n/// caption\nA *caption*\n///\n",
        "- one\n- two\n    - nested\n\n1. a\n2. b\n",
        '```python\nprint("a < b & c")\n```\n',
    ],
)
def test_what_we_send_ghost_reads_back_as_the_same_markdown(body: str) -> None:
    sent = ghost_html(shared_renderer().render_body(body), body, {})
    assert ghost_markdown(sent) == body


@pytest.mark.parametrize(
    "caption",
    ["[Anti 12-step bias?](https://example.com/anti)", "— DJ Mac", "from *The Book*, 1999"],
)
def test_a_quote_caption_comes_back_from_html_as_it_was_written(caption: str) -> None:
    body = f"> Quoted.\n\n/// caption\n{caption}\n///\n"
    assert markdown_of(XMLRPC, shared_renderer().render_body(body)) == body


def test_code_blocks_name_their_fence_language_in_the_html() -> None:
    body = "```python\nx = 1\n```\n\n```\nplain\n```\n"
    html = with_code_languages(shared_renderer().render_body(body), body)
    assert html.count('<code class="language-python">') == 1 and html.count("<code>") == 1
    assert fence_languages(body) == ["python", ""]


def test_blocks_and_fences_that_do_not_line_up_are_left_alone() -> None:
    html = '<div class="codehilite"><pre><code>x</code></pre></div>'
    assert with_code_languages(html, "no fences here\n") == html


def test_a_pulled_post_records_the_blog_the_id_and_the_engines_mark(tmp_path: Path) -> None:
    remote = RemotePost(
        id="64f0c0ffee", title="Hello", html="<p>Hi.</p>", url="http://blog/hello/",
        status="published", modified="2026-12-03T10:00:00.000Z", tags=["a"],
    )  # fmt: skip
    pulled = pulled_text(remote, "myghost", GHOST, categories=False)
    assert pulled.body == "Hi.\n" and "status: publish\n" in pulled.text
    assert pulled.record == RemoteRecord(
        blog="myghost", id="64f0c0ffee", url="http://blog/hello/",
        modified_gmt="2026-12-03T10:00:00.000Z", content_sha256=sha256_text("<p>Hi.</p>"),
    )  # fmt: skip
    micropub = RemotePost(id="https://me/1", title="", html="Hi.", fingerprint="f00d")
    assert pulled_text(micropub, "mp", "micropub", False).record.content_sha256 == "f00d"
    numbered = RemotePost(id="42", title="T", html="<p>x</p>", categories=["News"])
    xmlrpc = pulled_text(numbered, "old", XMLRPC, categories=True)
    assert xmlrpc.record.id == 42 and "categories:\n  - News" in xmlrpc.text


def test_the_library_copy_is_found_by_a_text_id_and_in_a_list_of_records(tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text(with_remote_record("Body\n", RemoteRecord(blog="g", id="abc")))
    both = with_remote_record("Body\n", RemoteRecord(blog="wp", id=7))
    (tmp_path / "two.md").write_text(with_remote_record(both, RemoteRecord(blog="x", id="0042")))
    assert find_local_copy(tmp_path, "g", "abc") == one
    assert find_local_copy(tmp_path, "x", record_id("0042")) == tmp_path / "two.md"
    assert find_local_copy(tmp_path, "wp", 7) == tmp_path / "two.md"
    assert find_local_copy(tmp_path, "g", "abd") is None


def test_a_base_of_another_version_is_not_used(tmp_path: Path) -> None:
    save_base("g", "abc", "v1", "Base.\n", tmp_path)
    assert load_base("g", "abc", "v1", tmp_path) == "Base.\n"
    assert load_base("g", "abc", "v2", tmp_path) is None


def test_edits_of_different_blocks_merge_and_the_same_block_conflicts() -> None:
    base = "One.\n\nTwo.\n\nThree.\n"
    clean = merge_markdown("One.\n\nTwo.\n\nThree, mine.\n", base, "One, blog.\n\nTwo.\n\nThree.\n")
    assert clean.body == "One, blog.\n\nTwo.\n\nThree, mine.\n"
    clash = merge_markdown("One, mine.\n\nTwo.\n\nThree.\n", base, "One, blog.\n\nTwo.\n\nThree.\n")
    assert clash.body is None and len(clash.conflicts) == 1


def test_uploaded_image_addresses_are_written_back_as_the_posts_files(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"png bytes")
    record = RemoteRecord(
        blog="g", media={short_sha256(b"png bytes"): MediaRecord(0, "http://blog/a-1.png")}
    )
    text = "---\ntitle: T\n---\n\n![Alt](a.png)\n"
    assert with_local_images("![Alt](http://blog/a-1.png)\n", text, record, tmp_path) == (
        "![Alt](a.png)\n"
    )
