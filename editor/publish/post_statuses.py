"""One vocabulary of post statuses for the front matter, mapped to each engine at its edge.

The front matter keeps WordPress's words, which existing posts already use: draft, publish,
future (scheduled), pending (waiting for review), private. Each engine turns them into its own
words when it sends a post (Ghost: published/scheduled; Micropub: published; XML-RPC: the
publish flag or post_status) and its own words back into these when it reads one
(`normalise_status`), so a post moved between blogs keeps a status every engine understands.
The writer sees them in plain words (`STATUS_WORDS`), in the window and on the command line.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.core.post import STATUSES
from editor.publish import errors

STATUS_WORDS = {
    "draft": "Draft",
    "publish": "Published",
    "future": "Scheduled",
    "pending": "Pending review",
    "private": "Private",
}
# Other engines' words for the same statuses (Ghost's and Micropub's), read back or typed.
ENGINE_WORDS = {"published": "publish", "scheduled": "future"}


def normalise_status(status: str) -> str:
    """Return the front matter's word for a status an engine (or an older file) names."""
    word = status.strip()
    return ENGINE_WORDS.get(word.lower(), word.lower() if word.lower() in STATUSES else word)


def status_word(status: str) -> str:
    """Return the writer's word for a status (a blog's own status as it is)."""
    return STATUS_WORDS.get(normalise_status(status), status)


def listed_words(statuses: Iterable[str]) -> str:
    """Return "Draft, Published or Scheduled" for the statuses given."""
    words = [status_word(s) for s in statuses]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def status_for_engine(status: str, statuses: Iterable[str], blog: str) -> str:
    """Return the front matter's word for `status` if the engine takes it; else refuse in the
    writer's words, naming the statuses this kind of blog has (`blog`: e.g. "A Ghost blog")."""
    word = normalise_status(status or "draft")
    offered = tuple(statuses)
    if word not in offered:
        raise errors.PublishError(
            f"{blog} can keep a post as {listed_words(offered)}, not “{status_word(status)}”. "
            "Choose one of those in the post's Status."
        )
    return word
