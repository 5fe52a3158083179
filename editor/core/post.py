"""A post: one Markdown file with YAML front matter, loaded and saved without losing a byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from editor.core.atomic_file import (
    atomic_write_bytes,
    dangling_link_message,
    describe_os_error,
)
from editor.core.front_matter import (
    FrontMatterError,
    body_of,
    read_front_matter,
)
from editor.core.slug import slugify
from editor.core.text_encoding import (
    UTF8,
    UnencodableText,
    bom_bytes,
    encode_text,
    encoding_label,
    guess_legacy_encoding,
    sniff_bom,
)

log = logging.getLogger(__name__)

BOM = "\ufeff"
STATUSES = ("draft", "publish", "future", "pending", "private")


class PostFileError(Exception):
    """A post file that cannot be read or written; the message is in the writer's words."""


class SaveConflict(PostFileError):
    """The file changed on disk since it was loaded; saving would overwrite someone's work."""


class NotUtf8(PostFileError):
    """A text file that is not UTF-8: open it only once the writer has chosen its encoding."""

    def __init__(self, message: str, guess: str, sample: bytes) -> None:
        super().__init__(message)
        self.guess = guess  # the likely encoding (a codec name)
        self.sample = sample  # the first bytes, to show the text in a chosen encoding


class CannotEncode(PostFileError):
    """The text holds a character the file's encoding cannot store; nothing was written."""

    def __init__(self, message: str, codec: str) -> None:
        super().__init__(message)
        self.codec = codec


@dataclass(frozen=True)
class FileFingerprint:
    """What a file looked like when we last read or wrote it."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of_bytes(cls, path: Path, data: bytes) -> FileFingerprint:
        """Fingerprint `data` as just read from or written to `path`."""
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class PostMeta:
    """The front matter fields Draftpress knows, as plain Python values."""

    title: str = ""
    slug: str = ""
    date: str = ""
    status: str = "draft"
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    excerpt: str = ""
    featured_image: str = ""
    blog: str = ""
    sticky: bool | None = None  # None: the front matter does not say (leave the blog's flag)
    word_goal: int = 0  # `goal:` the words the writer means to write (0: none); not published


def _as_text(value: Any) -> str:
    """Return a front matter scalar as display text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _as_list(value: Any) -> list[str]:
    """Return a front matter list (or a comma-separated string) as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [_as_text(item) for item in value if _as_text(item)]
    return [_as_text(value)]


def _as_flag(value: Any) -> bool | None:
    """Return a front matter yes/no value as a bool, or None when it is not one."""
    if isinstance(value, bool):
        return value
    words = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
    return words.get(str(value).strip().lower()) if value is not None else None


def _as_count(value: Any) -> int:
    """Return a front matter whole number of at least 0 (0 when it is none)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, value)
    text = str(value).strip().replace(",", "").replace("_", "") if value is not None else ""
    return int(text) if text.isdigit() else 0


def meta_from_text(text: str) -> PostMeta:
    """Read the known fields of a document's front matter (raises FrontMatterError if broken)."""
    return meta_from_data(read_front_matter(text))


def meta_from_data(data: Mapping[str, Any]) -> PostMeta:
    """Read the known fields of parsed front matter."""
    return PostMeta(
        title=_as_text(data.get("title")),
        slug=_as_text(data.get("slug")),
        date=_as_text(data.get("date")),
        status=_as_text(data.get("status")) or "draft",
        tags=_as_list(data.get("tags")),
        categories=_as_list(data.get("categories")),
        excerpt=_as_text(data.get("excerpt")),
        featured_image=_as_text(data.get("featured_image")),
        blog=_as_text(data.get("blog")),
        sticky=_as_flag(data.get("sticky")),
        word_goal=_as_count(data.get("goal")),
    )


def effective_slug(meta: PostMeta) -> str:
    """Return the post's slug: the one in the front matter, else one made from the title."""
    return meta.slug or slugify(meta.title)


