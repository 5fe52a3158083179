"""YAML front matter: find it in a document, read it, and change one field keeping the rest."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

_OPEN_FENCE = re.compile(r"---[ \t]*\n")
_CLOSE_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE)


class FrontMatterError(ValueError):
    """The front matter is not valid YAML mapping; the message says where and why."""


@dataclass(frozen=True)
class FrontMatterSplit:
    """Where the front matter is in a document: its YAML text and the offset the body starts at."""

    yaml_text: str | None
    body_start: int


def split_front_matter(text: str) -> FrontMatterSplit:
    """Find a leading `---` ... `---` block; documents without one are all body."""
    opening = _OPEN_FENCE.match(text)
    if not opening:
        return FrontMatterSplit(None, 0)
    closing = _CLOSE_FENCE.search(text, opening.end())
    if not closing:
        return FrontMatterSplit(None, 0)
    return FrontMatterSplit(text[opening.end() : closing.start()], closing.end())


def body_of(text: str) -> str:
    """Return the document text after its front matter."""
    return text[split_front_matter(text).body_start :]


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    """Return a round-trip YAML that keeps comments, key order and quoting."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _sequence_indent(yaml_text: str) -> tuple[int, int]:
    """Return how the text indents its block lists (`sequence`, `offset`), to write them alike."""
    try:
        _, sequence, offset = load_yaml_guess_indent(yaml_text, yaml=_yaml())
    except Exception:  # noqa: BLE001 (a guess only; the text was parsed already)
        return 4, 2
    if sequence is None or offset is None or sequence < offset + 2:
        return 4, 2
    return sequence, offset


def parse_front_matter(yaml_text: str) -> CommentedMap:
    """Parse front matter YAML into an ordered mapping, raising FrontMatterError when broken."""
    if not yaml_text.strip():
        return CommentedMap()
    try:
        data = _yaml().load(yaml_text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"The front matter is not valid YAML{where}: {problem}.") from error
    except (ValueError, LookupError, TypeError, RecursionError) as error:
        # a value YAML parses but cannot build, e.g. `date: 2024-02-30` or `!!int x`
        message = f"The front matter has a value that cannot be read: {error}."
        raise FrontMatterError(message) from error
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise FrontMatterError("The front matter must be a list of “key: value” lines.")
    return data


def read_front_matter(text: str) -> CommentedMap:
    """Return the parsed front matter of a document (empty when it has none)."""
    split = split_front_matter(text)
    if split.yaml_text is None:
        return CommentedMap()
    return parse_front_matter(split.yaml_text)


def dump_front_matter(data: CommentedMap, sequence: int = 4, offset: int = 2) -> str:
    """Serialise a front matter mapping back to YAML text (ending in a newline)."""
    out = io.StringIO()
    _yaml(sequence, offset).dump(data, out)
    return out.getvalue()


def _is_empty(value: Any) -> bool:
    """Tell whether a field value means "not set"."""
    return value is None or value == "" or value == []


def with_front_matter_field(text: str, key: str, value: Any) -> str:
    """Return the document with one front matter field set (or removed when empty)."""
    split = split_front_matter(text)
    data = parse_front_matter(split.yaml_text) if split.yaml_text is not None else CommentedMap()
    if _is_empty(value):
        if key not in data:
            return text
        del data[key]
    else:
        if key in data and data[key] == value:
            return text
        data[key] = value
    body = text[split.body_start :]
    if not data:
        return body
    indent = _sequence_indent(split.yaml_text) if split.yaml_text else (4, 2)
    return f"---\n{dump_front_matter(data, *indent)}---\n{body}"
