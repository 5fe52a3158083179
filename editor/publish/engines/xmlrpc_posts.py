"""The blog calls of the XML-RPC engine: MetaWeblog and Movable Type, and WordPress's wp.* where
the blog has them (its modification dates and an update refused when the post changed since).

Every answer is checked for its shape here; the rest of the engine sees plain dataclasses.
"""

from __future__ import annotations

import datetime as dt
import logging
import xmlrpc.client
from dataclasses import dataclass, field
from typing import Any

from editor.publish import errors
from editor.publish.answers import scalar_text as _text
from editor.publish.engines.xmlrpc_client import FAULT, XmlRpcClient
from editor.publish.post_statuses import normalise_status
from editor.publish.publish_rules import gmt_now

log = logging.getLogger(__name__)

MORE = "<!--more-->"
RECENT_LIMIT = 100  # the most posts getRecentPosts is asked for (it cannot page)
MEDIA_LOOKUP = 50  # recent uploads searched for one whose answer was lost


@dataclass(frozen=True)
class ServerPost:
    """A post as the blog's XML-RPC answered it, normalised across the APIs."""

    id: str
    title: str
    content: str
    link: str = ""
    status: str = ""
    modified_gmt: str = ""  # ISO 8601 in UTC, "" when the API does not give one
    created_gmt: str = ""
    slug: str = ""
    excerpt: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    featured_image: str = ""  # the thumbnail's address (wp.getPost's post_thumbnail)
    date: str = ""  # the blog's local time, ISO 8601 without zone (post_date / dateCreated)


@dataclass(frozen=True)
class PostFields:
    """What a publish sends: one post, before it is shaped for one API."""

    title: str
    content: str
    status: str
    slug: str
    excerpt: str
    tags: list[str]
    categories: list[str]
    category_ids: list[str]
    date: str = ""  # the blog's local time, YYYY-MM-DDTHH:MM:SS ("": when it is published)
    thumbnail_id: int = 0  # the featured image's media id (0: none; WordPress only)
    clear_thumbnail: bool = False  # the writer removed the featured image the blog still has

    @property
    def wire_status(self) -> str:
        """The status as XML-RPC says it: a scheduled post is published with a future date."""
        return "publish" if self.status == "future" else self.status

    @property
    def published(self) -> bool:
        """MetaWeblog's publish flag (true also for a scheduled post)."""
        return self.status in ("publish", "future")

    def as_key(self) -> dict[str, Any]:
        """Return the fields as plain data (fingerprinted to tell an unchanged post)."""
        return {
            "title": self.title,
            "content": self.content,
            "status": self.status,
            "slug": self.slug,
            "excerpt": self.excerpt,
            "tags": self.tags,
            "categories": self.category_ids,
            "date": self.date,
            "thumbnail": self.thumbnail_id,
        }


def rpc_date(date: str) -> xmlrpc.client.DateTime:
    """Return a YYYY-MM-DDTHH:MM:SS date as XML-RPC's dateTime.iso8601 (no zone: the blog's
    local time, as WordPress reads dateCreated and post_date)."""
    return xmlrpc.client.DateTime(dt.datetime.fromisoformat(date[:19]))


