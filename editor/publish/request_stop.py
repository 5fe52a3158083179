"""The app-wide stop of blog requests: set when Draftpress quits, checked by every request.

Kept apart from `request_limits` (which brings httpx) so that start-up can allow requests and
connect the stop to quitting without importing the blog clients.
"""

from __future__ import annotations

import threading

STOPPING = threading.Event()  # set: Draftpress is closing, every request ends


def stop_all_requests() -> None:
    """End every request in flight (within a slice) and refuse new ones: Draftpress is closing."""
    STOPPING.set()


def allow_requests() -> None:
    """Allow requests again (a new start of the app, or the next test)."""
    STOPPING.clear()
