"""Post fields of odd shapes from a blog end in plain answers, never an exception.

A stand-in client serves the odd post: the real WordPress always answers well-formed JSON.
"""

from __future__ import annotations

import pytest

from editor.publish import errors
from editor.publish.publish_rules import blog_holds_payload
from editor.publish.publisher import Publisher
from editor.publish.remote_record import RemoteRecord

PAYLOAD = {
    "title": "T",
    "content": "c",
    "status": "publish",
    "slug": "t",
    "excerpt": "",
    "tags": [1],
    "categories": [2],
    "featured_media": 0,
}


def test_a_blog_answer_with_text_ids_and_mixed_lists_is_simply_not_the_same() -> None:
    odd = {
        "title": "T",  # a bare string, not {"raw": ...}
        "content": {"raw": "c"},
        "status": "publish",
        "slug": "t",
        "tags": [1, "x", None],
        "categories": [2],
        "featured_media": "not a number",
    }
    assert blog_holds_payload(PAYLOAD, odd) is False
    same = {**odd, "tags": [1], "featured_media": 0}
    assert blog_holds_payload(PAYLOAD, same) is True


class OneOddPost:
    """Serves post 9 with a title that is a bare string, or no post at all."""

    def __init__(self, exists: bool = True) -> None:
        self.exists = exists

    def get_post(self, post_id: int, post_type: str = "post") -> dict:
        if not self.exists:
            raise errors.NotFound("gone")
        return {"id": 9, "title": "A bare title", "content": {"raw": "x"}, "modified_gmt": "m"}


def test_an_unverifiable_record_names_a_post_whose_title_is_a_bare_string() -> None:
    record = RemoteRecord(blog="b", id=9, modified_gmt="m")
    with pytest.raises(errors.UnverifiedRecord, match="A bare title"):
        Publisher(OneOddPost()).server_edits(record, bound=False)  # type: ignore[arg-type]


def test_merging_a_post_gone_from_the_blog_says_so() -> None:
    record = RemoteRecord(blog="b", id=9, modified_gmt="m", content_sha256="abc")
    with pytest.raises(errors.NotFound, match="no longer on the blog"):
        Publisher(OneOddPost(exists=False)).server_edits(record, bound=True)  # type: ignore[arg-type]
