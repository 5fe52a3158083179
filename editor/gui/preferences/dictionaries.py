"""Which spelling dictionaries are installed (through pyenchant, when it is there)."""

from __future__ import annotations

import importlib
import locale
import logging

log = logging.getLogger(__name__)

NO_SPELLING_LIBRARY = (
    "Spell checking needs the Enchant library and a Hunspell dictionary "
    "(on Debian or Ubuntu: sudo apt install libenchant-2-2 hunspell-en-us)."
)


def installed_dictionaries() -> list[str] | None:
    """Return the installed dictionaries' language tags, or None without a spelling library.

    Reads the dictionary folders: call it off the GUI thread.
    """
    try:
        enchant = importlib.import_module("enchant")
    except Exception as error:  # pyenchant missing, or its C library (ImportError, OSError)
        log.info("no spelling library: %s", error)
        return None
    try:
        return sorted({str(tag) for tag in enchant.list_languages()})
    except Exception as error:  # a broken provider must not break the Preferences window
        log.warning("could not list the spelling dictionaries: %s", error)
        return []


def system_language() -> str:
    """Return the system locale's language tag (e.g. en_GB), or "" when it has none."""
    tag = locale.getlocale(locale.LC_CTYPE)[0] or ""
    return "" if tag in ("C", "POSIX") else tag
