"""Issue 11: what a pulled post refers to by id survives an edit (real WordPress).

Two categories may share a name under different parents: a pulled post must keep the category
ids it had, not whichever term the name finds. A pulled post's featured image must stay set
when the post is edited and published again.
"""

from __future__ import annotations

import uuid
from io import BytesIO

from PIL import Image

from tests.integration.round_trip import (
    NEW_WORD,
    create_post,
    edit_one_word,
    publish_file,
    pull,
)
from tests.integration.wordpress_server import WordPressServer

PROSE = (
    "<!-- wp:paragraph -->\n<p>It is a truth universally acknowledged, that a single man in "
    "possession of a good fortune, must be in want of a wife.</p>\n<!-- /wp:paragraph -->"
)


def make_category(server: WordPressServer, name: str, parent: int = 0) -> int:
    """Create a category (under `parent`) and return its id."""
    response = server.request("POST", "wp/v2/categories", json={"name": name, "parent": parent})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def categorised_post(server: WordPressServer, category_ids: list[int]) -> int:
    """A published block post in these categories; returns its id."""
    post_id = int(create_post(server, f"Terms {uuid.uuid4().hex[:8]}", PROSE)["id"])
    response = server.request("POST", f"wp/v2/posts/{post_id}", json={"categories": category_ids})
    assert response.status_code == 200, response.text
    return post_id


def same_named_categories(server: WordPressServer) -> tuple[int, int]:
    """Two categories named alike under two different parents; returns their ids."""
    tag = uuid.uuid4().hex[:6]
    rivers = make_category(server, f"Rivers {tag}")
    cities = make_category(server, f"Cities {tag}")
    name = f"Field notes {tag}"
    return make_category(server, name, rivers), make_category(server, name, cities)


def edit_and_publish(server: WordPressServer, post_id: int, library) -> dict:
    """Pull the post, change one word, publish it; return the post as the server has it."""
    path = pull(server, post_id, library)
    assert edit_one_word(path) is not None
    publish_file(server, path)
    stored = server.get_post_raw(post_id)
    assert NEW_WORD in stored["content"]["raw"]
    return stored


def test_a_pulled_post_in_the_second_of_two_same_named_categories_keeps_it_after_an_edit(
    wordpress, tmp_path
) -> None:
    _first, second = same_named_categories(wordpress)
    post_id = categorised_post(wordpress, [second])

    stored = edit_and_publish(wordpress, post_id, tmp_path / "library")

    assert stored["categories"] == [second]


def test_a_pulled_post_in_both_same_named_categories_keeps_both_after_an_edit(
    wordpress, tmp_path
) -> None:
    first, second = same_named_categories(wordpress)
    post_id = categorised_post(wordpress, [first, second])

    stored = edit_and_publish(wordpress, post_id, tmp_path / "library")

    assert sorted(stored["categories"]) == sorted([first, second])


def upload_png(server: WordPressServer) -> int:
    """Upload a small real PNG to the media library; return its id."""
    data = BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(data, "PNG")
    response = server.request(
        "POST",
        "wp/v2/media",
        content=data.getvalue(),
        headers={
            "Content-Type": "image/png",
            "Content-Disposition": f'attachment; filename="featured-{uuid.uuid4().hex[:8]}.png"',
        },
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_featured_image_survives_an_edit_of_a_pulled_post(wordpress, tmp_path) -> None:
    image = upload_png(wordpress)
    post_id = int(create_post(wordpress, f"Featured {uuid.uuid4().hex[:8]}", PROSE)["id"])
    response = wordpress.request("POST", f"wp/v2/posts/{post_id}", json={"featured_media": image})
    assert response.status_code == 200 and response.json()["featured_media"] == image
    media = wordpress.count_media()

    stored = edit_and_publish(wordpress, post_id, tmp_path / "library")

    assert stored["featured_media"] == image
    assert wordpress.count_media() == media  # kept by id, not uploaded again
