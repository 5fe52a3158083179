"""Issue 11's round trip over the corpus of tests/data/round_trip, against the real WordPress.

For every post (tests/integration/round_trip.py runs the steps once per post and keeps what
happened): created with its raw content, pulled as Draftpress pulls it, published untouched
(nothing may be sent), published forced (content.raw must stay byte-identical), pulled again
(same Markdown), one word edited and published (only that top-level block may differ). The
published block markup is then checked by WordPress 6.1's block validator in one Node run, and
the server must hold exactly one post per corpus post and no new media.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.round_trip import (
    NEW_WORD,
    CorpusPost,
    RoundTrip,
    changed_blocks,
    describe,
    load_corpus,
    pick_prose_word,
    run_round_trip,
    split_blocks,
)
from tests.integration.wordpress_server import WordPressServer
from tests.publish.test_wordpress_blocks import run_block_validator

CORPUS = load_corpus()
BLOCK_POSTS = [post for post in CORPUS if not post.classic]


def by_name(posts: list[CorpusPost]) -> dict:
    """Parametrize over posts, each test id being the post's name."""
    return {"argvalues": posts, "ids": [post.name for post in posts]}


class RoundTrips:
    """Runs each post's round trip once, on first use, and keeps the result."""

    def __init__(self, server: WordPressServer, workdir: Path) -> None:
        self.server = server
        self.workdir = workdir
        self.done: dict[str, RoundTrip] = {}

    def of(self, post: CorpusPost) -> RoundTrip:
        """The round trip of one post (run now if it has not run yet)."""
        if post.name not in self.done:
            folder = self.workdir / str(len(self.done))
            self.done[post.name] = run_round_trip(self.server, post, folder)
        return self.done[post.name]

    def all(self) -> list[RoundTrip]:
        """The round trips of the whole corpus."""
        return [self.of(post) for post in CORPUS]


@pytest.fixture(scope="module")
def counts_before(wordpress: WordPressServer) -> tuple[int, int]:
    """How many posts and media items the blog held before this module's first round trip."""
    return wordpress.count_posts(), wordpress.count_media()


@pytest.fixture(scope="module")
def round_trips(
    wordpress: WordPressServer, tmp_path_factory: pytest.TempPathFactory, counts_before
) -> RoundTrips:
    """The module's round trips (counts_before is taken first)."""
    return RoundTrips(wordpress, tmp_path_factory.mktemp("round-trips"))


def created(trip: RoundTrip) -> None:
    """Fail unless the post was created and pulled (the steps after need both)."""
    for step in ("create", "pull"):
        if step in trip.errors:
            pytest.fail(describe(trip, step), pytrace=False)


def holds(ok: bool, trip: RoundTrip, step: str) -> None:
    """Fail with what went wrong in this step (short: no dump of the whole round trip)."""
    if not ok:
        pytest.fail(f"{trip.name}: {describe(trip, step)}", pytrace=False)


@pytest.mark.parametrize("post", **by_name(CORPUS))
def test_an_untouched_pulled_post_publishes_nothing(round_trips, post) -> None:
    trip = round_trips.of(post)
    created(trip)
    holds(trip.untouched_ok, trip, "untouched")


@pytest.mark.parametrize("post", **by_name(CORPUS))
def test_a_forced_publish_stores_byte_identical_content(round_trips, post) -> None:
    trip = round_trips.of(post)
    created(trip)
    holds(trip.forced_identical, trip, "forced")


@pytest.mark.parametrize("post", **by_name(CORPUS))
def test_pulling_the_published_post_again_gives_the_same_markdown(round_trips, post) -> None:
    trip = round_trips.of(post)
    created(trip)
    holds(trip.fixed_point, trip, "second pull")


@pytest.mark.parametrize("post", **by_name(CORPUS))
def test_a_one_word_edit_changes_only_the_block_holding_it(round_trips, post) -> None:
    trip = round_trips.of(post)
    created(trip)
    holds("edit" not in trip.errors, trip, "edit")
    if trip.no_prose:
        pytest.skip("the pulled Markdown has no prose paragraph with a word to edit")
    holds(trip.edited_raw is not None and NEW_WORD in trip.edited_raw, trip, "edit")
    holds(trip.edit_ok, trip, "edit")


