"""The Micropub engine (IndieWeb sites, Micro.blog): a post is an h-entry, its id is its URL.

Micropub has no modification date: a server-side edit is noticed by comparing the post's
`q=source` with the fingerprint of the source read back after the last publish
(`record.content_sha256`). The writer's tags and categories both go to Micropub's `category`
(a flat list of words, like tags); read back, they come as tags.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.front_matter import body_of
from editor.core.post import Post, effective_slug
from editor.publish import errors
from editor.publish import publish_steps as steps
from editor.publish.account_client import account_trust
from editor.publish.answers import JsonObject
from editor.publish.blog_http import BlogConnection
from editor.publish.code_languages import with_code_languages
from editor.publish.engines.base import (
    MICROPUB,
    Cancelled,
    Capabilities,
    LoginReport,
    PostPage,
    PostSummary,
    Progress,
    RemotePost,
)
from editor.publish.engines.micropub_client import (
    MicropubClient,
    first_text,
    texts,
)
from editor.publish.engines.micropub_content import (
    body_with_uploads,
    categories_for,
    properties_sha256,
    source_fingerprint,
)
from editor.publish.post_images import images_in, mime_type
from editor.publish.post_statuses import status_for_engine
from editor.publish.publish_rules import gmt_now, upload_file_name
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import (
    MediaRecord,
    RemoteRecord,
    read_remote_record,
    sha256_text,
)

if TYPE_CHECKING:

    from editor.publish.accounts import Account

log = logging.getLogger(__name__)

PAGE_SIZE = 20
LOST_CREATE_LOOKBACK = 50  # posts to look through for a create whose answer was lost
# The writer's statuses and Micropub's post-status values.
TO_MICROPUB = {"draft": "draft", "publish": "published"}
FROM_MICROPUB = {value: key for key, value in TO_MICROPUB.items()}
LOST_CREATE = (
    "Draftpress sent this post to the blog earlier but never heard back, and the blog does not "
    "let it look the post up, so it may be there already. Look on the blog: if the post is "
    "there, delete it there (or keep it and make this file a new draft); then publish with "
    "“overwrite” to send it again."
)


def post_url_of(record: RemoteRecord) -> str:
    """Return the post's URL (its Micropub id) from a record ("" when not published)."""
    if isinstance(record.id, str) and record.id:
        return record.id
    known = record.content_sha256 or record.pending_update  # read back, or sent and in doubt
    return record.url if record.blog and known else ""


def with_post_url(record: RemoteRecord, url: str) -> RemoteRecord:
    """Return the record naming the post by its URL (id and url)."""
    return replace(record, id=url, url=url)


