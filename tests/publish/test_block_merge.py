"""The block-wise three-way merge of a post with the blog's edits (pure, no blog)."""

from __future__ import annotations

import pytest

from editor.publish.block_merge import (
    BOTH,
    CONFLICT,
    OURS,
    SAME,
    THEIRS,
    Token,
    merge_post,
    merge_tokens,
    resolve,
)
from editor.publish.blog_copies import BlogCopy, save_copy
from editor.publish.remote_record import RemoteRecord, sha256_text, with_remote_record
from editor.publish.round_trip import content_for_body, pull_content
from editor.publish.server_merge import (
    NO_COPY,
    STALE_COPY,
    conflict_report,
    keep_server_copy,
    merge_base,
    merged_text,
    prepare_merge,
    summary,
)

GALLERY = (
    '<!-- wp:gallery {"linkTo":"none"} -->\n'
    '<figure class="wp-block-gallery has-nested-images"><img src="a.jpg" class="x"/></figure>\n'
    "<!-- /wp:gallery -->"
)


def paragraph(text: str) -> str:
    """Return a paragraph block as WordPress writes it."""
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"


def content(texts: list[str], gallery_at: int | None = None) -> str:
    """Return block content of paragraphs (and a gallery island at `gallery_at`)."""
    blocks = [paragraph(text) for text in texts]
    if gallery_at is not None:
        blocks.insert(gallery_at, GALLERY)
    return "\n\n".join(blocks)


TEXTS = [f"Paragraph {n} of the post." for n in range(1, 11)]


@pytest.fixture
def pulled() -> tuple[str, object, str]:
    """A ten-paragraph post with a gallery, as pulled: (body, copy, content)."""
    base = content(TEXTS, gallery_at=5)
    body, copy = pull_content(base)
    return body, copy, base


def edited(texts: list[str], index: int, new: str) -> list[str]:
    return [new if i == index else t for i, t in enumerate(texts)]


def tokens(*keys: str) -> list[Token]:
    return [Token(k, k) for k in keys]


# -- the merge of piece sequences ---------------------------------------------------------------


def test_a_server_edit_in_piece_2_and_a_local_edit_in_piece_7_merge_cleanly(pulled) -> None:
    body, copy, _base = pulled
    server = content(edited(TEXTS, 1, "Paragraph 2, fixed on the blog."), gallery_at=5)
    mine = body.replace("Paragraph 7 of the post.", "Paragraph 7, rewritten here.")

    outcome = merge_post(mine, copy, server)

    assert outcome.conflicts == []
    assert "Paragraph 2, fixed on the blog." in outcome.body
    assert "Paragraph 7, rewritten here." in outcome.body
    assert "Paragraph 2 of the post." not in outcome.body
    assert "Paragraph 7 of the post." not in outcome.body
    assert GALLERY in outcome.body  # the raw island is kept as it is
    assert [r.kind for r in outcome.regions if r.kind != SAME] == [THEIRS, OURS]
    assert outcome.count(THEIRS) == 1 and outcome.count(OURS) == 1


def test_overlapping_edits_of_one_piece_are_a_conflict_with_both_versions(pulled) -> None:
    body, copy, _base = pulled
    server = content(edited(TEXTS, 3, "Paragraph 4 as the blog has it."), gallery_at=5)
    mine = body.replace("Paragraph 4 of the post.", "Paragraph 4 as I wrote it.")

    outcome = merge_post(mine, copy, server)

    assert outcome.body is None
    [conflict] = outcome.conflicts
    assert conflict.kind == CONFLICT
    assert conflict.base == ("Paragraph 4 of the post.",)
    assert conflict.ours == ("Paragraph 4 as I wrote it.",)
    assert conflict.theirs == ("Paragraph 4 as the blog has it.",)
    assert "Paragraph 4 as the blog has it." in resolve(outcome, [THEIRS])
    mine_chosen = resolve(outcome, [OURS])
    assert "Paragraph 4 as I wrote it." in mine_chosen and "the blog has" not in mine_chosen
    report = "\n".join(conflict_report(outcome))
    assert "-Paragraph 4 as I wrote it." in report and "+Paragraph 4 as the blog has it." in report


