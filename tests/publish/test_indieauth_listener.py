"""The IndieAuth loopback listener on a real socket: only the expected path and state end the
wait, and the wait is bounded. (The whole sign-in against the real IndieAuth plugin:
tests/integration/engines/test_indieauth.py.)"""

from __future__ import annotations

import threading

import httpx
import pytest

from editor.publish import errors
from editor.publish.engines.indieauth import SignIn


def test_listener_ignores_other_paths_and_forged_state() -> None:
    """Only the expected path with the right state ends the wait; the time is bounded."""
    sign_in = SignIn("https://example.com/", "https://example.com/auth")
    port = sign_in.redirect_uri.split(":")[2].split("/")[0]
    base = f"http://127.0.0.1:{port}"
    results: list[object] = []

    def wait() -> None:
        try:
            results.append(sign_in.wait_for_code(20))
        except errors.PublishError as error:
            results.append(error)

    waiting = threading.Thread(target=wait)
    waiting.start()
    with httpx.Client(trust_env=False, timeout=10) as browser:
        assert browser.get(base + "/other?code=x&state=" + sign_in.state).status_code == 404
        assert browser.get(base + "/indieauth/callback?code=x&state=forged").status_code == 200
        ok = browser.get(f"{base}/indieauth/callback?code=good&state={sign_in.state}")
        assert ok.status_code == 200
    waiting.join(30)
    assert results == ["good"]


def test_listener_gives_up_in_time() -> None:
    sign_in = SignIn("https://example.com/", "https://example.com/auth")
    with pytest.raises(errors.Timeout):
        sign_in.wait_for_code(1.0)
