"""Real servers on 127.0.0.1 for the integration tests: WordPress and Ghost, one per session.

Every test in this folder is marked `integration` (`-m "not integration"` leaves them out). The
packages come from scripts/install-wordpress.sh; without them the tests fail, never skip, so that
CI cannot pass without WordPress. The `wordpress` fixture itself is in tests/conftest.py, so that
the hostile-input suite (tests/security) shares the same server in one session.

The `ghost` fixture (a real Ghost 5 from scripts/install-ghost.sh; see ghost_server.py) is here;
tests that use it are marked `ghost`. Without the install a local run skips them and says why;
under CI (the CI variable set) it fails instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
log = logging.getLogger(__name__)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: needs a real WordPress on 127.0.0.1 (tests/integration)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)
        if "ghost" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ghost)


@pytest.fixture(scope="session")
def ghost() -> Iterator:
    """A started real Ghost 5 with an owner and a custom integration (`admin_key`), shared by
    the session and stopped at its end. Tell tests apart by unique titles: it is not reset."""
    from tests.integration.ghost_server import INSTALL_HINT, GhostServer, missing_install

    missing = missing_install()
    if missing:
        message = f"The Ghost tests need a Ghost install: {missing}. {INSTALL_HINT}."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = GhostServer()
    server.start()  # stops what it started before raising
    log.warning("the test Ghost started in %.1f s", server.start_seconds)
    try:
        yield server
    finally:
        server.stop()
