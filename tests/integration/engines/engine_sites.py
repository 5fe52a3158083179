"""One adapter per blog engine for the contract suite (test_contract.py), over the real servers.

An adapter knows what the contract cannot ask the engine itself: how to open the engine as the
app does (the registry's `open_engine` with the account and its secret), how to count posts and
media on the server behind the engine's back, how to read the server's own copy of a post, how
to edit a post on the server as a writer in its admin would, which request is the post's create
(to lose its answer) and which requests write (to prove an unchanged republish sends none).

The one stand-in of the suite is `LosingTransport`: the create reaches the real server, which
handles it and answers; the transport then drops the answer, as a connection that breaks on the
way back would. A real server cannot be made to lose its answer on demand. It is put under the
engine opened by `open_engine` by `transport_under_every_connection` (every engine's HTTP goes
through one `BlogConnection`).
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from editor.publish.accounts import Account
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.base import GHOST, MICROPUB, WORDPRESS, XMLRPC, BlogEngine
from editor.publish.engines.registry import open_engine
from editor.publish.engines.xmlrpc import XmlRpcEngine
from editor.publish.wordpress_client import WRONG_LOGIN
from tests.integration.engines.micropub_site import MicropubSite
from tests.integration.ghost_server import GhostServer
from tests.integration.sample_posts import write_sample_post
from tests.integration.wordpress_server import WordPressServer

BLOG = "contract-blog"
METAWEBLOG = "metaweblog"  # XML-RPC with MetaWeblog and Movable Type calls only
XMLRPC_WRITES = (
    "metaWeblog.newPost",
    "metaWeblog.editPost",
    "metaWeblog.newMediaObject",
    "wp.newPost",
    "wp.editPost",
    "wp.uploadFile",
    "wp.newTerm",
    "mt.setPostCategories",
)


def make_post(folder: Path, title: str) -> Path:
    """Write the contract's post: two local images (the first a captioned figure, the second
    also the featured image), an attributed quote, code, tags, a category and an excerpt.
    The images' colours are the post's own, so no two posts upload the same file."""
    stem = "post-" + uuid.uuid4().hex[:8]
    front_matter = (
        f'title: "{title}"\nstatus: publish\ntags: [art, tools]\ncategories: [News]\n'
        f"excerpt: A test post.\nfeatured_image: {stem}.assets/second.png\n"
    )
    colors = (int(stem[5:11], 16), int(stem[7:13], 16) ^ 0xFFFFFF)
    return write_sample_post(folder, stem, front_matter, colors)


# -- the transport under the engine ------------------------------------------------------------


class WatchingTransport(httpx.BaseTransport):
    """Passes every request to the real server and keeps them (method, path, body) in order."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class LosingTransport(WatchingTransport):
    """Loses the answer of the first request `is_lost` picks, AFTER the server handled it.

    The real server gets the request, does what it asks and answers; the answer is read and then
    dropped with the error a connection broken on the way back gives. The only fake of the suite:
    a real server cannot be made to lose an answer on demand."""

    def __init__(self, is_lost: Callable[[httpx.Request], bool]) -> None:
        super().__init__()
        self.is_lost = is_lost
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not self.lost and self.is_lost(request):
            response.read()  # the server handled it and answered; the answer never arrives
            response.close()
            self.lost = True
            raise httpx.ReadError("connection dropped after the server answered")
        return response


