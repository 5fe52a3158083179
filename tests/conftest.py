"""Test set-up shared by every suite: headless Qt and an isolated library and config per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must see these before it starts: offscreen, and QtWebEngine without the sandbox
# (it refuses to run as root otherwise) and without a GPU.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
# No test may reach the developer's real keyring: tests that need one install an in-memory
# backend (tests/publish/conftest.py) or start a private Secret Service (test_secret_service.py).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the drafts library, every config file and the app's data at a fresh temp folder."""
    library = tmp_path / "library"
    config = tmp_path / "config"
    monkeypatch.setenv("DRAFTPRESS_HOME", str(library))
    monkeypatch.setenv("DRAFTPRESS_CONFIG_DIR", str(config))
    monkeypatch.setenv("DRAFTPRESS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def memory_keyring():
    """Install an in-memory keyring for one test (the real Secret Service has its own test)."""
    import keyring

    from tests.publish.fake_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def wordpress() -> Iterator:
    """A started real WordPress (tests/integration/wordpress_server.py) shared by the whole
    session, by tests/integration and tests/security alike; stopped at its end (also after a
    failure or Ctrl-C). Tell tests apart by unique titles: the site is not reset."""
    from tests.integration.wordpress_server import (
        INSTALL_HINT,
        WordPressServer,
        missing_requirements,
    )

    missing = missing_requirements()
    if missing:
        pytest.fail(
            f"The WordPress integration tests need: {', '.join(missing)}. {INSTALL_HINT}.",
            pytrace=False,
        )
    server = WordPressServer()
    server.start()  # stops what it started before raising
    try:
        yield server
    finally:
        server.stop()
