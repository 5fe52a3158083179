"""A blog's answers, read with care: a cap on their unpacked size, JSON that may be hostile.

A server may send a 100 MB answer, a small gzip answer that unpacks to gigabytes, JSON nested
deeper than Python's parser can follow, or a list where an object belongs. Each of these ends
in a PublishError in plain words, after reading no more than the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from editor.publish import errors

# A JSON object as a blog (or a file of ours) holds it: its fields are checked where read.
JsonObject = dict[str, Any]

MAX_ANSWER_BYTES = 32 * 1024 * 1024  # unpacked; far above any post, listing or media answer
ACCEPT_ENCODING = "gzip, deflate"  # what `read_capped` can unpack
UNPACK_PIECE = 256 * 1024  # unpacked at a time, so a packed answer cannot burst past the cap


class _Inflater:
    """Unpacks one gzip or deflate layer, never producing more than it is allowed."""

    def __init__(self, encoding: str) -> None:
        self._raw_fallback = encoding == "deflate"  # some servers send deflate without header
        self._started = False
        self._unpacker = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header

    def _step(self, data: bytes) -> bytes:
        """Unpack at most one piece from `data` (the rest waits in `unconsumed_tail`)."""
        try:
            out = self._unpacker.decompress(data, UNPACK_PIECE)
        except zlib.error:
            if not (self._raw_fallback and not self._started):
                raise
            self._raw_fallback = False
            self._unpacker = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._unpacker.decompress(data, UNPACK_PIECE)
        self._started = True
        return out

    def unpack(self, data: bytes) -> Iterator[bytes]:
        """Yield what `data` unpacks to, a piece of at most UNPACK_PIECE bytes at a time."""
        while True:
            out = self._step(data)
            yield out
            data = self._unpacker.unconsumed_tail
            if not data and len(out) < UNPACK_PIECE:
                return


def _unpacked(chunk: bytes, layers: list[_Inflater]) -> Iterator[bytes]:
    """Yield a raw chunk unpacked through every layer, piece by piece."""
    if not layers:
        yield chunk
        return
    for piece in layers[0].unpack(chunk):
        yield from _unpacked(piece, layers[1:])


def _layers(response: httpx.Response, action: str) -> list[_Inflater]:
    """Return the unpackers of a response's Content-Encoding, outermost first."""
    header = response.headers.get("content-encoding", "")
    names = [name.strip().lower() for name in header.split(",") if name.strip()]
    layers = []
    for name in reversed(names):
        if name in ("gzip", "x-gzip", "deflate"):
            layers.append(_Inflater("deflate" if name == "deflate" else "gzip"))
        elif name != "identity":
            raise errors.UnexpectedAnswer(
                f"The blog packed its answer ({action}) in a way Draftpress cannot read ({name})."
            )
    return layers


def _too_large(action: str, limit: int) -> errors.AnswerTooLarge:
    """Return the error for an answer over the cap."""
    return errors.AnswerTooLarge(
        f"The blog's answer ({action}) is larger than {limit // (1024 * 1024)} MB once "
        "unpacked, far more than any post needs, so Draftpress stopped reading it. A plugin or "
        "the server may be sending something else than the blog's data."
    )


def read_capped(
    response: httpx.Response, action: str, limit: int = MAX_ANSWER_BYTES
) -> httpx.Response:
    """Read a streamed response's body, unpacked and capped; return it as a read response."""
    if response.is_stream_consumed:  # built in memory (a test transport): read already
        if len(response.content) > limit:
            raise _too_large(action, limit)
        return response
    layers = _layers(response, action)
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            for piece in _unpacked(chunk, layers):
                body += piece
                if len(body) > limit:
                    raise _too_large(action, limit)
    except zlib.error:
        raise errors.UnexpectedAnswer(
            f"The blog's answer ({action}) was packed wrongly and cannot be read."
        ) from None
    headers = response.headers.copy()
    for name in ("content-encoding", "content-length", "transfer-encoding"):
        headers.pop(name, None)
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=bytes(body),
        request=response.request,
        extensions=response.extensions,
    )


def decode_json(response: httpx.Response) -> tuple[bool, Any]:
    """Return (True, the decoded JSON) or (False, None) for broken or too deeply nested data."""
    try:
        return True, response.json()
    except (ValueError, RecursionError):
        return False, None


def json_of(response: httpx.Response, action: str, expect: type | None = None) -> Any:
    """Return a response's JSON; broken data, or data not of the type `expect`, is an error."""
    ok, data = decode_json(response)
    if not ok:
        raise errors.NotJson(f"The blog sent broken data ({action}).")
    if expect is not None and not isinstance(data, expect):
        kind = "a list" if expect is list else "an object"
        raise errors.UnexpectedAnswer(
            f"The blog answered {action} with data Draftpress did not expect (not {kind}). "
            "A plugin may be changing the blog's answers."
        )
    return data


def refused_as_anonymous(response: httpx.Response) -> bool:
    """Tell whether a 400 refused a parameter only because nobody is logged in.

    A wrong application password makes WordPress treat the request as anonymous: asking for
    drafts then fails as "Invalid parameter(s): status", whose details carry 401 (not logged
    in), where a logged-in user without the right gets 403.
    """
    _ok, body = decode_json(response) if response.status_code == 400 else (False, None)
    data = body.get("data") if isinstance(body, dict) else None
    details = data.get("details") if isinstance(data, dict) else None
    if not isinstance(details, dict):
        return False
    return any(
        isinstance(each, dict)
        and isinstance(each.get("data"), dict)
        and each["data"].get("status") == 401
        for each in details.values()
    )


def usable_item(item: Any) -> bool:
    """Tell whether a listed entry is an object with a whole-number id."""
    found = item.get("id") if isinstance(item, dict) else None
    return isinstance(found, int) and not isinstance(found, bool) and found >= 0


def post_id_of(answer: JsonObject, action: str, expected: int | None = None) -> int:
    """Return the id in a post (or media) answer: a positive whole number, `expected` if given."""
    if not usable_item(answer) or answer["id"] == 0:
        raise errors.UnexpectedAnswer(
            f"The blog answered without a usable id while {action}, so Draftpress cannot tell "
            "what it stored. Look at the blog before publishing again."
        )
    found = int(answer["id"])
    if expected is not None and found != expected:
        raise errors.UnexpectedAnswer(
            f"The blog answered with post {found} while {action} (post {expected}). This file "
            f"stays linked to post {expected}; look at both posts on the blog."
        )
    return found


@dataclass(frozen=True)
class PostListing:
    """One page of a listing of posts (or pages) and where it stands in the whole list."""

    items: list[JsonObject]
    total: int  # in the whole list (X-WP-Total)
    total_pages: int  # X-WP-TotalPages
    page: int  # 1-based
    per_page: int
    skipped: int = 0  # entries the blog sent that are not posts (not objects, no id)

    @property
    def first(self) -> int:
        """Return the 1-based number of the first item shown (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """Return the 1-based number of the last item shown (0 when there is none)."""
        return self.first + len(self.items) + self.skipped - 1 if self.items else 0

    def summary(self, noun: str) -> str:
        """Return where this page stands, e.g. "Posts 1–20 of 134" (`noun` is "Posts")."""
        if not self.items:
            return f"No {noun.lower()}"
        return f"{noun} {self.first}–{self.last} of {max(self.total, self.last)}"


def scalar_text(value: Any) -> str:
    """Return a scalar field of an answer as text ("" for null, a boolean or a structure)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    return ""
