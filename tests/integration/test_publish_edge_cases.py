"""Publishing edge cases found in review, each against the real WordPress."""

from __future__ import annotations

import httpx
import pytest

from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.remote_record import read_remote_record, recorded_blogs
from tests.integration.sample_posts import unique, write_png
from tests.integration.test_publish_wordpress import (
    BLOG,
    CountingTransport,
    LosingTransport,
    make_post,
    publish,
)


class LosingUpdate(CountingTransport):
    """Lets every post update reach the server, then loses its answer (an update is sent
    again by itself, so losing only the first answer would go unnoticed)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method == "POST" and "/posts/" in request.url.path:
            response.read()
            raise httpx.ReadTimeout("the answer to the update was lost")
        return response


def test_an_author_republishing_an_unchanged_post_gets_no_false_conflict(wordpress, tmp_path):
    path = make_post(tmp_path, unique("Author Again"))
    first, _ = publish(wordpress, path, user="author", status="pending")
    again, _ = publish(wordpress, path, user="author", status="pending")
    assert again.record.id == first.record.id and not again.created


def test_a_lost_answer_to_an_update_is_not_taken_for_an_edit_on_the_blog(wordpress, tmp_path):
    path = make_post(tmp_path, unique("Lost Update"))
    first, post = publish(wordpress, path)
    save_post(post.with_text(post.text + "\nAn edit whose answer is lost.\n"))
    with pytest.raises(errors.Timeout):
        publish(wordpress, path, transport=LosingUpdate())
    retry, _ = publish(wordpress, path)
    assert retry.record.id == first.record.id


@pytest.mark.parametrize("title", ["Ünïcødé Grüße", "Salt & Pepper"])
def test_a_lost_create_with_an_unusual_title_is_still_found(wordpress, tmp_path, title):
    title = unique(title)
    path = make_post(tmp_path, "lost-" + title.split()[-1])
    text = path.read_text(encoding="utf-8").replace('title: "lost-', 'title: "XX', 1)
    path.write_text(text.replace(text.split('"')[1], title, 1), encoding="utf-8")
    posts = wordpress.count_posts()
    with pytest.raises(errors.NoNetwork):
        publish(wordpress, path, user="author", status="pending", transport=LosingTransport())
    publish(wordpress, path, user="author", status="pending")
    assert wordpress.count_posts() == posts + 1


def test_one_file_used_twice_and_as_featured_image_is_uploaded_once(wordpress, tmp_path):
    write_png(tmp_path / "my imgs" / "fötö 1.png", 0x11AA55)
    path = tmp_path / "twice.md"
    path.write_text(
        f'---\ntitle: "{unique("Twice")}"\nstatus: draft\nfeatured_image: "my imgs/fötö 1.png"\n'
        "---\n\n![One](<my imgs/fötö 1.png>)\n\n![Two](my%20imgs/f%C3%B6t%C3%B6%201.png)\n",
        encoding="utf-8",
    )
    media = wordpress.count_media()
    result, post = publish(wordpress, path)
    assert result.uploaded == 1 and wordpress.count_media() == media + 1
    raw = wordpress.get_post_raw(result.record.id)
    assert raw["featured_media"] == next(iter(result.record.media.values())).id
    again, _ = publish(wordpress, path)
    assert not again.updated and not again.created


def test_a_tag_with_an_ampersand_can_be_used_by_many_posts(wordpress, tmp_path):
    tag = unique("Food & Drink")
    for name in ("first", "second"):
        path = make_post(tmp_path / name, unique(f"Tagged {name}"))
        text = path.read_text(encoding="utf-8").replace("tags: [art, tools]", f'tags: ["{tag}"]')
        path.write_text(text, encoding="utf-8")
        result, _ = publish(wordpress, path)
        assert len(wordpress.get_post_raw(result.record.id)["tags"]) == 1


def test_a_record_renamed_to_another_blog_is_kept_and_the_journal_restores_this_blogs(
    wordpress, tmp_path
):
    # Before several blogs per post, publishing a file recorded on another blog was refused;
    # now each blog keeps its own record, and the publish journal still knows this blog's post
    # of this file, so no second post is made (tests/integration/test_publish_to_several_blogs.py
    # publishes one file to two accounts).
    path = make_post(tmp_path, unique("Two Blogs"))
    publish(wordpress, path)
    post = load_post(path)
    first = read_remote_record(post.text, BLOG)
    assert first.id
    text = post.text.replace(f"blog: {BLOG}", "blog: another-blog")  # the record names it too
    save_post(post.with_text(text))
    posts = wordpress.count_posts()
    result, after = publish(wordpress, path)
    assert not result.created and result.record.id == first.id
    assert wordpress.count_posts() == posts
    assert recorded_blogs(after.text) == ["another-blog", BLOG]
    assert read_remote_record(after.text, "another-blog").id == first.id


def test_a_tag_and_featured_image_deleted_on_the_blog_are_sent_again(wordpress, tmp_path):
    path = make_post(tmp_path, unique("Deleted Bits"))
    text = path.read_text(encoding="utf-8")
    stem = path.stem
    text = text.replace("excerpt:", f'featured_image: "{stem}.assets/first.png"\nexcerpt:', 1)
    path.write_text(text, encoding="utf-8")
    first, post = publish(wordpress, path)
    record = read_remote_record(post.text, BLOG)
    tag_id = record.terms["tags"]["art"]
    featured = wordpress.get_post_raw(first.record.id)["featured_media"]
    assert featured
    wordpress.request("DELETE", f"wp/v2/tags/{tag_id}", params={"force": "true"})
    wordpress.request("DELETE", f"wp/v2/media/{featured}", params={"force": "true"})
    save_post(post.with_text(post.text + "\nA later edit.\n"))
    again, _ = publish(wordpress, path)
    server = wordpress.get_post_raw(first.record.id)
    assert len(server["tags"]) == 2 and server["featured_media"] not in (0, featured)
    assert again.record.id == first.record.id


def test_a_record_lost_to_an_undo_is_restored_instead_of_making_a_second_post(wordpress, tmp_path):
    path = make_post(tmp_path, unique("Undo Past Publish"))
    before = path.read_text(encoding="utf-8")
    first, _ = publish(wordpress, path)
    path.write_text(before, encoding="utf-8")  # as if the writer undid past the record
    posts = wordpress.count_posts()
    again, post = publish(wordpress, path)
    assert again.record.id == first.record.id and not again.created
    assert wordpress.count_posts() == posts
    assert read_remote_record(post.text, BLOG).id == first.record.id


def test_a_classic_post_is_stored_without_block_markup(wordpress, tmp_path):
    classic = make_post(tmp_path / "classic", unique("Classic Post"))
    first, _ = publish(wordpress, classic, output="classic")
    raw = wordpress.get_post_raw(first.record.id)
    assert "<!-- wp:" not in raw["content"]["raw"] and raw["content"]["block_version"] == 0
