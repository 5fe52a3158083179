"""Spelling dictionaries: Hunspell through pyenchant, the personal word list, languages (no Qt).

`open_speller(language)` gives a `Speller` for a language tag (`en-GB`, `de`, `fr_FR`), with the
writer's personal word list (`personal_words_path()`, in the data folder, shared by every post
and language) added. Words are answered from a cache, so a screen checked again costs only
dictionary look-ups of new words. Without the enchant library or any dictionary,
`spelling_unavailable()` says so in the writer's words, with how to install one.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from editor.core.front_matter import FrontMatterError, read_front_matter
from editor.core.settings import data_dir

log = logging.getLogger(__name__)

PERSONAL_WORDS_FILE = "personal-words.txt"
FALLBACK_LANGUAGE = "en_US"
INSTALL_HINT = {
    "linux": "install a Hunspell dictionary (on Debian or Ubuntu: sudo apt install "
    "hunspell-en-us libenchant-2-2) and restart Draftpress",
    "darwin": "install Enchant with a Hunspell dictionary (brew install enchant hunspell) "
    "and restart Draftpress",
    "win32": "put a Hunspell dictionary (en_US.dic and en_US.aff) in "
    "%APPDATA%\\enchant\\hunspell and restart Draftpress",
}
_CACHE_LIMIT = 200_000  # words remembered per speller before the cache starts afresh

# Words the writer chose to ignore, for as long as the app runs (every window, every language).
ignored_this_session: set[str] = set()

# Dictionaries opened ahead of use by `preload_speller` (start-up, on a thread of its own), each
# handed out once by `open_speller`. Enchant is used under this lock while a preload may run
# (its broker is not known to be thread-safe): the window's first calls wait for the preload.
_preloaded: dict[str, Speller | None] = {}
_preloading = threading.RLock()


def personal_words_path() -> Path:
    """Return the writer's personal word list (one word a line), shared by every post."""
    return data_dir() / "spelling" / PERSONAL_WORDS_FILE