class MicropubEngine(steps.PublishSteps):
    """One Micropub site with a bearer token."""

    kind = MICROPUB
    log_label = "micropub publish"

    def __init__(self, client: MicropubClient) -> None:
        super().__init__()
        self.client = client

    def close(self) -> None:
        """Close the connection."""
        self.client.close()

    def capabilities(self) -> Capabilities:
        """Return what the site can store, without a request (the interface's rule).

        Before the site was asked (q=config), Micropub's defaults; once a check or a publish
        has asked it, what its config says.
        """
        endpoints = self.client.endpoints
        if endpoints is None:
            return Capabilities(
                categories=False, excerpt=False, pages=False, pull=True, scheduling=False
            )
        statuses = [FROM_MICROPUB[s] for s in endpoints.statuses if s in FROM_MICROPUB]
        return Capabilities(
            images=bool(endpoints.media),
            tags=True,
            categories=False,  # Micropub's category is a flat list: categories go there too
            excerpt="summary" in endpoints.properties,
            slug=True,
            statuses=tuple(statuses) or ("draft", "publish"),
            scheduling=False,
            featured_image=False,
            pages=False,
            pull=True,
            conflict_detection=True,
        )

    def check(self) -> LoginReport:
        """Find the endpoints, and prove the token by asking q=config and the token endpoint."""
        endpoints = self.client.discover()
        info = self.client.token_info()
        scope = str(info.get("scope", "")).split()
        warnings = []
        if not endpoints.media:
            warnings.append("This site has no media endpoint: images cannot be uploaded.")
        return LoginReport(
            user_name=str(info.get("me") or self.client.connection.site_url),
            can_publish=not scope or "create" in scope or "post" in scope,
            can_upload=bool(endpoints.media) and (not scope or "media" in scope),
            warnings=warnings,
        )

    # -- reading ---------------------------------------------------------------------------

    def read_post(self, remote_id: str) -> RemotePost:
        """Read one post back with q=source."""
        return remote_post(remote_id, self.client.source(remote_id))

    def list_posts(self, *, page: int = 1, search: str = "") -> PostPage:
        """List the site's posts when its endpoint can (`q=source` without a URL).

        Items the site lists without their URL cannot be opened and are left out; a site that
        cannot list gives an empty page (a post can still be pulled by its URL).
        """
        if not self.client.can_list():
            return PostPage([], page, 0)
        items = self.client.list_sources(PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE)
        summaries = []
        for item in items:
            properties = item["properties"]
            url = first_text(properties, "url")
            title = first_text(properties, "name")
            if not url or (search and search.lower() not in title.lower()):
                continue
            summaries.append(
                PostSummary(
                    url,
                    title or "(no title)",
                    FROM_MICROPUB.get(first_text(properties, "post-status"), ""),
                    first_text(properties, "updated") or first_text(properties, "published"),
                    url,
                )
            )
        return PostPage(summaries, page, 0)

    # -- publishing ------------------------------------------------------------------------

    def publish(
        self,
        post: Post,
        account_name: str,
        options: PublishOptions,
        *,
        path: Path | None,
        progress: Progress,
        cancelled: Cancelled,
    ) -> PublishResult:
        """Create or update the post (and upload its new images); return the result."""
        self._path, self._progress, self._cancelled = path, progress, cancelled
        connection = self.client.connection
        with steps.cancel_requests(connection, cancelled), steps.publish_errors(resume_hint=False):
            return self._publish(post, account_name, options)

    def _publish(self, post: Post, account_name: str, options: PublishOptions) -> PublishResult:
        """Publish `post` (see publish)."""
        meta = steps.post_meta(post)
        offered = self.capabilities().statuses
        status = status_for_engine(options.status or meta.status, offered, "A Micropub site")
        post, bound = steps.post_for_blog(post, self._path, account_name, self._progress)
        record = read_remote_record(post.text, account_name)
        self._step("Rendering the post…")
        html = steps.render_post(post.text)
        in_body = {image.src for image in images_in(html)}
        images = steps.images_to_publish(html, post.path, meta.featured_image, meta.title)
        photo_alt = {}  # images shown beside the body, not in it: Micropub's `photo`
        if meta.featured_image and meta.featured_image not in in_body:
            photo_alt[meta.featured_image] = meta.title
        self._step("Checking the blog…")
        url = post_url_of(record)
        if url and not bound and not options.overwrite_server_edits:
            # A record that does not name this blog was not written by a publish to it.
            raise errors.UnverifiedRecord(
                f"This file says it is the post at {url}, but it does not say it was published "
                f"to “{account_name}”, so Draftpress cannot tell it published that post.",
                meta.title,
            )
        if url:
            url = self._check_server_copy(record, url, options.overwrite_server_edits)
        folder = post.path.parent if post.path else Path.cwd()
        media, uploaded, reused = self._upload_in_turn(images, folder, record, self._upload_one)
        uploads = steps.urls_of(media)
        content = with_code_languages(body_with_uploads(html, uploads), body_of(post.text))
        properties: JsonObject = {
            "name": [meta.title],
            "content": [{"html": content}],
            "category": categories_for(meta.tags, meta.categories),
            "post-status": [TO_MICROPUB[status]],
        }
        photos = [
            {"value": uploads.get(src, src), "alt": alt} for src, alt in photo_alt.items()
        ]
        if photos:
            properties["photo"] = photos
        self.client.discover()  # asked once (cached): capabilities() then says what it found
        if meta.excerpt and self.capabilities().excerpt:
            properties["summary"] = [meta.excerpt]
        if meta.date:
            properties["published"] = [published_time(meta.date)]
        payload_sha = properties_sha256(properties)
        created = updated = False
        if url and payload_sha == record.payload_sha256 and not options.overwrite_server_edits:
            self._progress("Already up to date.")
        elif url:
            record.pending_update = sha256_text(content)
            self._checkpoint(record)
            self._step("Updating the post…")
            url = self.client.update(url, properties)
            updated = True
        else:
            url = self._lost_create(record, meta.title, options)
            if url:  # adopted: it holds what the lost create sent, so bring it up to date
                record = self._know_post(record, url, content)
                self._step("Updating the post…")
                url = self.client.update(url, properties)
                updated = True
            else:
                url = self._create(record, properties, meta.title, content, effective_slug(meta))
                created = True
                record = self._know_post(record, url, content)
        source = self.client.source(url) if created or updated else None
        record = with_post_url(record, url)
        if source is not None:
            record = replace(record, content_sha256=source_fingerprint(source))
        record = replace(
            record, payload_sha256=payload_sha, pending_update="", pending_create={}
        )
        steps.keep_final_record(self._path, record)
        if created or updated:
            self._progress("Published.")
        return PublishResult(record, url, created, updated, uploaded, reused, status)

    def _know_post(self, record: RemoteRecord, url: str, content: str) -> RemoteRecord:
        """Keep the new post's URL in the journal at once, with the content it holds.

        If reading it back fails now, the next publish finds it by its URL and takes that
        content (`pending_update`) for its own, not for an edit made on the blog.
        """
        known = replace(
            with_post_url(record, url), pending_create={}, pending_update=sha256_text(content)
        )
        self._checkpoint(known)
        return known

    def _check_server_copy(self, record: RemoteRecord, url: str, overwrite: bool) -> str:
        """Return the post's URL; raise EditedOnServer if the site changed it since ("" if gone)."""
        try:
            source = self.client.source(url)
        except errors.NotFound:
            self._progress("The post is no longer on the blog; publishing it as a new post.")
            record.payload_sha256 = ""
            return ""
        content = first_text(source["properties"], "content")
        if record.pending_update and sha256_text(content) == record.pending_update:
            return url  # our own update, whose answer was lost
        if source_fingerprint(source) != record.content_sha256 and not overwrite:
            raise errors.EditedOnServer(
                "This post was changed on the blog since you last published it. Publishing now "
                "would overwrite those changes.",
                first_text(source["properties"], "updated"),
                content,
            )
        if overwrite:
            record.payload_sha256 = ""  # send it again even if this file did not change
        return url

    def _upload_one(self, upload: steps.ImageUpload, _in_doubt: bool) -> MediaRecord:
        """Upload one image file; Micropub media have no id (the URL is it)."""
        path, name = upload.path, upload_file_name(upload.path, upload.sha)
        action = f"uploading {path.name}"
        return MediaRecord(0, self.client.upload(path.read_bytes(), name, mime_type(path), action))

    def _lost_create(self, record: RemoteRecord, title: str, options: PublishOptions) -> str:
        """Return the URL of a post an earlier create made whose answer was lost ("" if none).

        Looks through the site's listing for the post holding what that create sent; a site
        that cannot list (or lists without URLs) leaves the writer to decide, never a second
        post made silently.
        """
        pending = record.pending_create
        if not pending:
            return ""
        if self.client.can_list():
            for item in self.client.list_sources(LOST_CREATE_LOOKBACK, 0):
                properties = item["properties"]
                content = first_text(properties, "content")
                same = (
                    first_text(properties, "name") == pending.get("title", title)
                    and sha256_text(content) == pending.get("content_sha256")
                )
                if same and first_text(properties, "url"):
                    self._progress("Found the post an interrupted publish created; updating it.")
                    return first_text(properties, "url")
        if options.overwrite_server_edits:
            return ""
        raise errors.PublishError(LOST_CREATE)

    def _create(
        self, record: RemoteRecord, properties: JsonObject, title: str, content: str, slug: str
    ) -> str:
        """Create the post (the journal knows first); return its URL."""
        if slug:
            properties = {**properties, "mp-slug": [slug]}
        if "published" not in properties:  # some sites cannot read a draft back without it
            properties = {**properties, "published": [published_time(gmt_now() + "Z")]}
        record.pending_create = {
            "title": title,
            "started_gmt": gmt_now(),
            "content_sha256": sha256_text(content),
        }
        self._checkpoint(record)
        self._step("Creating the post…")
        try:
            return self.client.create(properties)
        except steps.REFUSED:
            record.pending_create = {}
            self._checkpoint(record)
            raise


