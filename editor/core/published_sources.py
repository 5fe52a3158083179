"""What each post's text was when it was last published, to tell "changed since published".

The blog's record in the post (`remote:`) keeps a hash of what the *blog* stored, which the
library cannot reproduce without rendering and uploading; so a publish also notes here, in the
data folder, a fingerprint of the post's own text (its front matter and body, the `remote:`
record left out: writing the record must not count as a change). A post with no entry (pulled,
copied from another computer, published before this existed, or the data folder lost) is
"not known", never "changed": losing this file costs only the hint.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.core.front_matter import FrontMatterError, with_front_matter_field
from editor.core.process_lock import locked
from editor.core.settings import data_dir

log = logging.getLogger(__name__)

RECORD_FIELD = "remote"
STORE_NAME = "published-sources.json"


def store_path() -> Path:
    """Return the file that holds the fingerprints (in the data folder's publishing folder)."""
    return data_dir() / "publishing" / STORE_NAME


def source_fingerprint(text: str) -> str:
    """Return the fingerprint of a post's text with its `remote:` record left out."""
    text = text.replace("\r\n", "\n")  # a file saved with other line endings is the same post
    try:
        without_record = with_front_matter_field(text, RECORD_FIELD, None)
    except FrontMatterError:
        without_record = text  # unreadable front matter: the whole text, compared as it is
    return hashlib.sha256(without_record.encode("utf-8")).hexdigest()


def _key(path: Path) -> str:
    """Return the store's key for a post file (its absolute path)."""
    return str(path.resolve())


def _read(store: Path) -> dict[str, str]:
    """Return the stored fingerprints (none when the file is missing or unreadable)."""
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("published sources unreadable, starting afresh: %s", error)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def load_fingerprints(store: Path | None = None) -> dict[str, str]:
    """Return every post's fingerprint at its last publish, by absolute path."""
    return _read(store or store_path())


def remember_published(path: Path, text: str, store: Path | None = None) -> None:
    """Note that `text` is what the post at `path` was when it was published just now."""
    store = store or store_path()
    try:
        with locked(store.with_suffix(".lock")):
            entries = _read(store)
            entries[_key(path)] = source_fingerprint(text)
            data = json.dumps(entries, ensure_ascii=False, indent=0, sort_keys=True)
            atomic_write_bytes(store, data.encode("utf-8"))
    except OSError as error:  # only a hint is lost: the publish itself went through
        log.warning("could not note what %s was when published: %s", path, error)


def changed_since_published(
    path: Path, text: str, fingerprints: dict[str, str] | None = None
) -> bool | None:
    """Tell whether the post's text differs from its last publish (None: not known)."""
    known = (fingerprints if fingerprints is not None else load_fingerprints()).get(_key(path))
    if known is None:
        return None
    return source_fingerprint(text) != known
