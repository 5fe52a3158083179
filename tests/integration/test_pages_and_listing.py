"""Every post and page is reachable, and goes back as what it was (issue 11), on a real WordPress.

The client pages through more than a hundred posts to the last one and finds an old one by its
title; a pulled page publishes back as that page; a sticky post stays sticky; a post in a status
the blog registered itself keeps that status.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core.post import load_post, meta_from_text, save_post
from editor.publish import errors
from editor.publish.pull import pull_into_library
from editor.publish.remote_record import read_remote_record, with_remote_record
from editor.publish.wordpress_client import WordPressClient
from tests.integration.blog_content import (
    CUSTOM_STATUS,
    create_in_batches,
    custom_status_installed,
    read,
    total,
    unique_word,
)
from tests.integration.test_publish_wordpress import BLOG, publish
from tests.integration.wordpress_server import WordPressServer

MANY = 110  # more than WordPress's largest page (100)
DRAFTS = (5, 6)  # numbers of the posts created as drafts


def paragraph(text: str) -> str:
    """Return one paragraph block as WordPress stores it."""
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"


def admin_client(wordpress: WordPressServer) -> WordPressClient:
    """Return a Draftpress client logged in as the administrator."""
    return WordPressClient(wordpress.url, wordpress.admin_user, wordpress.admin_app_password)


@pytest.fixture(scope="module")
def many_posts(wordpress: WordPressServer) -> tuple[str, str, list[int]]:
    """110 posts sharing a unique word, dated 2003 (older than any other test's), oldest first.

    The oldest also carries a word of its own (the needle). Returns (word, needle, ids).
    """
    word, needle = unique_word(), unique_word()
    bodies = [
        {
            "title": f"Batch {word} {n:03d}" + (f" {needle}" if n == 0 else ""),
            "content": paragraph(f"Number {n}."),
            "status": "draft" if n in DRAFTS else "publish",
            "date": f"2003-01-{1 + n // 24:02d}T{n % 24:02d}:00:00",
        }
        for n in range(MANY)
    ]
    return word, needle, create_in_batches(wordpress, "/wp/v2/posts", bodies)


@pytest.fixture
def custom_status(wordpress: WordPressServer) -> Iterator[str]:
    """The site knows CUSTOM_STATUS (a plugin registered it) during the test."""
    yield from custom_status_installed(wordpress)


def test_the_client_pages_through_more_than_a_hundred_posts_to_the_last_one(
    wordpress, many_posts
) -> None:
    word, _needle, ids = many_posts
    seen: list[int] = []
    with admin_client(wordpress) as client:
        page = 1
        while True:
            listing = client.list_posts(page=page, per_page=20, search=word)
            seen += [int(post["id"]) for post in listing.items]
            if page >= listing.total_pages:
                break
            page += 1
    assert (listing.total, listing.total_pages, page) == (MANY, 6, 6)
    assert listing.summary("Posts") == f"Posts 101–{MANY} of {MANY}"
    assert seen == list(reversed(ids))  # newest first, every one once, the oldest last


def test_status_filters_and_a_title_search_find_an_old_post_from_page_six(
    wordpress, many_posts
) -> None:
    word, needle, ids = many_posts
    with admin_client(wordpress) as client:
        everything = client.list_posts(per_page=20)
        found_on = None
        for page in range(1, everything.total_pages + 1):
            listed = client.list_posts(page=page, per_page=20).items
            if any(post["id"] == ids[0] for post in listed):
                found_on = page
        drafts = client.list_posts(status="draft", search=word)
        published = client.list_posts(status="publish", search=word)
        searched = client.list_posts(search=needle)
    assert found_on is not None and found_on >= 6
    assert sorted(post["id"] for post in drafts.items) == sorted(ids[n] for n in DRAFTS)
    assert published.total == MANY - len(DRAFTS)
    assert [post["id"] for post in searched.items] == [ids[0]] and searched.total == 1
    assert searched.items[0]["content"]["raw"] == paragraph("Number 0.")  # context=edit


def test_a_pulled_page_publishes_back_as_that_page(wordpress, tmp_path) -> None:
    title = f"About {unique_word()}"
    page = wordpress.request(
        "POST",
        "wp/v2/pages",
        json={"title": title, "content": paragraph("Who we are."), "status": "publish"},
    ).json()
    pages, posts = total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")
    with admin_client(wordpress) as client:
        [listed] = client.list_posts("page", search=title).items
        path = pull_into_library(client, listed, tmp_path, BLOG)
    pulled = load_post(path)
    record = read_remote_record(pulled.text, BLOG)
    assert (record.id, record.type, record.post_type) == (page["id"], "page", "page")
    assert "tags" not in pulled.text and "categories" not in pulled.text  # pages have none
    save_post(pulled.with_text(pulled.text.replace("Who we are.", "Who we are now.")))

    result, saved = publish(wordpress, path)

    assert result.updated and not result.created and result.record.id == page["id"]
    assert read_remote_record(saved.text, BLOG).type == "page"
    assert (total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")) == (pages, posts)
    assert "Who we are now." in read(wordpress, f"wp/v2/pages/{page['id']}")["content"]["raw"]
    again, _ = publish(wordpress, path)  # and nothing is sent twice
    assert not again.updated and not again.created


def test_a_page_pulled_before_pages_were_recorded_is_still_updated_as_that_page(
    wordpress, tmp_path
) -> None:
    title = f"Contact {unique_word()}"
    page = wordpress.request(
        "POST", "wp/v2/pages", json={"title": title, "content": paragraph("Write to us.")}
    ).json()
    with admin_client(wordpress) as client:
        path = pull_into_library(client, client.get_post(page["id"], "page"), tmp_path, BLOG)
    post = load_post(path)
    old_record = read_remote_record(post.text, BLOG)
    old_record.type = ""  # as a pull before this change wrote it
    text = with_remote_record(post.text, old_record).replace("Write to us.", "Write to us soon.")
    save_post(post.with_text(text))
    pages, posts = total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")

    result, saved = publish(wordpress, path)

    assert result.updated and result.record.id == page["id"]
    assert read_remote_record(saved.text, BLOG).type == "page"
    assert (total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")) == (pages, posts)
    assert "Write to us soon." in read(wordpress, f"wp/v2/pages/{page['id']}")["content"]["raw"]


def test_a_sticky_post_stays_sticky_after_an_edit_and_publish(wordpress, tmp_path) -> None:
    made = wordpress.request(
        "POST",
        "wp/v2/posts",
        json={
            "title": f"Pinned {unique_word()}",
            "content": paragraph("Read me first."),
            "status": "publish",
            "sticky": True,
        },
    ).json()
    with admin_client(wordpress) as client:
        path = pull_into_library(client, client.get_post(made["id"]), tmp_path, BLOG)
    pulled = load_post(path)
    assert meta_from_text(pulled.text).sticky is True and "sticky: true" in pulled.text
    save_post(pulled.with_text(pulled.text.replace("Read me first.", "Read me first, please.")))

    result, _ = publish(wordpress, path)

    server = read(wordpress, f"wp/v2/posts/{made['id']}")
    assert result.updated and server["sticky"] is True
    assert "Read me first, please." in server["content"]["raw"]


def test_a_sticky_flag_set_on_the_blog_is_kept_and_sticky_false_clears_it(
    wordpress, tmp_path
) -> None:
    path = tmp_path / "flag.md"
    path.write_text(f"---\ntitle: Flag {unique_word()}\nstatus: publish\n---\n\nOne.\n")
    first, post = publish(wordpress, path)
    post_id = first.record.id
    wordpress.php_eval(f"stick_post({int(post_id)});")  # pinned in wp-admin; no edit to the post
    save_post(post.with_text(post.text.replace("One.", "Two.")))

    publish(wordpress, path)  # the front matter says nothing about sticky: the flag stays
    assert read(wordpress, f"wp/v2/posts/{post_id}")["sticky"] is True

    post = load_post(path)
    save_post(
        post.with_text(post.text.replace("status: publish", "status: publish\nsticky: false"))
    )
    publish(wordpress, path)
    assert read(wordpress, f"wp/v2/posts/{post_id}")["sticky"] is False


def test_a_post_in_a_status_the_blog_registered_keeps_it_through_a_publish(
    wordpress, custom_status, tmp_path
) -> None:
    made = wordpress.request(
        "POST",
        "wp/v2/posts",
        json={
            "title": f"Under review {unique_word()}",
            "content": paragraph("Draft words."),
            "status": CUSTOM_STATUS,
        },
    ).json()
    assert made["status"] == CUSTOM_STATUS
    with admin_client(wordpress) as client:
        [listed] = client.list_posts(search=made["title"]["raw"]).items
        path = pull_into_library(client, listed, tmp_path, BLOG)
    pulled = load_post(path)
    assert meta_from_text(pulled.text).status == CUSTOM_STATUS
    assert read_remote_record(pulled.text, BLOG).custom_status == CUSTOM_STATUS
    save_post(pulled.with_text(pulled.text.replace("Draft words.", "Reviewed words.")))

    result, saved = publish(wordpress, path)

    server = read(wordpress, f"wp/v2/posts/{made['id']}")
    assert result.updated and server["status"] == CUSTOM_STATUS
    assert "Reviewed words." in server["content"]["raw"]
    assert read_remote_record(saved.text, BLOG).custom_status == CUSTOM_STATUS

    other = tmp_path / "made-up.md"  # a status neither standard nor given by the blog
    other.write_text(f"---\ntitle: Made up {unique_word()}\nstatus: {CUSTOM_STATUS}\n---\n\nHi.\n")
    with pytest.raises(errors.PublishError, match="not a post status WordPress knows"):
        publish(wordpress, other)


def test_pull_and_publish_commands_list_pull_and_update_a_page(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    from editor.cli import main
    from tests.integration.test_cli_publish import add_blog

    add_blog(wordpress, monkeypatch)
    title = f"Terms {unique_word()}"
    page = wordpress.request(
        "POST",
        "wp/v2/pages",
        json={"title": title, "status": "publish", "content": paragraph("Be kind.")},
    ).json()
    capsys.readouterr()

    assert main(["pull", "--list", "--type", "page", "--search", title]) == 0
    listed = capsys.readouterr()
    assert listed.out.startswith(f"{page['id']}\tpublish\t") and title in listed.out
    assert listed.err.strip() == "Pages 1–1 of 1"
    assert main(["pull", str(page["id"]), "--type", "page", "--into", str(tmp_path)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert read_remote_record(load_post(path).text, "local").type == "page"
    assert main(["pull", str(page["id"]), "--type", "page", "--into", str(tmp_path)]) == 0
    assert Path(capsys.readouterr().out.strip()) == path  # the library's copy, not another
    path.write_text(path.read_text().replace("Be kind.", "Be kind, always."))
    pages, posts = total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")

    assert main(["publish", str(path)]) == 0, capsys.readouterr().err

    assert (total(wordpress, "wp/v2/pages"), total(wordpress, "wp/v2/posts")) == (pages, posts)
    assert "Be kind, always." in read(wordpress, f"wp/v2/pages/{page['id']}")["content"]["raw"]
    assert main(["pull", "999999", "--type", "page", "--into", str(tmp_path)]) == 1
    assert "does not have it any more" in capsys.readouterr().err
