"""Slugs: the URL-safe, lowercase names of posts, made from their titles."""

from __future__ import annotations

import re
import unicodedata

_HYPHENS = re.compile(r"-{2,}")
MAX_SLUG_LENGTH = 80


def _clusters(text: str) -> list[str]:
    """Split text into base characters each followed by their combining marks."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.category(ch).startswith("M"):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _fold(cluster: str) -> str:
    """Drop the accents of a Latin letter ("é" -> "e"); keep marks that spell another script."""
    decomposed = unicodedata.normalize("NFKD", cluster)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if stripped != decomposed and stripped.isascii():
        return stripped
    return unicodedata.normalize("NFKC", cluster)  # e.g. "ﬁ" -> "fi"; Japanese "が" stays


def _slug_part(cluster: str) -> str:
    """Keep a letter or digit with its marks; anything else (marks on symbols too) separates."""
    return cluster if cluster[0].isalnum() else "-"


def slugify(title: str, fallback: str = "untitled") -> str:
    """Turn a title into a slug: accents dropped, other scripts kept, punctuation to hyphens."""
    text = unicodedata.normalize("NFKC", title).replace("&", " and ")
    text = text.replace("'", "").replace("\u2019", "")  # "don't" -> "dont"
    folded = "".join(_fold(cluster) for cluster in _clusters(text)).lower()
    text = "".join(_slug_part(cluster) for cluster in _clusters(folded))
    text = _HYPHENS.sub("-", text).strip("-")
    if len(text) > MAX_SLUG_LENGTH:
        text = text[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or text[:MAX_SLUG_LENGTH]
    return text or fallback


def cut_to_bytes(text: str, max_bytes: int) -> str:
    """Return the start of `text` that fits `max_bytes` in UTF-8, cut between characters.

    A letter keeps its combining marks; the cut falls at the last hyphen when there is one, and
    no hyphen is left dangling.
    """
    if len(text.encode("utf-8", errors="surrogateescape")) <= max_bytes:
        return text
    kept: list[str] = []
    size = 0
    for cluster in _clusters(text):
        size += len(cluster.encode("utf-8", errors="surrogateescape"))
        if size > max_bytes:
            break
        kept.append(cluster)
    cut = "".join(kept)
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).rstrip("-")
