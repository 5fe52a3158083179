"""Ghost: a post whose front matter says `type: page` is created as a page (/pages/), updated
there, and its status is sent in Ghost's words; against the real Ghost 5 (issue 13). No
stand-ins."""

from __future__ import annotations

import uuid
from pathlib import Path

from editor.core.post import load_post, save_post
from editor.publish.accounts import Account
from editor.publish.engines import registry
from editor.publish.engines.base import GHOST
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import read_remote_record, with_remote_record
from tests.integration.ghost_server import GhostServer

BLOG = "ghost-pages"


def publish(ghost: GhostServer, path: Path) -> PublishResult:
    """Publish the file through the registry's Ghost engine; write the record into it."""
    post = load_post(path)
    engine = registry.open_engine(Account(BLOG, ghost.url, "", kind=GHOST), ghost.admin_key)
    try:
        result = engine.publish(
            post, BLOG, PublishOptions(), path=path, progress=lambda _m: None,
            cancelled=lambda: False,
        )  # fmt: skip
    finally:
        engine.close()
    save_post(post.with_text(with_remote_record(post.text, result.record)))
    return result


def count_pages(ghost: GhostServer) -> int:
    answer = ghost.request("GET", "pages/", params={"limit": 1, "fields": "id"})
    return int(answer.json()["meta"]["pagination"]["total"])


def test_type_page_creates_a_page_and_updates_it_there(ghost, tmp_path) -> None:
    title = f"About {uuid.uuid4().hex[:8]}"
    path = tmp_path / "about.md"
    path.write_text(
        f'---\ntitle: "{title}"\ntype: page\nstatus: publish\n---\n\nWho we are.\n',
        encoding="utf-8",
    )
    posts, pages = ghost.count_posts(), count_pages(ghost)
    first = publish(ghost, path)
    assert first.created
    assert (ghost.count_posts(), count_pages(ghost)) == (posts, pages + 1)
    page = ghost.post(str(first.record.id), route="pages")
    assert page["title"] == title and page["status"] == "published"
    assert "Who we are." in page["html"]
    assert read_remote_record(path.read_text(encoding="utf-8"), BLOG).type == "page"

    path.write_text(path.read_text(encoding="utf-8").replace("Who we are.", "Who we were."),
                    encoding="utf-8")
    second = publish(ghost, path)
    assert second.updated and second.record.id == first.record.id
    assert (ghost.count_posts(), count_pages(ghost)) == (posts, pages + 1)
    assert "Who we were." in ghost.post(str(first.record.id), route="pages")["html"]


def test_a_post_without_a_type_stays_a_post(ghost, tmp_path) -> None:
    path = tmp_path / "note.md"
    path.write_text('---\ntitle: "A note"\nstatus: draft\n---\n\nWords.\n', encoding="utf-8")
    posts, pages = ghost.count_posts(), count_pages(ghost)
    publish(ghost, path)
    assert (ghost.count_posts(), count_pages(ghost)) == (posts + 1, pages)


def test_a_scheduled_page_in_the_front_matters_words(ghost, tmp_path) -> None:
    path = tmp_path / "later.md"
    path.write_text(
        '---\ntitle: "Later"\ntype: page\nstatus: future\ndate: 2031-05-06T10:30:00\n---\n\n'
        "Soon.\n",
        encoding="utf-8",
    )
    result = publish(ghost, path)
    assert ghost.post(str(result.record.id), route="pages")["status"] == "scheduled"
