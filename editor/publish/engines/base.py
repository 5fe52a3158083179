"""The blog engine interface: what every blog API Draftpress speaks offers the rest of the app.

One implementation per API (WordPress REST, Ghost Admin, Micropub, XML-RPC), each in its own
module of this package, registered by its `kind` (the account's `kind` field). The publishing
service, the outbox, the command line and the window use only this interface, and show only what
the account's engine can do (its `Capabilities`).

Every engine keeps the same guarantees as WordPress's: each image uploaded once (by the sha256
of its file, recorded in `RemoteRecord.media`), no duplicate post after a lost create answer
(the in-flight create is written to the publish journal before the request goes out), a post
edited on the blog never overwritten silently (`errors.EditedOnServer` unless the options say
overwrite), errors in the writer's words (`errors.PublishError` subclasses), progress and
cancel between requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from editor.core.post import Post
    from editor.publish.publisher import PublishOptions, PublishResult

Progress = Callable[[str], None]
Cancelled = Callable[[], bool]

WORDPRESS = "wordpress"  # the WordPress REST API (application passwords)
GHOST = "ghost"  # Ghost's Admin API (an Admin API key, id:secret)
MICROPUB = "micropub"  # Micropub with IndieAuth (IndieWeb sites, Micro.blog)
XMLRPC = "xmlrpc"  # MetaWeblog / Movable Type / wp.* over XML-RPC


@dataclass(frozen=True)
class Capabilities:
    """What a blog's engine can store and do; the window hides what it cannot."""

    images: bool = True
    tags: bool = True
    categories: bool = True
    excerpt: bool = True
    slug: bool = True
    statuses: tuple[str, ...] = ("draft", "publish")  # the post statuses the engine accepts
    scheduling: bool = False  # a future date publishes later
    featured_image: bool = False
    pages: bool = False
    pull: bool = False  # posts can be read back (Open from Blog, merge)
    conflict_detection: bool = True  # an edit made on the blog is noticed before an update


@dataclass(frozen=True)
class Credential:
    """What an engine asks the writer for, kept in the keyring only."""

    label: str  # "Application password", "Admin API key", "Token", "Password"
    needs_user: bool = True  # False for a key or a token that names its own user
    hint: str = ""  # where to find it, in the writer's words


@dataclass(frozen=True)
class LoginReport:
    """What logging in found: who the writer is on the blog and what they may do."""

    user_name: str
    blog_title: str = ""
    can_publish: bool = True
    can_upload: bool = True
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # more lines of what was found (optional)

    def summary(self) -> str:
        """Return the report as a few lines for the writer."""
        on_blog = f" on “{self.blog_title}”" if self.blog_title else ""
        lines = [f"Logged in as {self.user_name}{on_blog}.", *self.details]
        if not self.can_publish:
            lines.append("This user may not publish posts.")
        if not self.can_upload:
            lines.append("This user may not upload images.")
        return "\n".join(lines + self.warnings)


@dataclass(frozen=True)
class RemotePost:
    """A post as the blog holds it, read back for a pull, a merge or a conflict check."""

    id: str  # the engine's id for it, as text (WordPress's number, Ghost's id, Micropub's URL)
    title: str
    html: str  # the body as the blog stores it (block markup, HTML or the source's content)
    url: str = ""
    status: str = ""
    modified: str = ""  # the blog's modification time, ISO 8601 in UTC ("" when it has none)
    slug: str = ""
    excerpt: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    featured_image: str = ""  # its URL
    # The post's date as its engine's publisher reads a front matter date back (Ghost: local
    # time; XML-RPC: the blog's local time; Micropub: UTC), YYYY-MM-DDTHH:MM:SS; "" for none.
    date: str = ""
    # What the engine's conflict check compares with `RemoteRecord.content_sha256` when it is
    # not the SHA-256 of `html` (Micropub: the fingerprint of the whole q=source).
    fingerprint: str = ""
    type: str = ""  # "page" for a page (the record then addresses a page); "" for a post


@dataclass(frozen=True)
class PostSummary:
    """One line of a listing of the blog's posts (Open from Blog)."""

    id: str
    title: str
    status: str = ""
    modified: str = ""
    url: str = ""


@dataclass(frozen=True)
class PostPage:
    """One page of a listing, and how many pages there are (0: the blog does not say)."""

    items: list[PostSummary]
    page: int = 1
    total_pages: int = 0


class BlogEngine(Protocol):
    """One blog account's API, logged in with its secret; closed after use."""

    kind: str

    def capabilities(self) -> Capabilities:
        """Return what this blog can store and do."""
        ...

    def check(self) -> LoginReport:
        """Find the API and log in; raise a PublishError in the writer's words on failure."""
        ...

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
        """Create or update the post (and upload its new images); return the result.

        `path` is the post's file (the publish journal's key; None for an unsaved post). The
        record is not written into the post: the caller does that once, at the end.
        """
        ...

    def read_post(self, remote_id: str) -> RemotePost:
        """Read one post back from the blog."""
        ...

    def list_posts(self, *, page: int = 1, search: str = "") -> PostPage:
        """List the blog's posts, newest first, one page at a time."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
