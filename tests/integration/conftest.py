"""A real WordPress on 127.0.0.1 for the integration tests: one per test session.

Every test in this folder is marked `integration` (`-m "not integration"` leaves them out). The
packages come from scripts/install-wordpress.sh; without them the tests fail, never skip, so that
CI cannot pass without WordPress. The `wordpress` fixture itself is in tests/conftest.py, so that
the hostile-input suite (tests/security) shares the same server in one session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: needs a real WordPress on 127.0.0.1 (tests/integration)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)
