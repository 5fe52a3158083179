"""Publishing unit tests: an in-memory keyring so no test touches the machine's real one."""

from __future__ import annotations

import keyring
import pytest

from tests.publish.fake_keyring import MemoryKeyring


@pytest.fixture
def memory_keyring():
    """Install an in-memory keyring for one test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
