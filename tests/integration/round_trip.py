"""The round trip of issue 11, post by post, against a real WordPress (plain Python, no Qt).

For one corpus post (tests/data/round_trip): create it on the blog with its raw content, pull it
as Draftpress does, publish it untouched, publish it forced, pull it again, edit one word and
publish. `run_round_trip` records what each step did in a `RoundTrip`, catching every error, so
that the test suite and scripts/round_trip_report.py measure the same thing.
"""

from __future__ import annotations

import difflib
import re
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from editor.core.post import load_post, save_post
from editor.publish.publisher import Publisher, PublishOptions, PublishResult
from editor.publish.pull import pull_into_library
from editor.publish.remote_record import with_remote_record
from editor.publish.wordpress_client import WordPressClient
from tests.integration.wordpress_server import WordPressServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "round_trip"
CORPUS_FOLDERS = ("blocks", "written", "multi", "classic")
BLOG = "round-trip-blog"
NEW_WORD = "xylophonic"  # the word the one-word edit puts in; in no corpus post
WRITES = ("POST", "PUT", "PATCH", "DELETE")

# A block comment as WordPress's parser reads it: opener, closer or void (self-closing).
_BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?:\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
# Headings, HTML, quotes, images, tables, code, shortcodes (a "[" that starts no link), captions,
# lists: the rest is a prose paragraph.
_MARKDOWN_NOT_PROSE = re.compile(r"^(?:[<#>!|`/:~-]|\[(?![^\]\n]*\]\()|\*\s|\d+[.)]\s|\s|\+\s|=)")
_HIDDEN_SPANS = re.compile(r"\[[^\]]*\]\([^)]*\)|<[^>]+>|`[^`]*`|\{:[^}]*\}|https?://\S+")
_WORD = re.compile(r"(?<![\w/.&#-])([A-Za-z]{4,})(?![\w/-])")


@dataclass(frozen=True)
class CorpusPost:
    """One post of the corpus: `name` is `folder/stem`, e.g. `blocks/core__gallery`."""

    name: str
    path: Path

    @property
    def classic(self) -> bool:
        """Whether the post is classic-editor content (no block comments)."""
        return self.name.startswith("classic/")

    def raw(self) -> str:
        """The post's content exactly as the file holds it."""
        return self.path.read_text(encoding="utf-8")


def load_corpus(root: Path = CORPUS) -> list[CorpusPost]:
    """Every post of the corpus, folder by folder, in name order."""
    posts = []
    for folder in CORPUS_FOLDERS:
        for path in sorted((root / folder).glob("*.html")):
            posts.append(CorpusPost(f"{folder}/{path.stem}", path))
    return posts


