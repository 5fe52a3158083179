"""Slugs: the URL-safe, lowercase names of posts, made from their titles."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_UNDERSCORES = re.compile(r"_+")
MAX_SLUG_LENGTH = 80


def slugify(title: str, fallback: str = "untitled") -> str:
    """Turn a title into a slug: accents dropped, other scripts kept, punctuation to hyphens."""
    decomposed = unicodedata.normalize("NFKD", title)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", without_marks).lower().replace("&", " and ")
    text = text.replace("'", "").replace("\u2019", "")  # "don't" -> "dont"
    text = _UNDERSCORES.sub("-", _NOT_WORD.sub("-", text)).strip("-")
    if len(text) > MAX_SLUG_LENGTH:
        text = text[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or text[:MAX_SLUG_LENGTH]
    return text or fallback
