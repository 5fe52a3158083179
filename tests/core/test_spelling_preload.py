"""Start-up reads the spelling dictionary on its own thread; the window then takes it ready.

Real Enchant with the en_US Hunspell dictionary (scripts/system-packages.sh lists it).
"""

from __future__ import annotations

import threading

import pytest

from editor.core import spelling

pytestmark = pytest.mark.skipif(
    "en_US" not in spelling.available_languages(),
    reason="needs Enchant with the en_US Hunspell dictionary",
)


def test_the_preloaded_dictionary_is_read_off_the_calling_thread_and_handed_out_once() -> None:
    opened_on: list[str] = []
    real_open = spelling._open_new_speller

    def recording_open(language: str) -> spelling.Speller | None:
        opened_on.append(threading.current_thread().name)
        return real_open(language)

    spelling._open_new_speller = recording_open  # type: ignore[assignment]
    try:
        spelling.preload_speller("en-US", "de_DE").join(timeout=30)
        preloaded = spelling._preloaded.get("en_US")
        speller = spelling.open_speller("en_US")  # what the window asks for
        again = spelling.open_speller("en_US")  # a second window: a dictionary of its own
    finally:
        spelling._open_new_speller = real_open  # type: ignore[assignment]
        spelling._preloaded.clear()
    assert preloaded is not None and speller is preloaded
    assert opened_on == ["draftpress-spelling-preload", threading.current_thread().name]
    assert again is not None and again is not speller
    assert speller.is_correct("received") and not speller.is_correct("recieved")

