"""XML-RPC: the post's date, scheduling, its featured image and the front matter's statuses,
against the real test WordPress's /xmlrpc.php (issue 13).

With WordPress's wp.* calls and with MetaWeblog only: a future date schedules the post
(dateCreated / post_date), a past one is kept, the featured image is uploaded once and set as
the post's thumbnail (wp_post_thumbnail / post_thumbnail) where the blog speaks WordPress's API.
What WordPress stored is read through its REST API. No stand-ins.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest

from editor.core.post import load_post, save_post
from editor.publish import errors
from editor.publish.engines.xmlrpc import XmlRpcEngine
from editor.publish.publisher import PublishOptions
from editor.publish.remote_record import with_remote_record
from tests.integration.sample_posts import write_png
from tests.integration.wordpress_server import WordPressServer

BLOG = "xmlrpc-dates"


def publish(server: WordPressServer, path: Path, mode: str, steps: list[str] | None = None):
    """Publish the file through the XML-RPC engine, write the record into it; return the result."""
    post = load_post(path)
    said: list[str] = [] if steps is None else steps
    blog = XmlRpcEngine(
        server.url, "admin", server.admin_app_password, use_wordpress=mode == "wordpress"
    )
    with contextlib.closing(blog):
        result = blog.publish(
            post, BLOG, PublishOptions(), path=path, progress=said.append,
            cancelled=lambda: False,
        )  # fmt: skip
    save_post(post.with_text(with_remote_record(post.text, result.record)))
    return result


def write(folder: Path, status: str, date: str, featured: bool = False) -> tuple[Path, str]:
    title = f"Dated {uuid.uuid4().hex[:8]}"
    stem = title.lower().replace(" ", "-")
    extra = ""
    if featured:
        write_png(folder / f"{stem}.assets" / "cover.png", 0x22AA66)
        extra = f"featured_image: {stem}.assets/cover.png\n"
    path = folder / f"{stem}.md"
    path.write_text(
        f'---\ntitle: "{title}"\nstatus: {status}\ndate: {date}\n{extra}---\n\nWords.\n',
        encoding="utf-8",
    )
    return path, title


def stored(server: WordPressServer, post_id: int) -> dict:
    return server.get_post_raw(post_id)


@pytest.mark.parametrize("mode", ["wordpress", "metaweblog"])
def test_a_future_date_schedules_the_post(wordpress, tmp_path, mode) -> None:
    path, _title = write(tmp_path, "future", "2031-05-06T10:30:00")
    result = publish(wordpress, path, mode)
    post = stored(wordpress, int(result.record.id))
    assert post["status"] == "future"
    assert post["date"] == "2031-05-06T10:30:00"
    assert result.status == "future"


@pytest.mark.parametrize("mode", ["wordpress", "metaweblog"])
def test_a_past_date_is_kept_on_a_published_post(wordpress, tmp_path, mode) -> None:
    path, _title = write(tmp_path, "publish", "2020-01-02T03:04:05")
    result = publish(wordpress, path, mode)
    post = stored(wordpress, int(result.record.id))
    assert (post["status"], post["date"]) == ("publish", "2020-01-02T03:04:05")


def test_ghosts_words_in_the_file_are_taken(wordpress, tmp_path) -> None:
    path, _title = write(tmp_path, "scheduled", "2032-02-03T04:05:06")  # from a Ghost blog
    result = publish(wordpress, path, "wordpress")
    assert stored(wordpress, int(result.record.id))["status"] == "future"


def test_an_update_moves_the_date(wordpress, tmp_path) -> None:
    path, _title = write(tmp_path, "future", "2031-05-06T10:30:00")
    first = publish(wordpress, path, "wordpress")
    text = path.read_text(encoding="utf-8").replace("2031-05-06T10:30:00", "2033-07-08T09:10:11")
    path.write_text(text, encoding="utf-8")
    second = publish(wordpress, path, "wordpress")
    assert second.record.id == first.record.id and second.updated
    assert stored(wordpress, int(first.record.id))["date"] == "2033-07-08T09:10:11"


def test_the_featured_image_is_uploaded_once_and_set(wordpress, tmp_path) -> None:
    path, _title = write(tmp_path, "draft", "2020-01-02", featured=True)
    media_before = wordpress.count_media()
    result = publish(wordpress, path, "wordpress")
    assert result.uploaded == 1 and wordpress.count_media() == media_before + 1
    featured = stored(wordpress, int(result.record.id))["featured_media"]
    assert featured
    media = wordpress.request("GET", f"wp/v2/media/{featured}").json()
    assert media["source_url"].endswith(".png")
    again = publish(wordpress, path, "wordpress")  # unchanged: nothing sent again
    assert again.uploaded == 0 and not again.created and not again.updated
    assert wordpress.count_media() == media_before + 1


def test_removing_the_featured_image_from_the_file_clears_it_on_the_blog(
    wordpress, tmp_path
) -> None:
    path, _title = write(tmp_path, "draft", "2020-01-02", featured=True)
    first = publish(wordpress, path, "wordpress")
    assert stored(wordpress, int(first.record.id))["featured_media"]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "".join(line for line in text.splitlines(keepends=True)
                if not line.startswith("featured_image:")),
        encoding="utf-8",
    )  # fmt: skip
    second = publish(wordpress, path, "wordpress")
    assert second.record.id == first.record.id and second.updated
    assert stored(wordpress, int(first.record.id))["featured_media"] == 0
    again = publish(wordpress, path, "wordpress")  # nothing left to clear: nothing sent
    assert not again.created and not again.updated


def test_metaweblog_only_says_the_featured_image_was_left_out(wordpress, tmp_path) -> None:
    path, _title = write(tmp_path, "draft", "2020-01-02", featured=True)
    steps: list[str] = []
    result = publish(wordpress, path, "metaweblog", steps)
    assert any("takes no featured image" in step for step in steps)
    assert stored(wordpress, int(result.record.id))["featured_media"] == 0


def test_pending_and_private_on_wordpress_and_refused_in_plain_words_elsewhere(
    wordpress, tmp_path
) -> None:
    for status in ("pending", "private"):
        path, _title = write(tmp_path, status, "2020-01-02")
        result = publish(wordpress, path, "wordpress")
        assert stored(wordpress, int(result.record.id))["status"] == status
    path, _title = write(tmp_path, "private", "2020-01-02")
    with pytest.raises(
        errors.PublishError, match="can keep a post as Draft, Published or Scheduled, not “Private”"
    ):
        publish(wordpress, path, "metaweblog")
