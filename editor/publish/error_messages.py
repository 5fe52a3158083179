"""An error as the writer reads it: our own errors say what happened; others never leak text."""

from __future__ import annotations

import logging

from editor.publish.errors import PublishError

log = logging.getLogger(__name__)


def describe_error(error: BaseException, password: str = "") -> str:
    """Return an error as words for the writer; never an unknown error's text, never a password."""
    if isinstance(error, PublishError):
        text = str(error)
    else:
        log.error("unexpected error: %s", type(error).__name__)
        text = f"Something unexpected went wrong ({type(error).__name__}). Try again."
    return text.replace(password, "•••") if password else text
