"""Fixtures for the blog engines' integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.engines.micropub_site import MicropubSite


@pytest.fixture(scope="session")
def micropub_site() -> Iterator[MicropubSite]:
    """A real Micropub server (a second WordPress with the Micropub and IndieAuth plugins) for
    the whole session; skipped with the reason when the plugins are not on this machine."""
    from tests.integration.engines.micropub_site import missing_plugins, start_micropub_site
    from tests.integration.wordpress_server import INSTALL_HINT, missing_requirements

    absent = missing_plugins()
    if absent:
        pytest.skip(absent)
    missing = missing_requirements()
    if missing:
        pytest.fail(f"The Micropub tests need: {', '.join(missing)}. {INSTALL_HINT}.")
    site = start_micropub_site()
    try:
        yield site
    finally:
        site.server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the Micropub site `wordpress` (scripts/test.sh --fast leaves
    them out: the site is a real WordPress)."""
    for item in items:
        if "micropub_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.wordpress)
