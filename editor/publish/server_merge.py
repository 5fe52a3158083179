"""Merging the blog's edits into a post file: the rules the window and the CLI share (no Qt).

`prepare_merge` finds the base (the blog's copy kept at the last pull or publish) and merges;
`merged_text` is the post's new text: the merged Markdown under the same front matter, with the
`remote:` record brought up to the blog's current version (so the next publish is not refused
as a conflict); `keep_server_copy` makes the blog's current content the base of the next merge
and the markup the next publish re-sends for every piece the merge took from the blog. Nothing
here sends anything to the blog.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from editor.core.front_matter import split_front_matter
from editor.core.text_diff import unified_diff_lines
from editor.publish.block_merge import OURS, THEIRS, MergeOutcome, merge_post, resolve
from editor.publish.blog_copies import BlogCopy, load_copy, save_copy
from editor.publish.remote_record import read_remote_record, sha256_text, with_remote_record

NO_COPY = (
    "Draftpress cannot merge: it keeps no copy of what this post looked like on the blog when "
    "you last published or opened it (it was opened by an older Draftpress, or on another "
    "computer). Open the blog's version as a new file to compare, or overwrite the blog's "
    "changes."
)
STALE_COPY = (
    "Draftpress cannot merge: the copy it keeps of this post on the blog belongs to a later "
    "version than this file (a merge that was not saved?). Open the blog's version as a new "
    "file to compare, or overwrite the blog's changes."
)
NO_SERVER_TEXT = "Draftpress cannot merge: the blog did not send the post's text to edit."


@dataclass
class MergeAttempt:
    """A merge of a post with the blog's current version, or why none is possible."""

    outcome: MergeOutcome | None
    reason: str = ""  # why no merge is offered (outcome is None)
    server_content: str = ""
    server_modified_gmt: str = ""
    # Engines other than WordPress (engine_merge.py): the mark their conflict check compares
    # (RemoteRecord.content_sha256) and the blog's version as Markdown, the next merge's base.
    server_mark: str = ""
    server_body: str | None = None


def _body_split(text: str) -> tuple[str, str]:
    """Return (front matter with the blank lines after it, Markdown body) of a post's text."""
    start = split_front_matter(text).body_start
    head, body = text[:start], text[start:]
    lead = len(body) - len(body.lstrip("\n"))
    return head + body[:lead], body[lead:]


def merge_base(text: str, blog: str, root: Path | None = None) -> tuple[BlogCopy | None, str]:
    """Return the kept copy the post's last publish or pull left, or None and why."""
    record = read_remote_record(text, blog)
    if record.id is None:
        return None, NO_COPY
    copy = load_copy(blog, record.id, root)
    if copy is None or (not copy.segments and copy.content.strip()):
        return None, NO_COPY
    if record.content_sha256 and sha256_text(copy.content) != record.content_sha256:
        return None, STALE_COPY
    return copy, ""


def prepare_merge(
    text: str,
    blog: str,
    server_content: str | None,
    server_modified_gmt: str,
    root: Path | None = None,
) -> MergeAttempt:
    """Merge the blog's current content into the post's text (pure but for reading the copy)."""
    if server_content is None:
        return MergeAttempt(None, NO_SERVER_TEXT)
    copy, reason = merge_base(text, blog, root)
    if copy is None:
        return MergeAttempt(None, reason, server_content, server_modified_gmt)
    _head, body = _body_split(text)
    outcome = merge_post(body, copy, server_content)
    return MergeAttempt(outcome, "", server_content, server_modified_gmt)


def merged_text(text: str, body: str, blog: str, attempt: MergeAttempt) -> str:
    """Return the post's text with the merged body and the blog's current version recorded."""
    head, _body = _body_split(text)
    record = read_remote_record(text, blog)
    record = replace(
        record,
        modified_gmt=attempt.server_modified_gmt,
        content_sha256=attempt.server_mark or sha256_text(attempt.server_content),
        payload_sha256="",  # what the blog holds is not what we last sent
    )
    return with_remote_record(head + body, record)


def keep_server_copy(text: str, blog: str, attempt: MergeAttempt, root: Path | None = None) -> None:
    """Keep the blog's current content as the post's copy (the base of the next merge)."""
    record = read_remote_record(text, blog)
    if attempt.server_body is not None:  # another engine: its Markdown is the base
        from editor.publish.engine_bases import save_base

        save_base(blog, record.id, attempt.server_mark, attempt.server_body, root)
    elif attempt.outcome is not None and record.id is not None:
        save_copy(blog, record.id, attempt.outcome.server_copy, root)


def _counted(count: int, one: str, many: str) -> str:
    """Return "1 change" / "3 changes" (a count with its noun in the right number)."""
    return f"{count} {one if count == 1 else many}"


def summary(outcome: MergeOutcome) -> str:
    """Say in a sentence what the merge took from each side."""
    blog, mine = outcome.count(THEIRS), outcome.count(OURS)
    both = outcome.count("both")
    parts = [
        _counted(blog, "change", "changes") + " from the blog",
        _counted(mine, "change", "changes") + " of yours",
    ]
    if both:
        parts.append(_counted(both, "change", "changes") + " made the same on both sides")
    text = "Merged " + ", ".join(parts) + "."
    if outcome.conflicts:
        places = len(outcome.conflicts)
        verb = "was" if places == 1 else "were"
        text += f" {_counted(places, 'place', 'places')} {verb} changed on both sides differently."
    return text


def conflict_report(outcome: MergeOutcome) -> list[str]:
    """Return the conflicts as lines of text: each with the writer's and the blog's version."""
    lines: list[str] = []
    for number, region in enumerate(outcome.conflicts, 1):
        lines.append(f"Conflict {number}:")
        diff = unified_diff_lines(
            "\n\n".join(region.ours), "\n\n".join(region.theirs), "yours", "the blog's"
        )
        lines += [f"  {line}" for line in diff]
    return lines


__all__ = [
    "OURS",
    "THEIRS",
    "MergeAttempt",
    "conflict_report",
    "keep_server_copy",
    "merge_base",
    "merged_text",
    "prepare_merge",
    "resolve",
    "summary",
]
