"""Content for the listing and page tests, put on the real WordPress through its REST API.

Posts are created as the administrator through `/batch/v1` (up to 25 requests per call, the
limit WordPress sets), so a hundred posts take a few seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from tests.integration.wordpress_server import WordPressError, WordPressServer

BATCH_LIMIT = 25  # WordPress's own maximum of requests per batch
CUSTOM_STATUS = "dp-in-review"
# A status of the blog's own, as an editorial plugin registers it (shown in the REST API).
CUSTOM_STATUS_PLUGIN = f"""<?php
/* Plugin Name: Draftpress test: a custom post status */
add_action('init', function () {{
    register_post_status('{CUSTOM_STATUS}', [
        'label' => 'In review',
        'public' => false,
        'internal' => false,
        'protected' => true,
        'show_in_admin_all_list' => true,
    ]);
}});
"""


def unique_word() -> str:
    """Return a word no other test uses (tests share one site)."""
    return "w" + uuid.uuid4().hex[:10]


def create_in_batches(
    wordpress: WordPressServer, route: str, bodies: list[dict[str, Any]]
) -> list[int]:
    """Create posts (route "/wp/v2/posts") or pages through /batch/v1; return their ids."""
    ids: list[int] = []
    for start in range(0, len(bodies), BATCH_LIMIT):
        chunk = bodies[start : start + BATCH_LIMIT]
        requests = [{"method": "POST", "path": route, "body": body} for body in chunk]
        response = wordpress.request(
            "POST", "batch/v1", json={"validation": "require-all-validate", "requests": requests}
        )
        answers = response.json().get("responses", [])
        if response.is_error or len(answers) != len(chunk):
            raise WordPressError(f"batch create failed: {response.status_code} {response.text}")
        for answer in answers:
            if answer.get("status") != 201:
                raise WordPressError(f"batch item failed: {answer}")
            ids.append(int(answer["body"]["id"]))
    return ids


def total(wordpress: WordPressServer, route: str, **params: Any) -> int:
    """Return how many items a collection holds (X-WP-Total), e.g. total(wp, "wp/v2/pages")."""
    response = wordpress.request("GET", route, params={"status": "any", "per_page": 1, **params})
    if response.is_error:
        raise WordPressError(f"{route}: {response.status_code} {response.text[:300]}")
    return int(response.headers["x-wp-total"])


def read(wordpress: WordPressServer, route: str) -> dict[str, Any]:
    """Return one post or page with context=edit, e.g. read(wp, "wp/v2/pages/12")."""
    response = wordpress.request("GET", route, params={"context": "edit"})
    if response.is_error:
        raise WordPressError(f"{route}: {response.status_code} {response.text[:300]}")
    return response.json()


def custom_status_installed(wordpress: WordPressServer) -> Iterator[None]:
    """Register CUSTOM_STATUS on the site while the generator is suspended (a fixture body)."""
    plugin = wordpress.site_dir / "wp-content" / "mu-plugins" / "draftpress-custom-status.php"
    plugin.write_text(CUSTOM_STATUS_PLUGIN)
    try:
        yield
    finally:
        plugin.unlink(missing_ok=True)
