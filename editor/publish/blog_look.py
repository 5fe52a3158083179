"""A blog's look as Draftpress keeps it: the skeleton around a post, its CSS and fonts (no Qt).

Learnt from one published post page (editor.publish.blog_look_learning) and stored per account
in the data folder: `looks/<account>/look.json` (the skeleton, the theme's name, where and when
it was learnt), `styles.css` (every same-origin stylesheet and `<style>` block of the page, in
page order, with each `url()` pointing at a file in `assets/` or emptied) and `assets/`.

The skeleton is the chain of elements from `<body>` down to the element holding the post's
content, and the chain down to the post's title where the page has one: tag, class, id and
style only. Nothing that runs or loads from elsewhere is kept.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from editor.core.settings import data_dir

log = logging.getLogger(__name__)

LOOKS_FOLDER = "looks"
LOOK_FILE = "look.json"
STYLES_FILE = "styles.css"
ASSETS_FOLDER = "assets"
LOOK_VERSION = 1
KEPT_ATTRIBUTES = ("class", "id", "style", "lang", "dir")
# A url() in the stored CSS: an asset the look keeps, written `url("assets/NAME")`.
_ASSET_URL = re.compile(r"""url\(\s*(["']?)assets/([A-Za-z0-9._-]+)\1\s*\)""")
_ASSET_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
}


class LookError(Exception):
    """The look could not be learnt or read; the message is for the writer."""


class PostAddressNeeded(LookError):
    """No published post of the blog could be found by itself: the writer names one's address."""


@dataclass
class SkeletonNode:
    """One element around the post: its tag, kept attributes, and what it holds."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    role: str = ""  # "content": holds the post's body; "title": holds its title
    children: list[SkeletonNode] = field(default_factory=list)

    @classmethod
    def from_json(cls, value: Any) -> SkeletonNode:
        """Read a node (and its children) from look.json; a broken one raises LookError."""
        if not isinstance(value, dict) or not isinstance(value.get("tag"), str):
            raise LookError("The stored look of the blog is damaged. Learn it again.")
        attrs = value.get("attrs") or {}
        return cls(
            tag=value["tag"],
            attrs={str(k): str(v) for k, v in attrs.items() if k in KEPT_ATTRIBUTES},
            role=str(value.get("role") or ""),
            children=[cls.from_json(child) for child in value.get("children") or []],
        )


@dataclass
class BlogLook:
    """What a blog's post page looks like, as stored for one account."""

    account: str
    page_url: str  # the post page it was learnt from
    theme: str  # the theme's name as the page tells it ("" when it does not)
    learnt_at: str  # ISO 8601, UTC
    html_attrs: dict[str, str]
    skeleton: SkeletonNode  # the <body> and the chains down to the content and title
    css: str = ""  # the stored CSS, url()s pointing at assets/
    folder: Path | None = None  # where it is stored (None: not yet)

    def to_json(self) -> dict[str, Any]:
        """Return look.json's content (the CSS and the folder are stored apart)."""
        return {
            "version": LOOK_VERSION,
            "account": self.account,
            "page_url": self.page_url,
            "theme": self.theme,
            "learnt_at": self.learnt_at,
            "html_attrs": self.html_attrs,
            "skeleton": asdict(self.skeleton),
        }


def looks_dir() -> Path:
    """Return the folder holding every account's learnt look."""
    return data_dir() / LOOKS_FOLDER


def _folder_name(account: str) -> str:
    """Return a file-system-safe folder name for an account (its name, escaped)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", lambda m: f"%{ord(m.group()):02X}", account)
    return safe or "%"


def look_folder(account: str) -> Path:
    """Return the folder an account's look is stored in."""
    return looks_dir() / _folder_name(account)


def has_look(account: str) -> bool:
    """Tell whether a look is stored for the account."""
    return (look_folder(account) / LOOK_FILE).is_file()


def last_page_address(account: str) -> str:
    """Return the address of the post page the account's stored look was learnt from ("")."""
    try:
        raw = json.loads((look_folder(account) / LOOK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(raw.get("page_url") or "") if isinstance(raw, dict) else ""


def load_look(account: str) -> BlogLook:
    """Read an account's stored look; LookError when there is none or it is damaged."""
    folder = look_folder(account)
    try:
        raw = json.loads((folder / LOOK_FILE).read_text(encoding="utf-8"))
        css = (folder / STYLES_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LookError(
            f"Draftpress has not learnt the look of {account} yet. Learn it first "
            f"(Blog > Learn the Blog's Look…, or `draftpress blogs look {account}`)."
        ) from None
    except (OSError, ValueError) as error:
        log.warning("unreadable look in %s: %s", folder, error)
        raise LookError(f"The stored look of {account} cannot be read. Learn it again.") from None
    if not isinstance(raw, dict):
        raise LookError(f"The stored look of {account} is damaged. Learn it again.")
    return BlogLook(
        account=str(raw.get("account") or account),
        page_url=str(raw.get("page_url") or ""),
        theme=str(raw.get("theme") or ""),
        learnt_at=str(raw.get("learnt_at") or ""),
        html_attrs={
            str(k): str(v) for k, v in (raw.get("html_attrs") or {}).items() if k in KEPT_ATTRIBUTES
        },
        skeleton=SkeletonNode.from_json(raw.get("skeleton")),
        css=css,
        folder=folder,
    )


def save_look(look: BlogLook, assets: dict[str, bytes]) -> Path:
    """Store a look and its assets, replacing the account's previous one whole.

    Written to a new folder first and swapped in at the end, so a failure keeps the last copy.
    """
    target = look_folder(look.account)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".learning-", dir=target.parent))
    try:
        (staging / ASSETS_FOLDER).mkdir()
        for name, data in assets.items():
            (staging / ASSETS_FOLDER / name).write_bytes(data)
        (staging / STYLES_FILE).write_text(look.css, encoding="utf-8")
        (staging / LOOK_FILE).write_text(
            json.dumps(look.to_json(), indent=1, ensure_ascii=False), encoding="utf-8"
        )
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    look.folder = target
    return target


def css_with_embedded_assets(look: BlogLook) -> str:
    """Return the look's CSS with each stored asset written into it as a data: URL.

    The page then needs no file but itself: a preview or a page saved elsewhere shows the
    blog's fonts, and nothing is fetched from anywhere. A missing asset is emptied.
    """
    folder = look.folder

    def embed(match: re.Match[str]) -> str:
        name = match.group(2)
        path = (folder / ASSETS_FOLDER / name) if folder is not None else None
        try:
            data = path.read_bytes() if path is not None else b""
        except OSError:
            data = b""
        if not data:
            return "url(data:,)"
        suffix = Path(name).suffix.lower()
        kind = (
            _ASSET_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        return f'url("data:{kind};base64,{base64.b64encode(data).decode("ascii")}")'

    return _ASSET_URL.sub(embed, look.css)


def asset_path(look: BlogLook, name: str) -> Path | None:
    """Return where one of the look's stored assets is (None: not stored)."""
    if look.folder is None:
        return None
    path = look.folder / ASSETS_FOLDER / name
    return path if path.is_file() else None


def css_with_linked_assets(look: BlogLook) -> str:
    """Return the look's CSS with each stored asset linked as a local file (file: URL).

    For the preview, which loads the fonts from the data folder instead of carrying them in
    its page; a missing asset is emptied.
    """

    def link(match: re.Match[str]) -> str:
        path = asset_path(look, match.group(2))
        return f'url("{path.resolve().as_uri()}")' if path is not None else "url(data:,)"

    return _ASSET_URL.sub(link, look.css)


def linked_asset_files(look: BlogLook) -> frozenset[Path]:
    """Return the stored asset files the look's CSS names (resolved), for the preview's guard."""
    found = (asset_path(look, match.group(2)) for match in _ASSET_URL.finditer(look.css))
    return frozenset(path.resolve() for path in found if path is not None)