def bundled_dictionaries() -> Path | None:
    """Return the standalone app's own dictionary folder (`enchant/hunspell`), if it has one."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or bundle is None:
        return None
    folder = Path(bundle) / "enchant" / "hunspell"
    return folder if folder.is_dir() else None


def _use_bundled_dictionaries() -> None:
    """In the standalone app, let Enchant find the dictionaries it ships (build_app.py).

    Enchant's Hunspell provider looks in <config dir>/hunspell, the config dir being
    $ENCHANT_CONFIG_DIR, else ~/.config/enchant. The bundle's folder is used only when the
    writer set no config dir and has no dictionaries of their own there, so nothing is hidden;
    the system's dictionaries (/usr/share/hunspell) are found either way.
    """
    folder = bundled_dictionaries()
    if folder is None or "ENCHANT_CONFIG_DIR" in os.environ:
        return
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    if (Path(xdg) / "enchant" / "hunspell").is_dir():
        return
    os.environ["ENCHANT_CONFIG_DIR"] = str(folder.parent)


@cache
def _enchant() -> ModuleType | None:
    """Import pyenchant once; None (and a log line) when the Enchant library is missing."""
    _use_bundled_dictionaries()
    try:
        import enchant  # type: ignore[import-untyped]  # pyenchant ships no types
    except (ImportError, OSError) as error:
        log.warning("spell checking unavailable: %s", error)
        return None
    module: ModuleType = enchant
    return module


def available_languages() -> list[str]:
    """Return the dictionary tags Enchant can open (`en_US`, `de_DE`, ...), sorted."""
    with _preloading:
        enchant = _enchant()
        if enchant is None:
            return []
        try:
            return sorted(set(enchant.list_languages()))
        except Exception as error:  # noqa: BLE001 (a broken provider must not stop the editor)
            log.warning("could not list dictionaries: %s", error)
            return []


def spelling_unavailable() -> str | None:
    """Return why spelling cannot be checked and how to fix it, or None when it can."""
    if available_languages():
        return None
    hint = INSTALL_HINT.get(sys.platform, INSTALL_HINT["linux"])
    if _enchant() is None:
        return f"Spell checking is off: the Enchant library is missing; {hint}."
    return f"Spell checking is off: no dictionary is installed; {hint}."


def dictionary_for(wanted: str, available: Iterable[str]) -> str | None:
    """Return the available dictionary for a language tag (`en-GB` -> `en_GB`, `de` -> `de_DE`).

    An exact match wins, then the language's own country (`de_DE`, `fr_FR`, `en_US`), then the
    language alone, then any country; None when no dictionary has the language.
    """
    tags = list(available)
    tag = wanted.strip().replace("-", "_")
    if not tag:
        return None
    by_lower = {t.lower(): t for t in tags}
    if tag.lower() in by_lower:
        return by_lower[tag.lower()]
    language = tag.split("_")[0].lower()
    preferred = "en_us" if language == "en" else f"{language}_{language}"
    for choice in (preferred, language):
        if choice in by_lower:
            return by_lower[choice]
    same = sorted(t for t in tags if t.split("_")[0].lower() == language)
    return same[0] if same else None


def choose_dictionary(post_language: str | None, setting: str, system: str) -> str | None:
    """Return the dictionary to check a post with: its `lang:`, else the setting, else the system's.

    Falls back to English, then to any dictionary; None when there is none at all.
    """
    available = available_languages()
    for wanted in (post_language, setting, system, FALLBACK_LANGUAGE):
        if wanted:
            found = dictionary_for(wanted, available)
            if found is not None:
                return found
    return available[0] if available else None


def post_language(front_matter_text: str) -> str | None:
    """Return the `lang:` (or `language:`) of a post's front matter, if it names one."""
    if "lang" not in front_matter_text:
        return None
    try:
        meta = read_front_matter(front_matter_text)
    except (FrontMatterError, ValueError) as error:
        log.debug("front matter unreadable for its language: %s", error)
        return None
    for key in ("lang", "language"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def language_name(tag: str) -> str:
    """Return a writer's name for a dictionary tag (`en_GB` -> `English (GB)`)."""
    names = {
        "en": "English",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "it": "Italian",
        "nl": "Dutch",
        "pt": "Portuguese",
        "sv": "Swedish",
        "da": "Danish",
        "pl": "Polish",
        "nb": "Norwegian",
        "fi": "Finnish",
        "cs": "Czech",
        "ru": "Russian",
    }
    language, _, country = tag.partition("_")
    name = names.get(language.lower(), language)
    return f"{name} ({country})" if country else name


@dataclass
class Speller:
    """One dictionary with the personal word list: checks words (cached), suggests, learns."""

    language: str
    _dictionary: object
    _known: dict[str, bool] = field(default_factory=dict)

    def is_correct(self, word: str) -> bool:
        """Tell whether `word` is spelt right (or ignored this session)."""
        known = self._known.get(word)
        if known is None:
            if len(self._known) > _CACHE_LIMIT:
                self._known.clear()
            plain = word.replace("’", "'")
            known = plain in ignored_this_session or bool(self._dictionary.check(plain))  # type: ignore[attr-defined]
            self._known[word] = known
        return known

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Return up to `limit` corrections for `word`, best first."""
        try:
            found = self._dictionary.suggest(word.replace("’", "'"))  # type: ignore[attr-defined]
        except Exception as error:  # noqa: BLE001 (a provider's failure: no suggestions)
            log.warning("no suggestions for %r: %s", word, error)
            return []
        if "’" in word:
            found = [s.replace("'", "’") for s in found]
        return [str(s) for s in found[:limit]]

    def add_to_personal(self, word: str) -> None:
        """Add `word` to the personal word list (the file, for every post from now on)."""
        path = personal_words_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._dictionary.add(word.replace("’", "'"))  # type: ignore[attr-defined]
        self._known[word] = True

    def learn(self, word: str) -> None:
        """Accept `word` in this dictionary for now (another speller put it in the list)."""
        self._dictionary.add_to_session(word.replace("’", "'"))  # type: ignore[attr-defined]
        self._known[word] = True

    def forget(self, word: str) -> None:
        """Forget the cached answer for `word` (it was ignored through another speller)."""
        self._known.pop(word, None)

    def ignore(self, word: str) -> None:
        """Accept `word` until the app quits (every window, every language)."""
        ignored_this_session.add(word.replace("’", "'"))
        self._known[word] = True


def preload_speller(setting: str, system: str) -> threading.Thread:
    """Open, on a thread of its own, the dictionary a post without `lang:` will be checked with.

    Start-up calls it before the window is built: importing Enchant and reading a Hunspell
    dictionary (about 50 ms, mostly in C, which lets the interpreter go) then overlap with the
    window's own work, and the window's `open_speller` takes the dictionary ready. Returns the
    started thread.
    """

    def load() -> None:
        with _preloading:
            tag = choose_dictionary(None, setting, system)
            if tag is not None and tag not in _preloaded:
                _preloaded[tag] = _open_new_speller(tag)

    thread = threading.Thread(target=load, name="draftpress-spelling-preload", daemon=True)
    thread.start()
    return thread


def open_speller(language: str) -> Speller | None:
    """Open the dictionary `language` with the personal word list; None when it cannot.

    A dictionary opened ahead by `preload_speller` is taken (waiting while it is being read).
    """
    with _preloading:
        if language in _preloaded:
            return _preloaded.pop(language)
        return _open_new_speller(language)


def _open_new_speller(language: str) -> Speller | None:
    """Open the dictionary `language` now (see `open_speller`)."""
    enchant = _enchant()
    if enchant is None:
        return None
    path = personal_words_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        dictionary = enchant.DictWithPWL(language, str(path))
    except OSError as error:  # the data folder is not writable: check without the list
        log.warning("personal word list %s unusable: %s", path, error)
        try:
            dictionary = enchant.Dict(language)
        except Exception as inner:  # noqa: BLE001
            log.warning("dictionary %s unavailable: %s", language, inner)
            return None
    except Exception as error:  # noqa: BLE001 (enchant's DictNotFoundError and C errors)
        log.warning("dictionary %s unavailable: %s", language, error)
        return None
    log.info("spelling checked with the %s dictionary", language)
    return Speller(language, dictionary)