def _detect_newline(text: str) -> str:
    """Return the file's line ending: CRLF when most lines end in it, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _mixes_newlines(text: str) -> bool:
    """Tell whether some lines end in CRLF and others in a bare LF."""
    crlf = text.count("\r\n")
    return 0 < crlf < text.count("\n")


@dataclass(frozen=True)
class Post:
    """A post's full text (LF line endings in memory) and how its file is encoded on disk."""

    text: str
    path: Path | None = None
    newline: str = "\n"
    bom: bool = False
    fingerprint: FileFingerprint | None = None
    encoding: str = UTF8  # the codec the file is written in (kept on save unless converted)
    mixed_newlines: bool = False  # the file mixed CRLF and LF; an edited save uses `newline`
    # The file's bytes and the text they decoded to: unedited text is written back unchanged.
    source_bytes: bytes | None = field(default=None, repr=False, compare=False)
    source_text: str | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """Return the Markdown after the front matter."""
        return body_of(self.text)

    def meta(self) -> PostMeta:
        """Return the known front matter fields (raises FrontMatterError if broken)."""
        return meta_from_text(self.text)

    def front_matter_problem(self) -> str | None:
        """Return what is wrong with the front matter, or None when it reads fine."""
        try:
            read_front_matter(self.text)
        except FrontMatterError as error:
            return str(error)
        return None

    def to_bytes(self) -> bytes:
        """Encode the post as it goes to disk: its own encoding, line endings and BOM.

        Text unchanged since it was read is written back as the very bytes that were read
        (a file mixing line endings stays as it was). Raises CannotEncode for a character the
        file's encoding cannot hold.
        """
        if self.source_bytes is not None and self.text == self.source_text:
            return self.source_bytes
        text = self.text.replace("\n", self.newline) if self.newline != "\n" else self.text
        try:
            encoded = encode_text(text, self.encoding)
        except UnencodableText as error:
            raise CannotEncode(str(error), self.encoding) from error
        return (bom_bytes(self.encoding) if self.bom else b"") + encoded

    def converted_to_utf8(self) -> Post:
        """Return the post set to be written as UTF-8 (without BOM) from its next save."""
        return replace(self, encoding=UTF8, bom=False, source_bytes=None, source_text=None)

    def encoding_name(self) -> str:
        """Return the file's encoding as a writer reads it, e.g. 'UTF-16 LE (with BOM)'."""
        label = encoding_label(self.encoding)
        return f"{label} with BOM" if self.bom else label

    def with_text(self, text: str) -> Post:
        """Return the same post holding new text."""
        return replace(self, text=text)


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, bool, str]:
    """Decode a file's bytes into (text with its own line endings, bom, codec)."""
    sniffed = sniff_bom(data)
    if sniffed is None and b"\x00" in data[:8192]:
        raise PostFileError(f"“{name}” looks like a binary file, not a Markdown post.")
    codec = sniffed.codec if sniffed is not None else (encoding or UTF8)
    skip = sniffed.bom_length if sniffed is not None else 0
    try:
        raw = data[skip:].decode(codec)
    except UnicodeDecodeError as error:
        if encoding is None and sniffed is None:
            guess = guess_legacy_encoding(data)
            raise NotUtf8(
                f"“{name}” is not UTF-8 text (an unreadable byte at position {error.start}). "
                f"It looks like {encoding_label(guess)}.",
                guess,
                data[:4096],
            ) from error
        raise PostFileError(
            f"“{name}” cannot be read as {encoding_label(codec)} "
            f"(an unreadable byte at position {error.start + skip})."
        ) from error
    if "\x00" in raw[:8192]:
        raise PostFileError(f"“{name}” looks like a binary file, not a Markdown post.")
    if sniffed is None and codec != UTF8 and raw.encode(codec, errors="replace") != data:
        raise PostFileError(
            f"“{name}” reads as {encoding_label(codec)}, but would not be saved back exactly "
            "the same. Choose another encoding."
        )
    return raw, sniffed is not None, codec