def _rejected(blocks: list[dict]) -> list[dict]:
    """The blocks the block editor would flag as invalid or silently rewrite."""
    return [block for block in blocks if not block["isValid"] or block["deprecatedMigrated"]]


@pytest.fixture(scope="module")
def validation(round_trips) -> dict[str, dict[str, list[dict]]]:
    """One validator run over every block post: post name -> "original" / "forced" /
    "edited" -> the blocks WordPress 6.1 would reject or rewrite."""
    contents: list[tuple[str, str, str]] = []
    for post in BLOCK_POSTS:
        trip = round_trips.of(post)
        for kind, raw in (
            ("original", trip.original),
            ("forced", trip.forced_raw),
            ("edited", trip.edited_raw),
        ):
            if raw is not None:
                contents.append((post.name, kind, raw))
    result = run_block_validator([raw for _name, _kind, raw in contents])
    assert result["packages"]["@wordpress/blocks"] == "11.16.4", "validate with WordPress 6.1"
    found: dict[str, dict[str, list[dict]]] = {}
    for (name, kind, _raw), checked in zip(contents, result["posts"], strict=True):
        found.setdefault(name, {})[kind] = _rejected(checked["blocks"])
    return found


@pytest.mark.block_validator
@pytest.mark.parametrize("post", **by_name(BLOCK_POSTS))
def test_wordpress_6_1_accepts_the_published_blocks_it_accepted_before(
    round_trips, validation, post
) -> None:
    trip = round_trips.of(post)
    created(trip)
    checked = validation[post.name]
    published = [kind for kind in ("forced", "edited") if kind in checked]
    assert published, "nothing was published to validate"
    # Blocks that were already invalid on the server are kept as they were, not repaired.
    already = {block["originalContent"] for block in checked["original"]}
    problems = {
        kind: [
            {key: block[key] for key in ("name", "path", "validationIssues", "originalContent")}
            for block in checked[kind]
            if block["originalContent"] not in already
        ]
        for kind in published
    }
    assert not any(problems.values()), json.dumps(problems, indent=1, ensure_ascii=False)[:4000]


def test_the_round_trips_left_one_post_per_corpus_post_and_no_new_media(
    wordpress, round_trips, counts_before
) -> None:
    trips = round_trips.all()
    made = sum(1 for trip in trips if trip.post_id)
    assert made == len(CORPUS), [trip.name for trip in trips if not trip.post_id]
    posts_before, media_before = counts_before
    assert wordpress.count_posts() == posts_before + made
    assert wordpress.count_media() == media_before


# -- the measuring tools themselves (no server) ---------------------------------------------

PARA = "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->"


def test_the_block_splitter_keeps_inner_blocks_void_blocks_and_freeform_html_apart() -> None:
    columns = (
        '<!-- wp:columns -->\n<div class="wp-block-columns"><!-- wp:column -->\n<div>'
        + PARA.format("inner")
        + "</div>\n<!-- /wp:column --></div>\n<!-- /wp:columns -->"
    )
    raw = "\n\n".join(
        [PARA.format("one"), columns, '<!-- wp:latest-posts {"a":{"b":1}} /-->', "<p>free</p>"]
    )
    assert split_blocks(raw) == [PARA.format("one"), columns, raw.split("\n\n")[-2], "<p>free</p>"]
    assert split_blocks("one\nline\n\n\ntwo", classic=True) == ["one\nline", "two"]


def test_changed_blocks_counts_an_edited_block_once_and_a_dropped_block_too() -> None:
    before = "\n\n".join([PARA.format("a b"), "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->"])
    assert changed_blocks(before, before) == []
    edited = before.replace("a b", "a c")
    assert changed_blocks(before, edited) == [PARA.format("a c")]
    assert len(changed_blocks(before, PARA.format("a c"))) == 2


def test_the_word_picked_for_the_edit_is_unique_prose_outside_links_and_html() -> None:
    markdown = "## Heading words\n\n[linked](https://x.example/path) Holmes <b>bold</b> said\n"
    assert pick_prose_word(markdown) == (markdown.split("\n\n")[1].strip(), "Holmes")
    assert pick_prose_word("- list item\n\n```\ncode here\n```\n") is None
