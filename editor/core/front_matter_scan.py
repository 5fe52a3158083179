"""Quick reading of front matter for long lists (the library of thousands of posts).

The round-trip parser (editor/core/front_matter.py) keeps comments and quoting for editing, and
costs about a millisecond and a half per post; a list of 10,000 posts needs far less. This reads
the same YAML with libyaml's base loader, which builds every scalar as its own text (no YAML 1.1
guessing: `yes` stays "yes", as the YAML 1.2 round-trip parser reads it). Whatever it cannot
read plainly it leaves to the round-trip parser (returns None), so what the list shows never
differs from what the editor reads.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from types import ModuleType
from typing import Any

from editor.core.front_matter import split_front_matter

log = logging.getLogger(__name__)

# Scalars the YAML 1.2 parser may read as something else than their text (null, booleans,
# numbers: `1.50` is 1.5): the round-trip parser decides for these (quoted or not).
_NOT_PLAIN = re.compile(r"[-+.0-9~]|(?:null|true|false)$", re.IGNORECASE)
_SHOWN_FIELDS = ("title", "status", "tags")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.cache
def _yaml() -> tuple[ModuleType, Any]:
    """Return PyYAML and its base loader (libyaml's when the wheel has it), imported when
    first needed (the library's listing reads posts on a worker), not with the window."""
    import yaml

    return yaml, getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _plain_text(value: Any) -> bool:
    """Tell whether a scalar reads as this same text in both parsers."""
    return isinstance(value, str) and value != "" and not _NOT_PLAIN.match(value)


def _plain(value: Any) -> bool:
    """Tell whether a field's value reads the same as text in both parsers."""
    if isinstance(value, list):
        return all(_plain_text(item) for item in value)
    return value is None or _plain_text(value)


def _plain_date(value: Any) -> bool:
    """Tell whether a date reads as the same day in both parsers (an ISO date, or none)."""
    if value is None:
        return True
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def scan_front_matter(text: str) -> dict[str, Any] | None:
    """Return the front matter of `text` read quickly, or None when only the full parser may say.

    Returns {} for a document without front matter.
    """
    split = split_front_matter(text)
    if split.yaml_text is None or not split.yaml_text.strip():
        return {}
    if "!" in split.yaml_text or "\t" in split.yaml_text:  # tags or tabs: the full parser decides
        return None
    yaml, loader = _yaml()
    try:
        data = yaml.load(split.yaml_text, Loader=loader)  # noqa: S506 (the base loader builds only text, lists and mappings)
    except yaml.YAMLError:
        return None  # the full parser gives the writer its message
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        return None
    if not all(_plain(data.get(key)) for key in _SHOWN_FIELDS) or not _plain_date(data.get("date")):
        return None
    return data