def decode_post_bytes(
    data: bytes, name: str, encoding: str | None = None
) -> tuple[str, str, bool, str]:
    """Decode a file's bytes into (LF text, newline, bom, codec), or explain why it cannot.

    Without `encoding`: a BOM names the encoding, else the file must be UTF-8; a file that is
    not raises NotUtf8 carrying the likely encoding, so the writer can be asked first.
    """
    raw, bom, codec = _decode(data, name, encoding)
    return raw.replace("\r\n", "\n"), _detect_newline(raw), bom, codec


def post_from_bytes(path: Path, data: bytes, encoding: str | None = None) -> Post:
    """Make the Post for bytes just read from `path` (see decode_post_bytes for errors)."""
    raw, bom, codec = _decode(data, path.name, encoding)
    text = raw.replace("\r\n", "\n")
    return Post(
        text,
        path,
        _detect_newline(raw),
        bom,
        FileFingerprint.of_bytes(path, data),
        encoding=codec,
        mixed_newlines=_mixes_newlines(raw),
        source_bytes=data,
        source_text=text,
    )


def load_post(path: Path, encoding: str | None = None) -> Post:
    """Read a post file; raises PostFileError with a clear message for what is not a post.

    `encoding` is the codec the writer chose for a file that is not UTF-8 (see NotUtf8).
    """
    path = Path(path)
    if path.is_dir():
        raise PostFileError(f"“{path.name}” is a folder, not a post. Choose a .md file.")
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        dangling = dangling_link_message(path)
        if dangling is not None:
            raise PostFileError(dangling) from error
        raise PostFileError(f"“{path.name}” does not exist (any more) in {path.parent}.") from error
    except PermissionError as error:
        raise PostFileError(f"Draftpress is not allowed to read “{path.name}”.") from error
    except OSError as error:
        raise PostFileError(f"Could not read “{path.name}”: {error.strerror or error}.") from error
    return post_from_bytes(path, data, encoding)


def changed_on_disk(post: Post) -> bool:
    """Tell whether the post's file now holds other bytes than were loaded or last saved.

    The content is compared, not the size and time: a copy made with `cp -p` keeps both.
    """
    if post.path is None or post.fingerprint is None:
        return False
    try:
        current = hashlib.sha256(post.path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return current != post.fingerprint.sha256


def save_post(post: Post, path: Path | None = None, *, force: bool = False) -> Post:
    """Write the post atomically and return it with its new fingerprint.

    Raises SaveConflict when the file changed on disk since it was loaded (unless `force`),
    and PostFileError when the disk refuses the write (the old file is then untouched).
    """
    target = Path(path) if path is not None else post.path
    if target is None:
        raise PostFileError("This post has no file yet: choose where to save it.")
    same_file = post.path is not None and os.path.abspath(target) == os.path.abspath(post.path)
    if same_file and not force and changed_on_disk(post):
        raise SaveConflict(
            f"“{target.name}” was changed by another program since you opened it. "
            "Saving now would overwrite those changes."
        )
    data = post.to_bytes()
    try:
        atomic_write_bytes(target, data)
        fingerprint = FileFingerprint.of_bytes(target, data)
    except OSError as error:
        raise PostFileError(str(error.strerror or describe_os_error(error, target))) from error
    log.info("saved %s", target)
    rewritten = data is not post.source_bytes  # re-encoded: every line now ends in `newline`
    return replace(
        post,
        path=target,
        fingerprint=fingerprint,
        source_bytes=data,
        source_text=post.text,
        mixed_newlines=post.mixed_newlines and not rewritten,
    )


def new_post_text(title: str, date: dt.date, status: str = "draft") -> str:
    """Return the text of a fresh post with its front matter filled in."""
    # JSON strings are valid YAML double-quoted scalars: backslashes and control characters
    # are escaped, and a slug such as "true" or "1e3" stays a string.
    title_yaml = json.dumps(title, ensure_ascii=False)
    slug_yaml = json.dumps(slugify(title), ensure_ascii=False)
    return (
        f"---\ntitle: {title_yaml}\nslug: {slug_yaml}\ndate: {date.isoformat()}\n"
        f'status: {status}\ntags: []\ncategories: []\nexcerpt: ""\n---\n\n'
    )
