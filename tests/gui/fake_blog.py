"""A fake WordPress behind httpx.MockTransport for the publishing GUI tests.

It answers in the shapes measured on a real WordPress (docs/notes/wordpress-rest.md): discovery by
the Link header, Basic auth with the application password (401 otherwise), users/me, tags and
categories by search or include, posts (create, read with context=edit, update, list) and 404s.
The real server is exercised in tests/integration.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from editor.publish.accounts import Account
from editor.publish.wordpress_client import WordPressClient

SITE = "https://blog.example"
PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"
API_LINK = '<https://blog.example/wp-json/>; rel="https://api.w.org/"'


@dataclass
class FakeBlog:
    """Posts, terms and the logged-in user of one WordPress site, behind an httpx transport."""

    password: str = PASSWORD
    posts: dict[int, dict] = field(default_factory=dict)
    terms: dict[str, dict[int, str]] = field(
        default_factory=lambda: {"tags": {}, "categories": {1: "Uncategorized"}}
    )
    requests: list[tuple[str, str]] = field(default_factory=list)
    gate_path: str = ""  # a request to this path waits for `gate` (to cancel mid-publish)
    gate: threading.Event = field(default_factory=threading.Event)
    gate_reached: threading.Event = field(default_factory=threading.Event)
    on_create: Callable[[], None] = lambda: None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))
    _term_ids: itertools.count = field(default_factory=lambda: itertools.count(10))
    _clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    def client_factory(self, account: Account, password: str) -> WordPressClient:
        """Return a real client whose requests reach this blog."""
        transport = httpx.MockTransport(self.handle)
        return WordPressClient(account.url, account.user, password, transport=transport)

    def _now(self) -> str:
        return f"2024-06-01T10:{next(self._clock):02d}:00"

    def add_post(self, title: str, raw: str, **extra) -> dict:
        """Put a post on the blog as if written there."""
        post_id = next(self._ids)
        post = {
            "id": post_id,
            "date": "2024-05-01T10:30:00",
            "date_gmt": "2024-05-01T08:30:00",
            "modified_gmt": self._now(),
            "slug": extra.pop("slug", title.lower().replace(" ", "-")),
            "status": "publish",
            "link": f"{SITE}/?p={post_id}",
            "title": {"raw": title, "rendered": title},
            "content": {"raw": raw, "rendered": raw, "block_version": 1},
            "excerpt": {"raw": "", "rendered": ""},
            "tags": [],
            "categories": [1],
            "featured_media": 0,
            **extra,
        }
        self.posts[post_id] = post
        return post

    def edit_on_server(self, post_id: int, raw: str) -> None:
        """Change a post as someone in the WordPress editor would."""
        post = self.posts[post_id]
        post["content"] = {"raw": raw, "rendered": raw, "block_version": 1}
        post["modified_gmt"] = self._now()

    def _write(self, post: dict, body: dict) -> dict:
        """Apply a create or update payload."""
        for key in ("slug", "status", "tags", "categories", "featured_media"):
            if key in body:
                post[key] = body[key]
        for key in ("title", "content", "excerpt"):
            if key in body:
                post[key] = {"raw": body[key], "rendered": body[key], "block_version": 1}
        post["link"] = f"{SITE}/{post['slug']}/"
        post["modified_gmt"] = self._now()
        return post

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as WordPress does."""
        method, path = request.method, request.url.path
        self.requests.append((method, path))
        if path == "/":
            return httpx.Response(200, html="<html></html>", headers={"Link": API_LINK})
        expected = "Basic " + base64.b64encode(f"ada:{self.password}".encode()).decode()
        if request.headers.get("authorization") != expected:
            body = {"code": "rest_not_logged_in", "message": "You are not currently logged in."}
            return httpx.Response(401, json=body)
        if path == self.gate_path:
            self.gate_reached.set()
            assert self.gate.wait(10), "the test never opened the gate"
        route = path.removeprefix("/wp-json/wp/v2")
        params = request.url.params
        body = json.loads(request.content) if request.content else {}
        if route == "/users/me":
            capabilities = {"publish_posts": True, "upload_files": True}
            me = {"id": 1, "name": "Ada", "roles": ["author"], "capabilities": capabilities}
            return httpx.Response(200, json=me)
        if route in ("/tags", "/categories"):
            terms = self.terms[route[1:]]
            if method == "POST":
                term_id = next(self._term_ids)
                terms[term_id] = body["name"]
                return httpx.Response(201, json={"id": term_id, "name": body["name"]})
            if "include" in params:
                wanted = {int(i) for i in params["include"].split(",")}
                found = [(i, n) for i, n in terms.items() if i in wanted]
            else:
                search = params.get("search", "").casefold()
                found = [(i, n) for i, n in terms.items() if search in n.casefold()]
            return httpx.Response(200, json=[{"id": i, "name": n} for i, n in found])
        if route == "/posts" and method == "GET":
            search = params.get("search", "").casefold()
            found = [p for p in self.posts.values() if search in p["title"]["raw"].casefold()]
            return httpx.Response(200, json=found)
        if route == "/posts" and method == "POST":
            self.on_create()
            post = self.add_post(body.get("title", ""), "")
            return httpx.Response(201, json=self._write(post, body))
        if route.startswith("/posts/"):
            post = self.posts.get(int(route.rsplit("/", 1)[1]))
            if post is None:
                body = {"code": "rest_post_invalid_id", "message": "Invalid post ID."}
                return httpx.Response(404, json=body)
            return httpx.Response(200, json=self._write(post, body) if method == "POST" else post)
        return httpx.Response(404, json={"code": "rest_no_route", "message": "No route."})

    def created(self) -> list[tuple[str, str]]:
        """Return the create requests the blog received."""
        return [r for r in self.requests if r == ("POST", "/wp-json/wp/v2/posts")]