@contextlib.contextmanager
def transport_under_every_connection(transport: httpx.BaseTransport) -> Iterator[None]:
    """Put `transport` under every BlogConnection opened in the block (the engine the registry
    opens builds its own; each engine's HTTP goes through one)."""
    original = BlogConnection.__init__

    @functools.wraps(original)
    def with_transport(self: BlogConnection, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("transport") is None:
            kwargs["transport"] = transport
        original(self, *args, **kwargs)

    BlogConnection.__init__ = with_transport  # type: ignore[method-assign]
    try:
        yield
    finally:
        BlogConnection.__init__ = original  # type: ignore[method-assign]


def xmlrpc_method(request: httpx.Request) -> str:
    """Return the XML-RPC method a request calls ("" for another request)."""
    body = request.content
    if b"<methodName>" not in body:
        return ""
    return body.split(b"<methodName>", 1)[1].split(b"<", 1)[0].decode().strip()


# -- the adapters ---------------------------------------------------------------------------


@dataclass
class EngineSite:
    """A real server and how the contract drives the engine that speaks to it."""

    kind: str  # the account's kind (the registry's key)
    account: Account
    secret: str
    wrong_secret: str
    wrong_secret_words: str  # what the writer is told when the secret is wrong (a regex)
    user_words: str  # what check() names the writer by
    # False where the server lists its posts without their ids (the Micropub plugin's
    # q=source listing has no URLs): such a listing cannot find a post, nor a lost create.
    lists_posts: bool = True
    server: Any = field(default=None, repr=False)

    def sets_featured_image(self) -> bool:
        """Tell whether this API can give a post a featured image (MetaWeblog alone cannot)."""
        return True

    def open(self, secret: str | None = None) -> BlogEngine:
        """Open the engine as the app does: the registry's open_engine, account and secret."""
        return open_engine(self.account, self.secret if secret is None else secret)

    def count_posts(self) -> int:
        """How many posts the server holds (every status but trash)."""
        raise NotImplementedError

    def count_media(self) -> int:
        """How many uploaded images the server holds."""
        raise NotImplementedError

    def stored_html(self, remote_id: str) -> str:
        """The post's body as the server stores it (read behind the engine's back)."""
        raise NotImplementedError

    def edit_on_server(self, remote_id: str, html: str) -> None:
        """Change the post's body on the server, as a writer in the blog's admin would."""
        raise NotImplementedError

    def is_create(self, request: httpx.Request) -> bool:
        """Tell whether a request is the post's create."""
        raise NotImplementedError

    def is_write(self, request: httpx.Request) -> bool:
        """Tell whether a request changes anything on the server."""
        return request.method not in ("GET", "HEAD", "OPTIONS")


class WordPressSite(EngineSite):
    """The WordPress REST API of the session's test WordPress (application passwords)."""

    @classmethod
    def on(cls, wordpress: WordPressServer) -> WordPressSite:
        account = Account(
            name=BLOG, url=wordpress.url, user=wordpress.admin_user, kind=WORDPRESS,
            output="blocks",  # not "auto": that follows whatever post another test touched
        )  # fmt: skip
        return cls(
            WORDPRESS, account, wordpress.admin_app_password, "wrong wrong wrong wrong",
            "(?i)application password", wordpress.admin_user, server=wordpress,
        )  # fmt: skip

    def count_posts(self) -> int:
        return int(self.server.count_posts())

    def count_media(self) -> int:
        return int(self.server.count_media())

    def stored_html(self, remote_id: str) -> str:
        return str(self.server.get_post_raw(int(remote_id))["content"]["raw"])

    def edit_on_server(self, remote_id: str, html: str) -> None:
        self.server.edit_post_on_server(int(remote_id), html)

    def is_create(self, request: httpx.Request) -> bool:
        route = request.url.params.get("rest_route") or request.url.path
        return request.method == "POST" and route.rstrip("/").endswith("/wp/v2/posts")


class XmlRpcSite(WordPressSite):
    """The same WordPress's /xmlrpc.php (it takes application passwords)."""

    @classmethod
    def on(cls, wordpress: WordPressServer) -> WordPressSite:
        account = Account(name=BLOG, url=wordpress.url, user=wordpress.admin_user, kind=XMLRPC)
        return cls(
            XMLRPC, account, wordpress.admin_app_password, "wrong-password",
            "^" + WRONG_LOGIN.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)") + "$",
            wordpress.admin_user, server=wordpress,
        )  # fmt: skip

    def is_create(self, request: httpx.Request) -> bool:
        return xmlrpc_method(request) in ("metaWeblog.newPost", "wp.newPost")

    def is_write(self, request: httpx.Request) -> bool:
        return xmlrpc_method(request) in XMLRPC_WRITES


