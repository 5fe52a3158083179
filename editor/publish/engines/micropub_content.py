"""What a Micropub post holds: the body with uploaded images, its categories, fingerprints."""

from __future__ import annotations

import json
from collections.abc import Mapping

from editor.publish.answers import JsonObject
from editor.publish.html_fragments import parse_fragment, splice_start_tags
from editor.publish.remote_record import sha256_text


def body_with_uploads(html: str, uploads: Mapping[str, str]) -> str:
    """Return the rendered body with each uploaded image's `src` pointing at its upload.

    Everything else is kept as written (raw islands verbatim); only rewritten start tags change.
    """
    if not uploads:
        return html
    root = parse_fragment(html)
    for element in root.iter():
        url = uploads.get(element.get("src") or "") if element.tag == "img" else None
        if url is None:
            continue
        element.attrs = [(name, url if name == "src" else value) for name, value in element.attrs]
        element.rewritten = True
    return splice_start_tags(html, root)


def categories_for(tags: list[str], categories: list[str]) -> list[str]:
    """Return Micropub's `category` for a post: its tags, then its categories, each once."""
    seen: dict[str, None] = {}
    for word in [*tags, *categories]:
        word = word.strip()
        if word and word.casefold() not in {key.casefold() for key in seen}:
            seen[word] = None
    return list(seen)


def properties_sha256(properties: JsonObject) -> str:
    """Return the fingerprint of what a publish sends (an unchanged post is not sent again)."""
    return sha256_text(json.dumps(properties, sort_keys=True, ensure_ascii=False))


def source_fingerprint(source: JsonObject) -> str:
    """Return the fingerprint of a post's `q=source` (its properties, in a stable order).

    Micropub has no modification date of its own; a site that keeps one gives it as
    `updated`, which is among the properties, so an edit made on the site changes this.
    """
    return sha256_text(json.dumps(source.get("properties"), sort_keys=True, ensure_ascii=False))
