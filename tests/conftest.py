"""Test set-up shared by every suite: headless Qt and an isolated library and config per test."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.app import prepare_qt_environment
from editor.gui.message_box import use_prompter
from tests.scripted_prompter import ScriptedPrompter

# Qt must see these before it starts: offscreen, and QtWebEngine without the sandbox
# (it refuses to run as root otherwise) and without a GPU.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
prepare_qt_environment()  # the flags the app adds, too (the preview page's collection)
# No test may reach the developer's real keyring: tests that need one install an in-memory
# backend (tests/publish/conftest.py) or start a private Secret Service (test_secret_service.py).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

# The session's own temporary folder (TMPDIR, inherited by the app processes tests start), so
# that the check at the end sees only what this run left, not other programs on the machine.
# pytest's own tmp_path folders stay where they were (kept for a look after a failure).
os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
SESSION_TEMP = Path(tempfile.mkdtemp(prefix="dp-test-session-"))
SESSION_TEMP.chmod(0o711)  # others may pass through (the test WordPress's database runs as mysql)
os.environ["TMPDIR"] = str(SESSION_TEMP)
tempfile.tempdir = None  # gettempdir() asks TMPDIR again



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the real WordPress `wordpress` (whatever its folder)."""
    for item in items:
        if "wordpress" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.wordpress)


def leftover_temp_folders(root: Path) -> list[str]:
    """Return the names of Draftpress's temporary folders (draftpress-*) left in `root`."""
    return sorted(path.name for path in root.glob("draftpress-*"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if it left a Draftpress temporary folder (e.g. a preview's pages) behind."""
    left = leftover_temp_folders(SESSION_TEMP)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (f"the test session left {len(left)} temporary folder(s) in {SESSION_TEMP}: "
                   f"{', '.join(left[:10])}")
        if reporter is not None:
            reporter.write_sep("=", f"ERROR: {message}", red=True)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_TEMP, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the drafts library, every config file and the app's data at a fresh temp folder."""
    library = tmp_path / "library"
    config = tmp_path / "config"
    monkeypatch.setenv("DRAFTPRESS_HOME", str(library))
    monkeypatch.setenv("DRAFTPRESS_CONFIG_DIR", str(config))
    monkeypatch.setenv("DRAFTPRESS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(autouse=True)
def prompter() -> Iterator[ScriptedPrompter]:
    """Answer the window's questions by script (tests/scripted_prompter.py); record messages.

    Set up first and torn down last, so that it also answers while windows close; at the end
    every scripted answer must have been used and no unscripted question asked.
    """
    scripted = ScriptedPrompter()
    previous = use_prompter(scripted)
    try:
        yield scripted
    finally:
        use_prompter(previous)
    scripted.check_finished()


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
