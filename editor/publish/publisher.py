"""One-click publishing: upload new images, map terms, create or update the post, record it."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from editor.core.front_matter import body_of
from editor.core.post import STATUSES, Post, effective_slug
from editor.publish import errors
from editor.publish.answers import JsonObject
from editor.publish.block_converters import MediaRef
from editor.publish.blog_copies import BlogCopy, Segment
from editor.publish.code_languages import with_code_languages
from editor.publish.post_images import ImageUse, mime_type
from editor.publish.post_statuses import normalise_status
from editor.publish.publish_rules import (
    blog_holds_payload,
    custom_status,
    gmt_now,
    post_date,
    upload_file_name,
)
from editor.publish.publish_steps import (
    PENDING_MATCH_WINDOW,
    REFUSED,
    ImageUpload,
    PublishSteps,
    images_to_publish,
    keep_final_record,
    local_images,
    post_for_blog,
    post_meta,
    publish_errors,
    render_post,
)
from editor.publish.publish_steps import PublishCancelled as PublishCancelled  # its old home
from editor.publish.remote_record import (
    MediaRecord,
    RemoteRecord,
    read_remote_record,
    sha256_text,
    term_pool,
    term_record,
    text_sha256,
    with_remote_record,
    wordpress_id,
)
from editor.publish.round_trip import (
    PieceTooSlow,
    content_for_body,
    copy_for_publish,
    image_refs,
    keep_copy_after_publish,
)
from editor.publish.wordpress_blocks import html_to_blocks, html_to_classic
from editor.publish.wordpress_client import WordPressClient

log = logging.getLogger(__name__)

UPLOAD_WORKERS = 4


def _number(record: RemoteRecord) -> int:
    """Return the record's WordPress post number (a record with another kind of id is refused)."""
    number = wordpress_id(record)
    if number is None:
        raise errors.PublishError(
            f"This post's record for “{record.blog}” names “{record.id}”, which is not a "
            "WordPress post number: it was not made by publishing to this WordPress blog."
        )
    return number


@dataclass(frozen=True)
class PublishOptions:
    """Choices for one publish."""

    status: str | None = None  # None: the post's own status
    overwrite_server_edits: bool = False
    output: str = "auto"  # "blocks", "classic" or "auto" (ask the site)


@dataclass(frozen=True)
class PublishResult:
    """How a publish ended."""

    record: RemoteRecord
    link: str
    created: bool
    updated: bool
    uploaded: int
    reused: int
    status: str


Progress = Callable[[str], None]


