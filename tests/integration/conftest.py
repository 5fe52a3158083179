"""A real WordPress on 127.0.0.1 for the integration tests: one per test session.

Every test in this folder is marked `integration` (`-m "not integration"` leaves them out). The
packages come from scripts/install-wordpress.sh; without them the tests fail, never skip, so that
CI cannot pass without WordPress.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.wordpress_server import (
    INSTALL_HINT,
    WordPressServer,
    missing_requirements,
)

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: needs a real WordPress on 127.0.0.1 (tests/integration)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressServer]:
    """A started WordPressServer shared by the whole session; stopped at its end (also after
    a failure or Ctrl-C). Tell tests apart by unique titles: the site is not reset."""
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