def split_blocks(raw: str, classic: bool | None = None) -> list[str]:
    """Split content into its top-level pieces: blocks (from opener to closer) and the
    freeform HTML between them for block content; blank-line chunks for classic content."""
    if classic is None:
        classic = _BLOCK_COMMENT.search(raw) is None
    if classic:
        return [chunk.strip() for chunk in re.split(r"\n\s*\n", raw) if chunk.strip()]
    pieces: list[str] = []
    depth = 0
    start = 0  # where the current top-level piece (block or freeform run) began
    for match in _BLOCK_COMMENT.finditer(raw):
        if depth == 0:
            freeform = raw[start : match.start()].strip()
            if freeform:
                pieces.append(freeform)
            start = match.start()
        if match.group("void"):
            if depth == 0:
                pieces.append(raw[start : match.end()])
                start = match.end()
        elif match.group("closer"):
            depth = max(depth - 1, 0)
            if depth == 0:
                pieces.append(raw[start : match.end()])
                start = match.end()
        else:
            depth += 1
    rest = raw[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def changed_blocks(before: str, after: str, classic: bool | None = None) -> list[str]:
    """The top-level pieces of `after` that differ from `before` (a piece removed from
    `before` without a replacement counts too, as the removed text)."""
    old, new = split_blocks(before, classic), split_blocks(after, classic)
    changed: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replaced, added = old[i1:i2], new[j1:j2]
        changed += added + [f"(removed) {piece}" for piece in replaced[len(added) :]]
    return changed


def pick_prose_word(markdown: str) -> tuple[str, str] | None:
    """Choose a word inside a prose paragraph of the Markdown: (paragraph, word), or None.

    The word has at least four letters, is outside links, code and HTML, and occurs once in
    the whole Markdown, so that replacing it edits exactly that paragraph."""
    for chunk in re.split(r"\n\s*\n", markdown):
        paragraph = chunk.strip()
        if not paragraph or _MARKDOWN_NOT_PROSE.match(paragraph):
            continue
        visible = _HIDDEN_SPANS.sub(" ", paragraph)
        for word in _WORD.findall(visible):
            if len(re.findall(rf"\b{word}\b", markdown)) == 1:
                return paragraph, word
    return None


class WriteCounter(httpx.BaseTransport):
    """Passes requests to the real server and remembers the ones that write."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.writes: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in WRITES:
            self.writes.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class RoundTrip:
    """What happened to one corpus post; an empty string means "not reached" or "none"."""

    name: str
    classic: bool
    post_id: int = 0
    original: str = ""  # content.raw right after creating the post
    first_markdown: str = ""
    untouched_sent: list[str] = field(default_factory=list)  # what the untouched publish changed
    forced_raw: str | None = None
    second_markdown: str | None = None
    edit_word: str = ""
    no_prose: bool = False
    edited_raw: str | None = None
    edit_changed: list[str] = field(default_factory=list)  # top-level pieces that differ
    errors: dict[str, str] = field(default_factory=dict)  # step -> error
    seconds: float = 0.0

    @property
    def untouched_ok(self) -> bool:
        """The untouched publish ran and sent nothing."""
        return "untouched" not in self.errors and not self.untouched_sent

    @property
    def forced_identical(self) -> bool:
        """The forced publish left content.raw byte-identical to the original."""
        return self.forced_raw is not None and self.forced_raw == self.original

    @property
    def fixed_point(self) -> bool:
        """The second pull gave the same Markdown body as the first."""
        return self.second_markdown is not None and self.second_markdown == self.first_markdown

    @property
    def edit_ok(self) -> bool:
        """The one-word edit changed exactly one top-level piece, and that piece has the word."""
        return (
            self.edited_raw is not None
            and len(self.edit_changed) == 1
            and NEW_WORD in self.edit_changed[0]
        )


def edit_one_word(path: Path) -> str | None:
    """Replace one word of a prose paragraph of a post file with NEW_WORD and save it; return
    the replaced word, or None when the post has no prose paragraph."""
    post = load_post(path)
    picked = pick_prose_word(post.body)
    if picked is None:
        return None
    paragraph, word = picked
    edited = re.sub(rf"\b{word}\b", NEW_WORD, paragraph, count=1)
    save_post(post.with_text(post.text.replace(paragraph, edited, 1)))
    return word


def publish_file(
    server: WordPressServer,
    path: Path,
    transport: httpx.BaseTransport | None = None,
    *,
    force: bool = False,
) -> PublishResult:
    """Publish a library file as the CLI does (as admin, output "auto"), writing the record
    back into the file; `force` is the CLI's --overwrite."""
    post = load_post(path)
    saved = {"post": post}

    def checkpoint(record) -> None:
        saved["post"] = save_post(
            saved["post"].with_text(with_remote_record(saved["post"].text, record))
        )

    with WordPressClient(
        server.url, server.admin_user, server.admin_app_password, transport=transport
    ) as client:
        result = Publisher(client, checkpoint=checkpoint).publish(
            post, BLOG, PublishOptions(overwrite_server_edits=force, output="auto")
        )
    checkpoint(result.record)
    return result


def pull(server: WordPressServer, post_id: int, library: Path) -> Path:
    """Pull the post into a library folder as Open from Blog does."""
    with WordPressClient(server.url, server.admin_user, server.admin_app_password) as client:
        server_post = client.get_post(post_id)
        return pull_into_library(client, server_post, library, BLOG)


def _step(trip: RoundTrip, name: str, action: Callable[[], None]) -> bool:
    """Run one step; record its error (the last lines of the traceback) and say if it ran."""
    try:
        action()
    except Exception as error:  # noqa: BLE001 - every failure is a measurement here
        lines = traceback.format_exception_only(type(error), error)
        trip.errors[name] = "".join(lines).strip()[-800:]
        return False
    return True


def create_post(server: WordPressServer, title: str, raw: str) -> dict:
    """Create a published post with this raw content as the administrator; return it
    with context=edit."""
    response = server.request(
        "POST", "wp/v2/posts", json={"title": title, "content": raw, "status": "publish"}
    )
    if response.status_code != 201:
        raise RuntimeError(f"create failed: {response.status_code} {response.text[:300]}")
    return server.get_post_raw(int(response.json()["id"]))


def run_round_trip(server: WordPressServer, post: CorpusPost, workdir: Path) -> RoundTrip:
    """Steps a-f of the issue for one post; every outcome and error is in the result."""
    began = time.monotonic()
    trip = RoundTrip(post.name, post.classic)
    library = workdir / "library"
    paths: dict[str, Path] = {}

    def create() -> None:
        title = f"Round trip {post.name} {uuid.uuid4().hex[:8]}"
        created = create_post(server, title, post.raw())
        trip.post_id = int(created["id"])
        trip.original = created["content"]["raw"]

    def first_pull() -> None:
        paths["file"] = pull(server, trip.post_id, library)
        trip.first_markdown = load_post(paths["file"]).body

    def untouched() -> None:
        before = server.get_post_raw(trip.post_id)
        counter = WriteCounter()
        try:
            result = publish_file(server, paths["file"], counter, force=False)
        finally:
            after = server.get_post_raw(trip.post_id)
            counter.close()
            trip.untouched_sent = list(counter.writes)
            if after["content"]["raw"] != before["content"]["raw"]:
                trip.untouched_sent.append("content.raw changed")
            if after["modified_gmt"] != before["modified_gmt"]:
                trip.untouched_sent.append("modified_gmt changed")
        if result.created or result.updated:
            trip.untouched_sent.append("the publisher reports an update")

    def forced() -> None:
        counter = WriteCounter()
        try:
            publish_file(server, paths["file"], counter, force=True)
        finally:
            counter.close()
        trip.forced_raw = server.get_post_raw(trip.post_id)["content"]["raw"]

    def second_pull() -> None:
        again = pull(server, trip.post_id, workdir / "second-library")
        trip.second_markdown = load_post(again).body

    def edit() -> None:
        path = paths["file"]
        word = edit_one_word(path)
        if word is None:
            trip.no_prose = True
            return
        trip.edit_word = word
        counter = WriteCounter()
        try:
            publish_file(server, path, counter, force=False)
        finally:
            counter.close()
        trip.edited_raw = server.get_post_raw(trip.post_id)["content"]["raw"]
        trip.edit_changed = changed_blocks(trip.original, trip.edited_raw, post.classic)

    if _step(trip, "create", create) and _step(trip, "pull", first_pull):
        _step(trip, "untouched", untouched)
        _step(trip, "forced", forced)
        _step(trip, "second pull", second_pull)
        _step(trip, "edit", edit)
    trip.seconds = time.monotonic() - began
    return trip


def describe(trip: RoundTrip, step: str) -> str:
    """One line on why a post failed a step, for assertion messages and the report."""
    error = trip.errors.get(step, "")
    if error:
        return f"{step} raised: {error}"
    if step == "untouched":
        return f"the untouched publish sent: {', '.join(trip.untouched_sent)}"
    if step == "forced":
        return "content.raw after the forced publish differs from the original:\n" + _diff(
            trip.original, trip.forced_raw or ""
        )
    if step == "second pull":
        return "the second pull gave other Markdown:\n" + _diff(
            trip.first_markdown, trip.second_markdown or ""
        )
    if step == "edit":
        return (
            f"replacing {trip.edit_word!r} with {NEW_WORD!r} changed {len(trip.edit_changed)} "
            "top-level pieces:\n" + "\n---\n".join(piece[:300] for piece in trip.edit_changed[:6])
        )
    return step


def _diff(before: str, after: str, limit: int = 40) -> str:
    """A short unified diff of two texts."""
    lines = list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=1
        )
    )
    more = f"\n… {len(lines) - limit} more lines" if len(lines) > limit else ""
    return "\n".join(line[:200] for line in lines[:limit]) + more
