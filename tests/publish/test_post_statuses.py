"""One status vocabulary in the front matter, each engine's words at its edge (issue 13)."""

from __future__ import annotations

import pytest

from editor.publish import errors
from editor.publish.engines import ghost, micropub, xmlrpc
from editor.publish.engines.ghost_publish import ghost_status
from editor.publish.engines.xmlrpc_posts import PostFields
from editor.publish.post_statuses import (
    listed_words,
    normalise_status,
    status_for_engine,
    status_word,
)


@pytest.mark.parametrize(
    ("word", "ours"),
    [("published", "publish"), ("scheduled", "future"), ("Publish", "publish"),
     ("draft", "draft"), ("in-review", "in-review")],
)  # fmt: skip
def test_engine_words_read_back_become_the_front_matters(word: str, ours: str) -> None:
    assert normalise_status(word) == ours


def test_the_writer_sees_plain_words() -> None:
    assert [status_word(s) for s in ("draft", "publish", "future", "pending", "private")] == [
        "Draft", "Published", "Scheduled", "Pending review", "Private"]  # fmt: skip
    assert status_word("published") == "Published" and status_word("in-review") == "in-review"
    assert listed_words(("draft", "publish", "future")) == "Draft, Published or Scheduled"


def test_every_engine_offers_the_front_matters_words() -> None:
    for capabilities in (ghost.CAPABILITIES, xmlrpc.CAPABILITIES):
        assert set(capabilities.statuses) <= {"draft", "publish", "future", "pending", "private"}
    assert ghost.CAPABILITIES.statuses == ("draft", "publish", "future")
    assert set(micropub.FROM_MICROPUB.values()) == {"draft", "publish"}


def test_a_post_moved_from_ghost_to_wordpress_words_and_back() -> None:
    # A file published to Ghost by an older Draftpress says "published"; one from WordPress
    # says "publish": each engine takes both.
    assert ghost_status("publish") == ghost_status("published") == "published"
    assert ghost_status("future") == "scheduled"
    assert status_for_engine("published", ("draft", "publish"), "A Micropub site") == "publish"


def test_a_status_the_engine_lacks_is_refused_in_the_writers_words() -> None:
    with pytest.raises(errors.PublishError) as refused:
        status_for_engine("private", ("draft", "publish"), "A Micropub site")
    assert str(refused.value).startswith(
        "A Micropub site can keep a post as Draft or Published, not “Private”.")  # fmt: skip


def test_xmlrpc_sends_a_scheduled_post_as_published_with_its_date() -> None:
    fields = PostFields("T", "<p>x</p>", "future", "t", "", [], [], [], date="2030-01-02T09:00:00")
    assert fields.wire_status == "publish" and fields.published
    draft = PostFields("T", "<p>x</p>", "draft", "t", "", [], [], [])
    assert draft.wire_status == "draft" and not draft.published
