"""Word count and reading time of a post's prose."""

from __future__ import annotations

import math
import re

from editor.core.front_matter import body_of

_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CAPTION_FENCE = re.compile(r"^///.*$", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[\w’']+", re.UNICODE)


def count_words(text: str) -> int:
    """Count the words a reader reads: front matter, code blocks and link targets left out."""
    body = _FENCED_CODE.sub(" ", body_of(text))
    body = _CAPTION_FENCE.sub(" ", body)
    body = _LINK_TARGET.sub("]", body)
    # finditer, not findall: one short call per word lets other threads (the window's) run.
    return sum(1 for word in _WORD.finditer(body) if any(ch.isalnum() for ch in word[0]))


def reading_minutes(words: int, words_per_minute: int = 230) -> int:
    """Return whole minutes to read `words` words (at least 1 for any text)."""
    if words <= 0:
        return 0
    return max(1, math.ceil(words / max(1, words_per_minute)))