class MetaWeblogSite(XmlRpcSite):
    """XML-RPC with MetaWeblog and Movable Type calls only, as a Movable Type, Dotclear or
    Serendipity blog offers: edits on the blog are told by the content's fingerprint, not by
    wp.getPost's modification date. The real WordPress offers wp.* too, so the engine is told
    to leave them out (the one engine of the suite not opened through the registry)."""

    def sets_featured_image(self) -> bool:
        return False  # MetaWeblog has no featured image

    def open(self, secret: str | None = None) -> BlogEngine:
        return XmlRpcEngine(
            self.account.url,
            self.account.user,
            self.secret if secret is None else secret,
            use_wordpress=False,
        )


class GhostSite(EngineSite):
    """A real Ghost 5's Admin API (an Admin API key)."""

    @classmethod
    def on(cls, ghost: GhostServer) -> GhostSite:
        account = Account(name=BLOG, url=ghost.url, user="", kind=GHOST)
        key_id = ghost.admin_key.split(":")[0]
        return cls(
            GHOST, account, ghost.admin_key, f"{key_id}:{'0' * 64}",
            "Ghost refused the Admin API key", key_id[:8], server=ghost,
        )  # fmt: skip

    def count_posts(self) -> int:
        return int(self.server.count_posts())

    def count_media(self) -> int:
        return len(self.server.image_files())

    def stored_html(self, remote_id: str) -> str:
        return str(self.server.post(remote_id)["html"])

    def edit_on_server(self, remote_id: str, html: str) -> None:
        updated_at = self.server.post(remote_id)["updated_at"]
        self.server.request(
            "PUT", f"posts/{remote_id}/", params={"source": "html"},
            json={"posts": [{"html": html, "updated_at": updated_at}]},
        )  # fmt: skip

    def is_create(self, request: httpx.Request) -> bool:
        return request.method == "POST" and request.url.path.endswith("/admin/posts/")


class MicropubSiteAdapter(EngineSite):
    """A Micropub server: a WordPress of its own with the Micropub and IndieAuth plugins."""

    @classmethod
    def on(cls, site: MicropubSite) -> MicropubSiteAdapter:
        account = Account(name=BLOG, url=site.url, user="", kind=MICROPUB)
        return cls(
            MICROPUB, account, site.token, "not-a-token", "refused the token", site.url,
            lists_posts=False, server=site,
        )  # fmt: skip

    def post_id(self, url: str) -> int:
        """WordPress's id of the post at a URL (the Micropub id is the URL)."""
        printed = self.server.server.php_eval(f"echo 'ID=' . url_to_postid({url!r});")
        return int(printed.rsplit("ID=", 1)[1].strip())

    def count_posts(self) -> int:
        return int(self.server.count_posts())

    def count_media(self) -> int:
        return int(self.server.count_media())

    def stored_html(self, remote_id: str) -> str:
        raw = self.server.server.get_post_raw(self.post_id(remote_id))
        return str(raw["content"]["raw"])

    def edit_on_server(self, remote_id: str, html: str) -> None:
        """Another Micropub client of the writer's (a phone app) replaces the content. (An edit
        in wp-admin is noticed too, but this plugin's q=source keeps showing the content sent
        by Micropub: test_micropub.py has that case.)"""
        answer = httpx.post(
            self.server.endpoint,
            json={"action": "update", "url": remote_id, "replace": {"content": [{"html": html}]}},
            headers={"Authorization": f"Bearer {self.server.token}"},
            timeout=30,
        )
        assert answer.status_code in (200, 201, 204), answer.text[:300]

    def is_create(self, request: httpx.Request) -> bool:
        return (
            request.method == "POST"
            and request.url.path.endswith("/micropub/1.0/endpoint")
            and b'"action"' not in request.content
        )

    def is_write(self, request: httpx.Request) -> bool:
        return request.method == "POST"