def published_time(date: str) -> str:
    """Return a front matter date as Micropub's `published` (ISO 8601 with an offset)."""
    text = date.strip().replace(" ", "T")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise errors.PublishError(f"“{date}” is not a date (write it as YYYY-MM-DD).") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC) if "T" in text else moment.replace(
            hour=9, tzinfo=dt.UTC
        )
    return moment.isoformat(timespec="seconds")


def remote_post(url: str, source: JsonObject) -> RemotePost:
    """Return a post's q=source as a RemotePost."""
    properties = source["properties"]
    return RemotePost(
        id=url,
        title=first_text(properties, "name"),
        html=first_text(properties, "content"),
        url=first_text(properties, "url") or url,
        status=FROM_MICROPUB.get(first_text(properties, "post-status"), ""),
        modified=first_text(properties, "updated") or first_text(properties, "published"),
        slug=first_text(properties, "mp-slug"),
        excerpt=first_text(properties, "summary"),
        tags=texts(properties, "category"),
        fingerprint=source_fingerprint(source),
        date=utc_time(first_text(properties, "published")),
    )


def utc_time(moment: str) -> str:
    """Return Micropub's `published` as UTC without a zone (published_time reads a front
    matter time without a zone as UTC); "" for none or anything else."""
    try:
        parsed = dt.datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
    except ValueError:
        return ""
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S")


def open_engine(account: Account, secret: str) -> MicropubEngine:
    """Return the engine for an account and its token (nothing is sent yet)."""
    from editor.publish.engines.micropub_client import BearerAuth

    connection = BlogConnection(
        account.url, auth=BearerAuth(secret.strip()), **account_trust(account)
    )
    return MicropubEngine(MicropubClient(connection))
