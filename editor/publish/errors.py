"""Publishing errors, each with a message a writer can act on (and never a password)."""

from __future__ import annotations

from typing import Any


class PublishError(Exception):
    """Something stopped a publish; `str()` is one or two sentences for the writer."""

    retry_safe = False  # True when simply trying again later is the fix
    code = ""  # WordPress's error code, when the blog answered with one
    data: dict[str, Any] = {}  # noqa: RUF012  (replaced per instance, never mutated)


class NoNetwork(PublishError):
    """The blog could not be reached at all."""

    retry_safe = True


class Unreachable(NoNetwork):
    """No connection could be made at all (refused, no route, no DNS, connect timeout).

    Nothing reached the blog, so the publish can wait in the outbox and be sent later.
    """


class ConnectionBroken(NoNetwork):
    """The connection broke off in the middle of a request (reset, closed, half an answer).

    What reached the blog is unknown; the publish journal finds what it made on the next try,
    so the publish can wait in the outbox like one that never reached the blog.
    """


class PlainHttpRefused(PublishError):
    """The password would travel unencrypted (http:// to another machine) unconfirmed."""


class Timeout(PublishError):
    """The blog took too long to answer."""

    retry_safe = True


class WrongCredentials(PublishError):
    """The user name or application password was refused."""


class NotAllowed(PublishError):
    """The account may not do this (e.g. an author creating categories)."""


class ApiUnavailable(PublishError):
    """The blog's REST API is disabled, blocked or missing."""


class NotJson(PublishError):
    """The server answered with a web page where JSON was expected (firewall, login page)."""


class UploadTooLarge(PublishError):
    """The server refused an upload for its size."""


class ServerError(PublishError):
    """The blog failed (5xx) or answered in a way Draftpress did not expect."""

    retry_safe = True


class NotFound(PublishError):
    """The post or media item is not on the blog (any more)."""


class CertificateProblem(PublishError):
    """The blog's TLS certificate could not be verified."""


class EditedOnServer(PublishError):
    """The post was changed on the blog since Draftpress last published it.

    It carries the blog's current content (`content.raw`) and its fingerprint, so that the
    writer can see and merge the blog's changes without asking the blog again.
    """

    def __init__(
        self, message: str, server_modified_gmt: str = "", server_content: str | None = None
    ) -> None:
        super().__init__(message)
        self.server_modified_gmt = server_modified_gmt
        self.server_content = server_content


class KeyringUnavailable(PublishError):
    """No usable OS keyring to keep the password in."""


class ImageOutsideFolder(PublishError):
    """The post names local files outside its folder; none of them is uploaded."""


class BlogMoved(PublishError):
    """The blog redirects to another address (scheme, host or port): the writer decides."""


class UnverifiedRecord(PublishError):
    """The file's `remote:` record names a blog post Draftpress cannot tell it published from
    this file (no `blog:`, another blog, or the blog's content is not what it last sent)."""

    def __init__(self, message: str, title: str = "", post_id: int | None = None) -> None:
        super().__init__(message)
        self.title = title
        self.post_id = post_id


class Cancelled(PublishError):
    """The writer cancelled, or Draftpress is closing, while the blog was being asked."""


class AnswerTooSlow(Timeout):
    """The blog did not finish answering one request within its total deadline.

    Not tried again at once: a server that trickles its answer would only trickle again.
    """


class AnswerTooLarge(PublishError):
    """The blog's answer is larger than any blog data, once unpacked."""


class UnexpectedAnswer(PublishError):
    """The blog answered with data of the wrong shape (a list for an object, another post)."""