def test_the_same_edit_on_both_sides_is_not_a_conflict(pulled) -> None:
    body, copy, _base = pulled
    server = content(edited(TEXTS, 8, "Paragraph 9, typo fixed."), gallery_at=5)
    mine = body.replace("Paragraph 9 of the post.", "Paragraph 9, typo fixed.")

    outcome = merge_post(mine, copy, server)

    assert outcome.conflicts == []
    assert outcome.count(BOTH) == 1
    assert outcome.body.count("Paragraph 9, typo fixed.") == 1


def test_insertions_and_deletions_on_each_side_are_all_taken(pulled) -> None:
    body, copy, _base = pulled
    # The blog: a new paragraph after paragraph 1, paragraph 10 deleted.
    server_texts = [TEXTS[0], "Inserted on the blog.", *TEXTS[1:9]]
    server = content(server_texts, gallery_at=6)
    # The writer: paragraph 5 deleted, a new paragraph after paragraph 8.
    mine = body.replace("Paragraph 5 of the post.\n\n", "").replace(
        "Paragraph 8 of the post.", "Paragraph 8 of the post.\n\nAdded by me."
    )

    outcome = merge_post(mine, copy, server)

    assert outcome.conflicts == []
    merged = outcome.body
    assert "Inserted on the blog." in merged and "Added by me." in merged
    assert "Paragraph 5 of the post." not in merged and "Paragraph 10 of the post." not in merged
    order = [
        "Paragraph 1 of",
        "Inserted on the blog.",
        "Paragraph 2 of",
        "Paragraph 4 of",
        "wp:gallery",
        "Paragraph 6 of",
        "Paragraph 8 of",
        "Added by me.",
        "Paragraph 9 of",
    ]
    positions = [merged.index(needle) for needle in order]
    assert positions == sorted(positions)


def test_both_sides_inserting_different_text_at_the_same_place_is_a_conflict() -> None:
    regions = merge_tokens(tokens("a", "b"), tokens("a", "mine", "b"), tokens("a", "theirs", "b"))
    assert [r.kind for r in regions] == [SAME, CONFLICT, SAME]


def test_changes_to_neighbouring_pieces_merge() -> None:
    regions = merge_tokens(
        tokens("a", "b", "c", "d"), tokens("a", "B", "c", "d"), tokens("a", "b", "C", "d")
    )
    assert [r.kind for r in regions] == [SAME, OURS, THEIRS, SAME]


def test_a_deletion_on_one_side_and_an_edit_of_the_same_piece_on_the_other_conflict() -> None:
    regions = merge_tokens(tokens("a", "b", "c"), tokens("a", "c"), tokens("a", "B", "c"))
    [conflict] = [r for r in regions if r.kind == CONFLICT]
    assert conflict.ours == () and conflict.theirs == ("B",)


def test_an_insertion_inside_a_stretch_the_other_side_replaced_is_a_conflict() -> None:
    regions = merge_tokens(
        tokens("a", "b", "c", "d"), tokens("a", "b", "new", "c", "d"), tokens("a", "X", "d")
    )
    assert [r.kind for r in regions] == [SAME, CONFLICT, SAME]


def test_unchanged_posts_merge_to_the_servers_markdown(pulled) -> None:
    body, copy, base = pulled
    outcome = merge_post(body, copy, base)
    assert outcome.conflicts == [] and outcome.body == body
    assert {r.kind for r in outcome.regions} == {SAME}


def test_resolve_needs_one_choice_per_conflict(pulled) -> None:
    body, copy, _base = pulled
    server = content(edited(TEXTS, 0, "One on the blog."), gallery_at=5)
    outcome = merge_post(body.replace("Paragraph 1 of", "One of mine of"), copy, server)
    with pytest.raises(ValueError):
        resolve(outcome, [])


# -- the post around the merge ---------------------------------------------------------------


def post_text(body: str, record: RemoteRecord) -> str:
    return with_remote_record("---\ntitle: Ten paragraphs\n---\n\n" + body, record)


