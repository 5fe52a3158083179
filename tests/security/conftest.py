"""The hostile-input suite: posts, servers and files that try to make Draftpress misbehave.

Tests that need the real WordPress use the session's `wordpress` fixture (tests/conftest.py: the
same server as tests/integration) and are marked `integration` like the tests there.
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
        if HERE in item.path.parents and "wordpress" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)
