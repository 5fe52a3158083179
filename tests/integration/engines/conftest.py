"""Fixtures for the blog engines' integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.engines.engine_sites import (
    METAWEBLOG,
    EngineSite,
    GhostSite,
    MetaWeblogSite,
    MicropubSiteAdapter,
    WordPressSite,
    XmlRpcSite,
)
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


# The engines of the contract suite (test_contract.py), each marked for the server it needs so
# that `scripts/test.sh --fast` leaves them out. "metaweblog" is XML-RPC with MetaWeblog and
# Movable Type calls only (as a blog that is not WordPress offers), on the same WordPress.
ENGINE_KINDS = [
    pytest.param("wordpress", marks=pytest.mark.wordpress, id="wordpress"),
    pytest.param("xmlrpc", marks=pytest.mark.wordpress, id="xmlrpc"),
    pytest.param(METAWEBLOG, marks=pytest.mark.wordpress, id=METAWEBLOG),
    pytest.param("ghost", marks=pytest.mark.ghost, id="ghost"),
    pytest.param("micropub", marks=pytest.mark.wordpress, id="micropub"),
]


@pytest.fixture(params=ENGINE_KINDS)
def engine_site(request: pytest.FixtureRequest) -> EngineSite:
    """One engine and its real server (started once per session by its own fixture: Ghost and
    Micropub skip with their reason when their install is missing, as their own tests do)."""
    kind = str(request.param)
    if kind == "ghost":
        return GhostSite.on(request.getfixturevalue("ghost"))
    if kind == "micropub":
        return MicropubSiteAdapter.on(request.getfixturevalue("micropub_site"))
    wordpress = request.getfixturevalue("wordpress")
    opener = {"wordpress": WordPressSite, "xmlrpc": XmlRpcSite, METAWEBLOG: MetaWeblogSite}[kind]
    return opener.on(wordpress)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the Micropub site `wordpress` (scripts/test.sh --fast leaves
    them out: the site is a real WordPress)."""
    for item in items:
        if "micropub_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.wordpress)
