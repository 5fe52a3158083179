"""The `remote:` field: one record per blog, and ids that keep their type through YAML."""

from __future__ import annotations

from editor.core.front_matter import read_front_matter
from editor.publish.remote_record import (
    RemoteRecord,
    read_remote_record,
    recorded_blog,
    recorded_blogs,
    with_remote_record,
)

POST = "---\ntitle: Hello\n---\n\nBody.\n"


def test_a_post_on_one_blog_keeps_one_mapping_as_before() -> None:
    text = with_remote_record(POST, RemoteRecord(blog="wp", id=12, url="https://a/12"))
    assert isinstance(read_front_matter(text)["remote"], dict)
    assert read_remote_record(text, "wp").id == 12 and recorded_blog(text) == "wp"
    assert text.endswith("\nBody.\n")


def test_a_second_blog_adds_its_record_and_updates_replace_only_their_own() -> None:
    text = with_remote_record(POST, RemoteRecord(blog="wp", id=12))
    text = with_remote_record(text, RemoteRecord(blog="ghost", id="65a1f0c2e4b0"))
    assert isinstance(read_front_matter(text)["remote"], list)
    assert recorded_blogs(text) == ["wp", "ghost"]
    text = with_remote_record(text, RemoteRecord(blog="wp", id=12, url="https://a/12-new"))
    assert recorded_blogs(text) == ["wp", "ghost"]  # the order of first publishing stays
    assert read_remote_record(text, "wp").url == "https://a/12-new"
    assert read_remote_record(text, "ghost").id == "65a1f0c2e4b0"
    assert read_remote_record(text, "micro").id is None  # no record: a fresh one


def test_ids_keep_their_type_through_the_front_matter() -> None:
    text = with_remote_record(POST, RemoteRecord(blog="wp", id=7))
    text = with_remote_record(text, RemoteRecord(blog="mp", id="https://site/2026/12/hello"))
    text = with_remote_record(text, RemoteRecord(blog="digits", id="0042"))  # text, not 42
    assert read_remote_record(text, "wp").id == 7
    assert read_remote_record(text, "mp").id == "https://site/2026/12/hello"
    assert read_remote_record(text, "digits").id == "0042"


def test_a_lone_record_naming_no_blog_is_read_for_any_blog_and_replaced() -> None:
    text = "---\ntitle: Old\nremote:\n  id: 5\n---\n\nBody.\n"
    assert read_remote_record(text, "wp").id == 5 and recorded_blogs(text) == []
    text = with_remote_record(text, RemoteRecord(blog="wp", id=5))
    assert read_front_matter(text)["remote"] == {"blog": "wp", "id": 5}
