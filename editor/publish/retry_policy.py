"""When a request to the blog may simply be sent again, and how long to wait first (pure)."""

from __future__ import annotations

import email.utils
import random
import re
import time
from dataclasses import dataclass

# Answers that say "the gateway or the blog is busy or restarting; the request did not happen
# or may be repeated": a 500 is WordPress failing at the request itself, so it is not retried.
RETRY_STATUSES = frozenset({502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_ITEM_ROUTE = re.compile(r"/\d+/?$")  # /wp/v2/posts/123: one known item


def is_idempotent(method: str, route: str) -> bool:
    """Tell whether sending a request twice has the same effect as sending it once.

    WordPress updates with POST to an item's route (`/wp/v2/posts/123`); with the same payload
    that is idempotent. A POST to a collection (`/wp/v2/posts`, `/wp/v2/media`, `/wp/v2/tags`)
    creates something each time, so it is not.
    """
    method = method.upper()
    if method in IDEMPOTENT_METHODS:
        return True
    return method in ("POST", "PATCH") and bool(_ITEM_ROUTE.search(route.split("?", 1)[0]))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Return the wait a `Retry-After` header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently idempotent requests are sent again after a transient fault."""

    tries: int = 3  # attempts in all, the first one included
    base_delay: float = 0.5  # before the second attempt; doubled for each further one
    max_delay: float = 4.0  # no single wait is longer (a longer Retry-After means give up)
    total_cap: float = 8.0  # no more waiting once the waits would pass this many seconds
    jitter: float = 0.25  # each wait varies by up to this fraction, so clients spread out

    def delay(
        self,
        attempt: int,
        waited: float,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Return how long to wait before attempt `attempt + 1`, or None to give up.

        `attempt` counts the attempts made so far (1 after the first), `waited` the seconds
        already spent waiting between them.
        """
        if attempt >= self.tries:
            return None
        if retry_after is not None:
            wait = retry_after
            if wait > self.max_delay:
                return None  # the blog asks for longer than a writer should watch a spinner
        else:
            wait = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
            spread = (rng or random).uniform(-self.jitter, self.jitter)
            wait = max(0.0, wait * (1 + spread))
        if waited + wait > self.total_cap:
            return None
        return wait


NO_RETRY = RetryPolicy(tries=1)
DEFAULT_RETRY = RetryPolicy()
