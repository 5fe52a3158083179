"""Merging a blog's edits into a post for engines other than WordPress (no Qt).

The window's conflict dialog and `draftpress publish --merge` share this. The blog's post is
read with `engine.read_post` and pulled to Markdown (engine_pull.markdown_of); the base is the
Markdown kept at the last pull or publish of that version (engine_bases.py); the merge is the
same three-way merge of Markdown blocks WordPress's uses (block_merge.merge_tokens). Without a
base the attempt says what the writer can do instead.

Images: the post names its images by their files beside it, the blog by the addresses they were
uploaded to; an address the post's record knows (`record.media`) is written back as the file
it came from, so a merge never turns the writer's image files into the blog's addresses.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from editor.core.front_matter import body_of
from editor.publish.block_merge import CONFLICT, MergeOutcome, Token, merge_tokens, resolve
from editor.publish.blog_copies import BlogCopy, Segment
from editor.publish.engine_bases import load_base
from editor.publish.engine_pull import markdown_of, remote_mark
from editor.publish.engines.base import BlogEngine, RemotePost
from editor.publish.post_images import is_local, local_path
from editor.publish.remote_record import RemoteRecord, read_remote_record, short_sha256
from editor.publish.server_merge import NO_SERVER_TEXT, MergeAttempt
from editor.render.block_split import split_blocks

log = logging.getLogger(__name__)

NO_BASE = (
    "Draftpress cannot merge: it keeps no copy of this post as it was on the blog when you "
    "last published or opened it here (it was published from another computer, or by an "
    "older Draftpress). Open the blog's version as a new file to compare and copy what you "
    "need, or overwrite the blog's changes."
)
NOT_ON_BLOG = "Draftpress cannot merge: this post is not on that blog yet."
_IMAGE_SRC = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?")


def markdown_blocks(markdown: str) -> list[str]:
    """Split Markdown into its top-level blocks (stripped, empty ones left out)."""
    text = markdown.replace("\r\n", "\n")
    starts = split_blocks(text)
    ends = [*starts[1:], len(text)]
    return [text[a:b].strip() for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


def _tokens(markdown: str) -> list[Token]:
    """Return Markdown as merge pieces: one per block, compared by its exact text."""
    return [Token(block, block) for block in markdown_blocks(markdown)]


def merge_markdown(body: str, base: str, server_body: str) -> MergeOutcome:
    """Merge the blog's Markdown into the post's, block by block, with `base` as the base."""
    regions = merge_tokens(_tokens(base), _tokens(body), _tokens(server_body))
    conflicts = [region for region in regions if region.kind == CONFLICT]
    copy = BlogCopy(server_body, [Segment(b, b) for b in markdown_blocks(server_body)])
    outcome = MergeOutcome(regions, copy, conflicts=conflicts)
    if not conflicts:
        outcome.body = resolve(outcome, [])
    return outcome


def with_local_images(server_body: str, text: str, record: RemoteRecord, folder: Path) -> str:
    """Return the blog's Markdown with each uploaded image's address as the post's own file."""
    addresses: dict[str, str] = {}
    for src in dict.fromkeys(_IMAGE_SRC.findall(body_of(text))):
        if not is_local(src):
            continue
        try:
            sha = short_sha256(local_path(src, folder).read_bytes())
        except OSError:
            continue
        media = record.media.get(sha)
        if media is not None and media.url:
            addresses.setdefault(media.url, src)
    for url, src in addresses.items():
        server_body = server_body.replace(f"]({url})", f"]({src})")
    return server_body


def prepare_engine_merge(
    text: str,
    blog: str,
    remote: RemotePost,
    kind: str,
    folder: Path | None = None,
    root: Path | None = None,
) -> MergeAttempt:
    """Merge the blog's current post (read back) into the post's text (pure but for files)."""
    record = read_remote_record(text, blog)
    mark = remote_mark(remote)
    server_body = markdown_of(kind, remote.html)
    if folder is not None:
        server_body = with_local_images(server_body, text, record, folder)
    attempt = MergeAttempt(None, "", remote.html, remote.modified, mark, server_body)
    if record.id is None:
        attempt.reason = NOT_ON_BLOG
        return attempt
    base = load_base(blog, record.id, record.content_sha256, root)
    if base is None:
        attempt.reason = NO_BASE
        return attempt
    if folder is not None:
        base = with_local_images(base, text, record, folder)
    attempt.outcome = merge_markdown(body_of(text).lstrip("\n"), base, server_body)
    log.info("merge with %s: %d conflict(s)", kind, len(attempt.outcome.conflicts))
    return attempt


def read_and_merge(
    engine: BlogEngine, text: str, blog: str, folder: Path | None, root: Path | None = None
) -> MergeAttempt:
    """Read the post from the blog with the engine, then merge it (network: a worker thread)."""
    record = read_remote_record(text, blog)
    if record.id is None:
        return MergeAttempt(None, NOT_ON_BLOG)
    remote = engine.read_post(str(record.id))
    if remote.html is None:
        return MergeAttempt(None, NO_SERVER_TEXT)
    return prepare_engine_merge(text, blog, remote, engine.kind, folder, root)