def iso_utc(value: Any) -> str:
    """Return an XML-RPC date as ISO 8601 without zone ("" for anything else)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, xmlrpc.client.DateTime):
        try:
            return dt.datetime.strptime(value.value, "%Y%m%dT%H:%M:%S").isoformat()
        except ValueError:
            return ""
    return ""


def _struct(value: Any, action: str) -> dict[str, Any]:
    """Return an answer that must be a struct, or refuse it."""
    if not isinstance(value, dict):
        raise errors.UnexpectedAnswer(
            f"The blog answered {action} with data Draftpress did not expect (not a struct)."
        )
    return value


def _array(value: Any, action: str) -> list[Any]:
    """Return an answer that must be an array, or refuse it."""
    if not isinstance(value, list):
        raise errors.UnexpectedAnswer(
            f"The blog answered {action} with data Draftpress did not expect (not an array)."
        )
    return value


def _names(value: Any) -> list[str]:
    """Return a list of names from an array, or from a comma-separated string (mt_keywords)."""
    if isinstance(value, list):
        return [name for name in (_text(item).strip() for item in value) if name]
    return [part.strip() for part in _text(value).split(",") if part.strip()]


def post_id_answer(value: Any, action: str) -> str:
    """Return the post id a create answered (a number or a string), or refuse the answer."""
    found = _text(value).strip()
    if not found or found == "0":
        raise errors.UnexpectedAnswer(
            f"The blog answered without a usable id while {action}, so Draftpress cannot tell "
            "what it stored. Look at the blog before publishing again."
        )
    return found


def read_status(status: str, created_gmt: str) -> str:
    """Return the front matter's word for a status the blog answered: WordPress's XML-RPC
    calls a scheduled post "publish" (its date, in UTC, still to come), which is "future"."""
    word = normalise_status(status)
    if word == "publish" and created_gmt and created_gmt > gmt_now()[: len(created_gmt)]:
        return "future"
    return word


def metaweblog_post(answer: dict[str, Any], post_id: str) -> ServerPost:
    """Return a metaWeblog.getPost (or getRecentPosts) entry as a ServerPost."""
    content = _text(answer.get("description"))
    more = _text(answer.get("mt_text_more"))
    if more:  # MetaWeblog splits the post at <!--more-->: join it again
        content = f"{content}\n{MORE}\n{more}"
    publish = answer.get("post_status") or answer.get("publish")
    status = _text(publish) if isinstance(publish, str) else ("publish" if publish else "")
    created_gmt = iso_utc(answer.get("date_created_gmt")) or iso_utc(answer.get("dateCreated"))
    return ServerPost(
        id=_text(answer.get("postid")) or post_id,
        title=_text(answer.get("title")),
        content=content,
        link=_text(answer.get("permaLink")) or _text(answer.get("link")),
        status=read_status(status, created_gmt),
        modified_gmt=iso_utc(answer.get("date_modified_gmt")),
        created_gmt=created_gmt,
        slug=_text(answer.get("wp_slug")),
        excerpt=_text(answer.get("mt_excerpt")),
        tags=_names(answer.get("mt_keywords")),
        categories=_names(answer.get("categories")),
        date=iso_utc(answer.get("dateCreated")),  # the blog's local time, despite the name
    )


def wordpress_post(answer: dict[str, Any], post_id: str) -> ServerPost:
    """Return a wp.getPost (or wp.getPosts) entry as a ServerPost."""
    terms = answer.get("terms") if isinstance(answer.get("terms"), list) else []
    named = [t for t in terms or [] if isinstance(t, dict)]
    return ServerPost(
        id=_text(answer.get("post_id")) or post_id,
        title=_text(answer.get("post_title")),
        content=_text(answer.get("post_content")),
        link=_text(answer.get("link")),
        status=read_status(_text(answer.get("post_status")), iso_utc(answer.get("post_date_gmt"))),
        modified_gmt=iso_utc(answer.get("post_modified_gmt")),
        created_gmt=iso_utc(answer.get("post_date_gmt")),
        slug=_text(answer.get("post_name")),
        excerpt=_text(answer.get("post_excerpt")),
        tags=[_text(t.get("name")) for t in named if t.get("taxonomy") == "post_tag"],
        categories=[_text(t.get("name")) for t in named if t.get("taxonomy") == "category"],
        featured_image=_thumbnail_link(answer.get("post_thumbnail")),
        date=iso_utc(answer.get("post_date")),  # the blog's local time, despite the name
    )


def _thumbnail_link(thumbnail: Any) -> str:
    """Return the address of wp.getPost's post_thumbnail (an empty array when there is none)."""
    return _text(thumbnail.get("link")) if isinstance(thumbnail, dict) else ""