def test_a_merged_post_records_the_blogs_version_and_its_next_publish_resends_the_blogs_markup(
    pulled, isolated_home
) -> None:
    body, copy, base = pulled
    save_copy("blog", 7, copy)
    record = RemoteRecord(
        blog="blog",
        id=7,
        url="u",
        modified_gmt="2024-01-01T00:00:00",
        content_sha256=sha256_text(base),
    )
    mine = body.replace("Paragraph 7 of the post.", "Paragraph 7, rewritten here.")
    text = post_text(mine, record)
    server_texts = edited(TEXTS, 1, "Paragraph 2 with <em>emphasis</em> from the blog.")
    server = content(server_texts, gallery_at=5)

    attempt = prepare_merge(text, "blog", server, "2024-02-02T00:00:00")
    assert attempt.outcome is not None and attempt.outcome.body is not None
    new_text = merged_text(text, attempt.outcome.body, "blog", attempt)
    keep_server_copy(new_text, "blog", attempt)

    assert new_text.startswith("---\ntitle: Ten paragraphs\n")
    assert "Paragraph 7, rewritten here." in new_text
    assert "Paragraph 2 with *emphasis* from the blog." in new_text
    merged_record_text = new_text.split("---\n")[1]
    assert "2024-02-02T00:00:00" in merged_record_text
    assert sha256_text(server) in merged_record_text
    kept, reason = merge_base(new_text, "blog")
    assert reason == "" and kept.content == server
    # The next publish sends the blog's markup for every piece but the writer's edit.
    sent, _copy = content_for_body(attempt.outcome.body, kept)
    expected = content(edited(server_texts, 6, "Paragraph 7, rewritten here."), gallery_at=5)
    assert sent == expected
    assert summary(attempt.outcome) == "Merged 1 change from the blog, 1 change of yours."


def test_no_merge_is_offered_without_a_kept_copy_and_the_reason_is_said(isolated_home) -> None:
    record = RemoteRecord(
        blog="blog", id=8, url="u", modified_gmt="2024-01-01T00:00:00", content_sha256="abc"
    )
    attempt = prepare_merge(post_text("Text.\n", record), "blog", "<p>x</p>", "t")
    assert attempt.outcome is None and attempt.reason == NO_COPY
    assert "older Draftpress" in attempt.reason


def test_a_kept_copy_of_another_version_than_the_files_is_not_used(pulled, isolated_home) -> None:
    body, copy, _base = pulled
    save_copy("blog", 9, copy)
    record = RemoteRecord(
        blog="blog",
        id=9,
        url="u",
        modified_gmt="2024-01-01T00:00:00",
        content_sha256=sha256_text("something else"),
    )
    attempt = prepare_merge(post_text(body, record), "blog", "<p>x</p>", "t")
    assert attempt.outcome is None and attempt.reason == STALE_COPY


def test_a_post_published_from_draftpress_merges_block_by_block() -> None:
    # A first publish keeps all the new Markdown as one piece; the blog stores ten blocks.
    body = "\n\n".join(TEXTS) + "\n"
    sent, copy = content_for_body(body, BlogCopy(""))
    assert len(copy.segments) == 1
    server = sent.replace("Paragraph 2 of the post.", "Paragraph 2, fixed on the blog.")
    mine = body.replace("Paragraph 7 of the post.", "Paragraph 7, rewritten here.")

    outcome = merge_post(mine, copy, server)

    assert outcome.conflicts == []
    assert "Paragraph 2, fixed on the blog." in outcome.body
    assert "Paragraph 7, rewritten here." in outcome.body


def test_a_whitespace_only_edit_of_the_writer_survives_a_merge() -> None:
    from editor.publish.block_merge import merge_post
    from editor.publish.round_trip import pull_content

    code = (
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>def f():\n    return 1</code></pre>\n'
        "<!-- /wp:code -->"
    )
    para = "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->"
    content = para.format("First words.") + "\n\n" + code + "\n\n" + para.format("Last words.")
    body, copy = pull_content(content)
    assert "    return 1" in body
    mine = body.replace("    return 1", "  return 1")
    server = content.replace("Last words.", "Last words, changed on the blog.")
    outcome = merge_post(mine, copy, server)
    assert outcome.body is not None
    assert "  return 1" in outcome.body and "    return 1" not in outcome.body
    assert "changed on the blog" in outcome.body