class Publisher(PublishSteps):
    """Publishes a Post to one WordPress account; safe to run again after any failure."""

    def __init__(
        self,
        client: WordPressClient,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        checkpoint: Callable[[RemoteRecord], None] | None = None,
    ) -> None:
        """`checkpoint` also receives each in-flight state (the publish journal always does)."""
        super().__init__(progress, cancelled, checkpoint)
        self.client = client

    # -- images ----------------------------------------------------------------------------

    def _upload_one(self, path: Path, sha: str, image: ImageUse, look_first: bool) -> MediaRecord:
        """Upload one image with its alt text and caption (or adopt a lost earlier upload)."""
        name = upload_file_name(path, sha)
        if look_first:  # an earlier publish sent it but never heard back
            for item in self.client.find_media(sha[:12]):
                if sha[:12] in str(item.get("source_url", "")):
                    return MediaRecord(int(item["id"]), str(item["source_url"]))
        fields = {"alt_text": image.alt}
        if image.caption:
            fields["caption"] = image.caption
        created = self.client.upload_media(path.read_bytes(), name, mime_type(path), fields)
        return MediaRecord(int(created["id"]), str(created["source_url"]))

    def _upload_images(
        self, images: list[ImageUse], folder: Path, record: RemoteRecord
    ) -> tuple[dict[str, MediaRef], int, int]:
        """Upload every local image not yet on the blog; return refs by src and the counts."""
        found = local_images(images, folder, record)
        refs = {src: MediaRef(media.id, media.url) for src, media in found.recorded.items()}
        todo, reused = found.uploads, found.reused
        if not todo:
            return refs, 0, reused
        self._step(f"Uploading {len(todo)} image(s)…")
        in_doubt = set(record.pending_media)
        # uploads about to go out: a retry looks for them first
        self._uploads_starting(record, [each.sha for each in todo])
        failure: Exception | None = None

        def take(future: Future[MediaRecord], upload: ImageUpload) -> None:
            nonlocal failure
            try:
                media = future.result()
            except errors.PublishError as error:
                failure = failure or error
                return
            record.media[upload.sha] = media
            record.pending_media = [p for p in record.pending_media if p != upload.sha]
            for each in upload.srcs:
                refs[each] = MediaRef(media.id, media.url)
            self._progress(f"Uploaded {upload.path.name}")

        def send(upload: ImageUpload) -> Future[MediaRecord]:
            sha = upload.sha
            return pool.submit(self._upload_one, upload.path, sha, upload.image, sha in in_doubt)

        with ThreadPoolExecutor(max_workers=UPLOAD_WORKERS) as pool:
            # The first upload alone: WordPress creates the month's upload folder on it, and
            # parallel first uploads race to create it ("Unable to create directory").
            take(send(todo[0]), todo[0])
            if failure is None:
                futures = [(send(upload), upload) for upload in todo[1:]]
                for future, upload in futures:
                    take(future, upload)
        self._checkpoint(record)  # what was uploaded stays known even if the rest fails
        if failure is not None:
            raise failure
        return refs, len(todo), reused

    # -- the post --------------------------------------------------------------------------

    def _output_for(self, option: str, server_post: JsonObject | None) -> str:
        """Decide between block markup and classic HTML."""
        if option in ("blocks", "classic"):
            return option
        if server_post is None:  # a new post: write what the blog's latest post is written in
            latest = self.client.search_posts("", per_page=1, orderby="modified")
            server_post = latest[0] if latest else None
        if server_post is not None:
            content = server_post.get("content", {})
            if content.get("raw") and content.get("block_version") == 0:
                return "classic"
        return "blocks"

    def _unverified(self, server: JsonObject, account_name: str) -> errors.UnverifiedRecord:
        """Return the refusal to update a post the file cannot prove it published."""
        titles = server.get("title") or {}
        if not isinstance(titles, dict):  # a hostile or odd answer: a bare string
            titles = {"raw": titles}
        title = html.unescape(str(titles.get("raw") or titles.get("rendered") or "")).strip()
        title = title or "(no title)"
        post_id = int(server.get("id") or 0) or None
        return errors.UnverifiedRecord(
            f"This file says it is “{title}” (post {post_id}) on {account_name}, but "
            "Draftpress cannot tell it published that post from this file.",
            title,
            post_id,
        )

    def _find_lost_create(
        self, record: RemoteRecord, title: str, trust: Callable[[JsonObject], None]
    ) -> JsonObject | None:
        """Find the post an earlier create made when its answer was lost.

        `trust` refuses a candidate that does not hold the content that create sent (a
        `pending_create` copied or forged into a file must not adopt another post).
        """
        pending = record.pending_create
        if not pending:
            return None
        started = dt.datetime.fromisoformat(pending.get("started_gmt", "1970-01-01T00:00:00"))
        # The title as it was sent: the writer may have changed it since.
        sent_title = pending.get("title") or title
        sent_date = pending.get("date", "")
        for candidate in self.client.search_posts(sent_title, post_type=record.post_type):
            # WordPress stores `&` in titles as `&amp;` and may rewrite the slug: match by the
            # unescaped title and the time of the create. A post created with a date of its
            # own (back-dated) has that date as its creation and modification time: match it
            # by that date instead.
            raw_title = html.unescape(str(candidate.get("title", {}).get("raw", "")))
            stored = str(candidate.get("modified_gmt") or candidate.get("date_gmt") or "")
            created = dt.datetime.fromisoformat(stored or "1970-01-01")
            recent = created >= started - PENDING_MATCH_WINDOW
            same_date = bool(sent_date) and str(candidate.get("date", ""))[:19] == sent_date
            if raw_title == sent_title and (recent or same_date):
                trust(candidate)
                return candidate
        return None

    def _check_server_copy(
        self, record: RemoteRecord, force: bool, bound: bool, account_name: str
    ) -> JsonObject | None:
        """Return the server's copy of the post; refuse if it was edited there since.

        The record is trusted only when it is bound to this blog (`bound`: it names the blog)
        and to what this app last sent (the server holds the content it fingerprinted): a
        record copied or forged into a file must not silently update another post.
        """
        if record.id is None:
            return None
        try:
            server = self._server_copy(record)
        except errors.NotFound:
            kind = record.post_type
            self._progress(f"The {kind} is no longer on the blog; publishing it as a new {kind}.")
            record.id = None
            return None
        raw = server.get("content", {}).get("raw", "")
        raw_sha = sha256_text(raw)
        if bound and record.pending_update and raw_sha == record.pending_update:
            return server  # our own update, whose answer was lost
        same_version = server.get("modified_gmt", "") == record.modified_gmt
        # A record naming the blog's current version but not its content was not written by
        # a publish or a pull of that version (each records both).
        unverified = (
            not bound
            or not record.content_sha256
            or (same_version and raw_sha != record.content_sha256)
        )
        if unverified and not force:
            raise self._unverified(server, account_name)
        changed = not same_version or raw_sha != record.content_sha256
        if changed and not force:
            raise errors.EditedOnServer(
                "This post was changed on the blog since you last published it. Publishing now "
                "would overwrite those changes.",
                str(server.get("modified_gmt", "")),
                raw if "raw" in (server.get("content") or {}) else None,  # for a merge
            )
        return server

    def server_edits(self, record: RemoteRecord, *, bound: bool) -> errors.EditedOnServer | None:
        """Return the blog's changes since the last publish (what a publish refuses), or None.

        `bound`: the post's record names this blog; an unbound or unverifiable record raises
        UnverifiedRecord, as a publish would.
        """
        checked = replace(record)
        try:
            self._check_server_copy(checked, False, bound, record.blog)
        except errors.EditedOnServer as edited:
            return edited
        if checked.id is None:  # the check found the post gone from the blog
            raise errors.NotFound(
                "The post is no longer on the blog, so there is nothing to merge. Publish to "
                "put it back as a new post."
            )
        return None

    def _server_copy(self, record: RemoteRecord) -> JsonObject:
        """Read the recorded post or page (a page pulled before pages were recorded is found)."""
        post_id = _number(record)
        try:
            return self.client.get_post(post_id, record.post_type)
        except errors.NotFound:
            if record.type:
                raise
            page = self.client.get_post(post_id, "page")  # NotFound again: gone for good
            record.type = "page"
            return page

    def _term_ids(self, record: RemoteRecord, taxonomy: str, names: list[str]) -> list[int]:
        """Return the ids of the post's terms: recorded ones by id, missing ones looked up.

        Each name takes the next recorded id of that name, so two same-named categories keep
        their own ids; names never recorded are found (or created) on the blog.
        """
        pool = term_pool(record.terms.get(taxonomy, {}))
        chosen: list[tuple[str, int | None]] = []
        for name in names:
            ids = pool.get(name)
            chosen.append((name, ids.pop(0) if ids else None))
        missing = [name for name, term_id in chosen if term_id is None]
        found = self.client.term_ids(taxonomy, missing) if missing else {}
        pairs = [(n, i if i is not None else found[n]) for n, i in chosen if i or n in found]
        record.terms[taxonomy] = term_record(pairs)
        return [term_id for _name, term_id in pairs]

    def _dropped_on_blog(
        self, answer: JsonObject, payload: JsonObject, record: RemoteRecord
    ) -> list[str]:
        """Forget recorded terms and images the blog silently dropped (deleted there)."""
        dropped = []
        for taxonomy in ("tags", "categories"):
            if taxonomy in payload and sorted(answer.get(taxonomy) or []) != sorted(
                payload[taxonomy]
            ):
                record.terms.pop(taxonomy, None)
                dropped.append(f"some {taxonomy}")
        if payload["featured_media"] and answer.get("featured_media") != payload["featured_media"]:
            gone = payload["featured_media"]
            record.media = {sha: m for sha, m in record.media.items() if m.id != gone}
            dropped.append("the featured image")
        if dropped:
            record.payload_sha256 = ""
        return dropped

    def publish(self, post: Post, account_name: str, options: PublishOptions) -> PublishResult:
        """Publish `post`; returns the new remote record (the caller writes it into the file)."""
        with publish_errors():  # a fault of the network or the blog says what happens next
            return self._publish(post, account_name, options)

    def _publish(
        self, post: Post, account_name: str, options: PublishOptions, *, _repairing: bool = False
    ) -> PublishResult:
        """Publish `post` (see publish); `_repairing` marks the second pass after a repair."""
        meta = post_meta(post)
        status = normalise_status(options.status or meta.status or "draft")  # Ghost's words too
        self._path = post.path
        # Each blog keeps its own record in the post: publishing to another blog adds one.
        post, bound = post_for_blog(
            post, post.path, account_name, self._progress, from_journal=not _repairing
        )
        record = read_remote_record(post.text, account_name)
        if status not in STATUSES and status != record.custom_status:
            # A status of the blog's own (a plugin's "in review") is kept when the blog gave it.
            raise errors.PublishError(f"“{status}” is not a post status WordPress knows.")
        folder = post.path.parent if post.path else Path.cwd()

        self._step("Rendering the post…")
        html = render_post(post.text)
        images = images_to_publish(html, post.path, meta.featured_image, meta.title)
        self._step("Checking the blog…")
        server = self._check_server_copy(
            record, options.overwrite_server_edits, bound, account_name
        )
        is_page = record.post_type == "page"
        refs, uploaded, reused = self._upload_images(images, folder, record)

        body = body_of(post.text)
        copy = copy_for_publish(account_name, record.id, record.content_sha256, server)
        if copy is not None:  # untouched pieces go back as the blog's own markup
            try:
                content, new_copy = content_for_body(body, copy, refs)
            except PieceTooSlow as error:
                raise errors.PublishError(f"{error} Simplify it, then publish again.") from None
            refs = {**image_refs(copy.images), **refs}
        else:
            output = self._output_for(options.output, server)
            if output == "blocks":  # the fence's language as the code block's className
                content = html_to_blocks(with_code_languages(html, body), refs)
            else:
                content = html_to_classic(html, refs)
            new_copy = BlogCopy(content, [Segment(body.strip(), content.strip("\n"))])
        self._step("Matching tags and categories…")
        term_ids = {}
        taxonomies = [] if is_page else [("tags", meta.tags), ("categories", meta.categories)]
        for taxonomy, names in taxonomies:  # a page has no tags or categories
            term_ids[taxonomy] = self._term_ids(record, taxonomy, names)

        slug = effective_slug(meta)
        payload: JsonObject = {
            "title": meta.title,
            "content": content,
            "status": status,
            "slug": slug,
            "excerpt": meta.excerpt,
            **term_ids,
        }
        if status == record.custom_status:  # the blog's own status: leave it as the blog has it
            del payload["status"]
        if meta.sticky is not None and not is_page:  # untouched unless the front matter says
            payload["sticky"] = meta.sticky
        date = post_date(meta.date, status)
        if date:
            payload["date"] = date
        featured = refs.get(meta.featured_image) if meta.featured_image else None
        payload["featured_media"] = featured.id if featured else 0
        payload_sha = sha256_text(json.dumps(payload, sort_keys=True))

        if record.id is None:

            def trust(candidate: JsonObject) -> None:
                """Adopt only the post holding what the lost create sent (or when told to).

                WordPress may have filtered an author's HTML: the words then tell, unless
                the post is public (anyone can read its words, so they prove nothing).
                """
                raw = str((candidate.get("content") or {}).get("raw", ""))
                sent = record.pending_create
                exact = sent.get("content_sha256") == sha256_text(raw)
                words = sent.get("text_sha256") == text_sha256(raw)
                hidden = candidate.get("status") != "publish"
                if options.overwrite_server_edits or (bound and (exact or (words and hidden))):
                    return
                raise self._unverified(candidate, account_name)

            lost = self._find_lost_create(record, meta.title, trust)
            if lost is not None:
                self._progress("Found the post an interrupted publish created; updating it.")
                record.id = int(lost["id"])
                server = lost
        created = updated = False
        kept_sha = record.content_sha256
        unchanged = not options.overwrite_server_edits and (
            payload_sha == record.payload_sha256 or blog_holds_payload(payload, server)
        )
        if record.id is not None and unchanged and server is not None:
            answer = server
        elif record.id is not None:
            record.pending_update = sha256_text(content)
            self._checkpoint(record)  # a lost answer must not look like an edit on the blog
            self._step("Updating the post…")
            answer = self.client.update_post(_number(record), payload, record.post_type)
            updated = True
        else:
            record.pending_create = {
                "title": meta.title,
                "slug": slug,
                "started_gmt": gmt_now(),
                "date": str(payload.get("date", "")),
                "content_sha256": sha256_text(content),
                "text_sha256": text_sha256(content),
            }
            self._checkpoint(record)
            self._step("Creating the post…")
            try:
                answer = self.client.create_post(payload, record.post_type)
            except REFUSED as error:  # the blog answered "no": nothing was created
                record.pending_create = {}
                self._checkpoint(record)
                raise error from None
            created = True
        record = replace(
            record,
            id=int(answer["id"]),
            url=str(answer.get("link", "")),
            modified_gmt=str(answer.get("modified_gmt", "")),
            content_sha256=kept_sha if (created or updated) else record.content_sha256,
            pending_update="",
            payload_sha256=payload_sha,
            pending_create={},
            custom_status=custom_status(answer),
        )
        if created or updated:
            # WordPress may filter what it stores (an author's HTML, entities): remember what it
            # kept, so the next publish does not mistake its own filtering for an edit.
            kept_sha = sha256_text(str((answer.get("content") or {}).get("raw", content)))
            record = replace(record, content_sha256=kept_sha)
        keep_copy_after_publish(account_name, record.id, answer, content, new_copy)
        dropped = self._dropped_on_blog(answer, payload, record) if created or updated else []
        if dropped and not _repairing:
            self._progress(f"The blog no longer has {', '.join(dropped)}; sending them again.")
            repaired = post.with_text(with_remote_record(post.text, record))
            return self._publish(repaired, account_name, options, _repairing=True)
        keep_final_record(post.path, record)  # the final state: the next publish starts from it
        self._progress("Published." if created or updated else "Already up to date.")
        return PublishResult(
            record, record.url, created, updated, uploaded, reused, str(answer.get("status", ""))
        )