@dataclass
class BlogApi:
    """One logged-in blog: its id, the methods it offers, and the calls a publish makes."""

    client: XmlRpcClient
    user: str
    password: str
    blog_id: str = ""
    blog_title: str = ""
    methods: frozenset[str] = frozenset()
    use_wordpress: bool = True  # use wp.* where offered (False: MetaWeblog and MT only)

    @property
    def wordpress(self) -> bool:
        """Tell whether the blog offers WordPress's own calls (and they are to be used)."""
        return self.use_wordpress and {"wp.getPost", "wp.editPost"} <= self.methods

    def offers(self, method: str) -> bool:
        """Tell whether the blog lists `method` (an unknown list: assume the standard ones)."""
        return method in self.methods if self.methods else not method.startswith("wp.")

    def _call(self, method: str, *params: Any, action: str, idempotent: bool = False) -> Any:
        return self.client.call(method, *params, action=action, idempotent=idempotent)

    # -- login ----------------------------------------------------------------------------

    def log_in(self, site_url: str) -> dict[str, Any]:
        """List the blog's methods, log in and pick the blog; return its getUsersBlogs entry."""
        endpoint = self.client.find_endpoint()
        try:
            listed = self._call("system.listMethods", action="asking what the blog offers",
                                idempotent=True)
        except errors.PublishError as problem:
            if problem.code.startswith(FAULT) and problem.code != f"{FAULT} 405":
                listed = []  # a server without introspection: the standard calls are assumed
            elif isinstance(problem, errors.ApiUnavailable) and not endpoint.from_rsd:
                raise errors.ApiUnavailable(
                    f"Draftpress found no XML-RPC at {site_url}: its page links to no RSD "
                    f"document, and {endpoint.url} does not answer XML-RPC."
                ) from None
            else:
                raise
        self.methods = frozenset(_text(m) for m in _array(listed, "asking what the blog offers"))
        self.methods -= {""}
        self.client.wordpress_words = endpoint.is_wordpress or "wp.getUsersBlogs" in self.methods
        action = "logging in"
        if "wp.getUsersBlogs" in self.methods:
            blogs = self._call("wp.getUsersBlogs", self.user, self.password, action=action,
                               idempotent=True)
        else:
            blogs = self._call("blogger.getUsersBlogs", "", self.user, self.password,
                               action=action, idempotent=True)
        entries = [b for b in _array(blogs, action) if isinstance(b, dict)]
        if not entries:
            raise errors.NotAllowed("This user has no blog at this address to publish to.")
        wanted = site_url.rstrip("/")
        chosen = next(
            (b for b in entries if _text(b.get("url")).rstrip("/") == wanted),
            next((b for b in entries if _text(b.get("blogid")) == endpoint.blog_id), entries[0]),
        )
        self.blog_id = _text(chosen.get("blogid")) or endpoint.blog_id or "1"
        self.blog_title = _text(chosen.get("blogName"))
        return chosen

    # -- posts ----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> ServerPost:
        """Read one post (wp.getPost on WordPress, else metaWeblog.getPost)."""
        action = "reading the post"
        if self.wordpress:
            answer = self._call("wp.getPost", self.blog_id, self.user, self.password,
                                int(post_id) if post_id.isdigit() else post_id,
                                action=action, idempotent=True)
            return wordpress_post(_struct(answer, action), post_id)
        answer = self._call("metaWeblog.getPost", post_id, self.user, self.password,
                            action=action, idempotent=True)
        return metaweblog_post(_struct(answer, action), post_id)

    def recent_posts(self, count: int) -> list[ServerPost]:
        """Return the blog's most recent posts, newest first (metaWeblog.getRecentPosts)."""
        action = "listing the blog's posts"
        answer = self._call("metaWeblog.getRecentPosts", self.blog_id, self.user, self.password,
                            min(count, RECENT_LIMIT), action=action, idempotent=True)
        return [metaweblog_post(p, "") for p in _array(answer, action) if isinstance(p, dict)]

    def wordpress_posts(self, number: int, offset: int, search: str) -> list[ServerPost]:
        """Return a page of posts through wp.getPosts (newest change first)."""
        action = "listing the blog's posts"
        query: dict[str, Any] = {"number": number, "offset": offset, "orderby": "post_modified",
                                 "order": "DESC", "post_type": "post"}
        if search:
            query["s"] = search
        answer = self._call("wp.getPosts", self.blog_id, self.user, self.password, query,
                            action=action, idempotent=True)
        return [wordpress_post(p, "") for p in _array(answer, action) if isinstance(p, dict)]

    def _metaweblog_struct(self, fields: PostFields) -> dict[str, Any]:
        struct: dict[str, Any] = {
            "title": fields.title,
            "description": fields.content,
            "mt_keywords": ", ".join(fields.tags),
            "categories": fields.categories,
            "mt_excerpt": fields.excerpt,
            "wp_slug": fields.slug,
            "post_status": fields.wire_status,
        }
        if fields.date:
            struct["dateCreated"] = rpc_date(fields.date)  # a future one schedules the post
        if fields.thumbnail_id:
            struct["wp_post_thumbnail"] = fields.thumbnail_id
        return struct

    def new_post(self, fields: PostFields) -> str:
        """Create the post (metaWeblog.newPost); return its id."""
        action = "creating the post"
        answer = self._call("metaWeblog.newPost", self.blog_id, self.user, self.password,
                            self._metaweblog_struct(fields), fields.published,
                            action=action)
        return post_id_answer(answer, action)

    def edit_post(self, post_id: str, fields: PostFields, not_modified_since: str) -> None:
        """Update the post; on WordPress refused (409) if it changed after `not_modified_since`.

        `not_modified_since` is the modification time the check saw ("" to overwrite).
        """
        action = "updating the post"
        if not self.wordpress:
            self._call("metaWeblog.editPost", post_id, self.user, self.password,
                       self._metaweblog_struct(fields), fields.published,
                       action=action, idempotent=True)
            return
        terms: dict[str, Any] = {}
        content: dict[str, Any] = {
            "post_title": fields.title,
            "post_content": fields.content,
            "post_status": fields.wire_status,
            "post_excerpt": fields.excerpt,
            "post_name": fields.slug,
        }
        if fields.date:
            content["post_date"] = rpc_date(fields.date)
        if fields.thumbnail_id:
            content["post_thumbnail"] = fields.thumbnail_id
        elif fields.clear_thumbnail:  # an empty value deletes the thumbnail (wp.editPost)
            content["post_thumbnail"] = 0
        if fields.category_ids:
            terms["category"] = [int(i) if i.isdigit() else i for i in fields.category_ids]
        if fields.tags:
            content["terms_names"] = {"post_tag": fields.tags}
        else:  # an empty terms_names leaves the tags; empty terms clear them
            terms["post_tag"] = []
        if terms:
            content["terms"] = terms
        if not_modified_since:
            content["if_not_modified_since"] = dt.datetime.fromisoformat(not_modified_since)
        # Not sent again by itself: a first attempt that got through moves the modification
        # date, and the guard would refuse the repeat as an edit made on the blog (the next
        # publish recognises our own update by its content instead).
        self._call("wp.editPost", self.blog_id, self.user, self.password,
                   int(post_id) if post_id.isdigit() else post_id, content,
                   action=action, idempotent=not not_modified_since)

    # -- categories -----------------------------------------------------------------------

    def categories(self) -> list[tuple[str, str]]:
        """Return the blog's categories as (name, id) pairs (mt.getCategoryList)."""
        action = "reading the blog's categories"
        if self.offers("mt.getCategoryList"):
            answer = self._call("mt.getCategoryList", self.blog_id, self.user, self.password,
                                action=action, idempotent=True)
            return [
                (_text(c.get("categoryName")), _text(c.get("categoryId")))
                for c in _array(answer, action)
                if isinstance(c, dict) and _text(c.get("categoryId"))
            ]
        answer = self._call("metaWeblog.getCategories", self.blog_id, self.user, self.password,
                            action=action, idempotent=True)
        entries = answer.values() if isinstance(answer, dict) else _array(answer, action)
        return [
            (_text(c.get("categoryName") or c.get("title")), _text(c.get("categoryId")))
            for c in entries
            if isinstance(c, dict)
        ]

    def new_category(self, name: str) -> str:
        """Create a category (WordPress only); return its id."""
        try:
            answer = self._call("wp.newCategory", self.blog_id, self.user, self.password,
                                {"name": name}, action=f"creating the category “{name}”")
        except errors.NotAllowed:
            raise errors.NotAllowed(
                f"This account may not create categories, and the blog has no category "
                f"“{name}”: create it on the blog, or remove it from the post."
            ) from None
        return post_id_answer(answer, f"creating the category “{name}”")

    def set_categories(self, post_id: str, category_ids: list[str]) -> None:
        """Set the post's categories by id (mt.setPostCategories), the first one primary."""
        entries = [
            {"categoryId": i, "isPrimary": n == 0} for n, i in enumerate(category_ids)
        ]
        self._call("mt.setPostCategories", post_id, self.user, self.password, entries,
                   action="setting the post's categories", idempotent=True)

    # -- media ----------------------------------------------------------------------------

    def upload(self, name: str, mime: str, data: bytes) -> tuple[int, str]:
        """Upload a file (metaWeblog.newMediaObject); return its media id (0: none) and URL."""
        action = f"uploading {name}"
        answer = _struct(
            self._call("metaWeblog.newMediaObject", self.blog_id, self.user, self.password,
                       {"name": name, "type": mime, "bits": data}, action=action),
            action,
        )
        url = _text(answer.get("url"))
        if not url:
            raise errors.UnexpectedAnswer(
                f"The blog answered without the image's address while {action}."
            )
        found = _text(answer.get("id") or answer.get("attachment_id"))
        return (int(found) if found.isdigit() else 0), url

    def find_upload(self, tag: str) -> tuple[int, str] | None:
        """Find a recent upload whose address holds `tag` (WordPress's media library only)."""
        if "wp.getMediaLibrary" not in self.methods:
            return None
        action = "looking for an interrupted upload"
        answer = self._call("wp.getMediaLibrary", self.blog_id, self.user, self.password,
                            {"number": MEDIA_LOOKUP}, action=action, idempotent=True)
        for item in _array(answer, action):
            link = _text(item.get("link")) if isinstance(item, dict) else ""
            if tag in link.rsplit("/", 1)[-1]:
                found = _text(item.get("attachment_id"))
                return (int(found) if found.isdigit() else 0), link
        return None
