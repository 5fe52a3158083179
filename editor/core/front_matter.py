"""YAML front matter: find it in a document, read it, and change one field keeping the rest."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from editor.core.post_date import with_post_date

# ruamel.yaml (about 25 ms to import) loads with the first front matter read or written, not
# with the window's modules: the first screen reads none (start-up, issue 16).
if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.nodes import Node

_OPEN_FENCE = re.compile(r"---[ \t]*\n")
_CLOSE_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE)


class FrontMatterError(ValueError):
    """The front matter is not valid YAML mapping; the message says where and why."""


# YAML aliases (`*name`) repeat an anchored value (`&name`) without copying it: a few hundred
# bytes of nested aliases stand for billions of values once anything reads them out.
MAX_ALIASES = 50
MAX_EXPANDED_SIZE = 100_000  # values plus characters, with every alias filled in


def _expanded_size(node: Node, sizes: dict[int, int | None]) -> int:
    """Return how many values and characters `node` stands for, every alias filled in."""
    known = sizes.get(id(node), 0)
    if known is None:  # still being measured: an alias inside its own anchor
        raise FrontMatterError(
            "The front matter has a YAML alias (“*name”) inside the value it names. "
            "Write the value out instead."
        )
    if known:
        return known
    sizes[id(node)] = None
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, SequenceNode):
        children = list(node.value)
    else:
        children = []
    size = 1 + (len(str(node.value)) if not children and isinstance(node.value, str) else 0)
    for child in children:
        size += _expanded_size(child, sizes)
        if size > MAX_EXPANDED_SIZE:
            raise FrontMatterError(
                "The front matter's YAML aliases (“*name”) stand for more than "
                f"{MAX_EXPANDED_SIZE:,} characters once filled in; Draftpress does not read "
                "front matter that large. Write the values out instead."
            )
    sizes[id(node)] = size
    return size


@cache
def _capped_composer() -> type[Composer]:
    """Return the composer class refusing many aliases, and aliases that stand for huge values."""
    from ruamel.yaml.composer import Composer

    class CappedComposer(Composer):
        """A composer refusing many aliases, and aliases that stand for huge values."""

        aliases = 0

        def return_alias(self, a: Node) -> Node:
            """Count each alias; refuse past MAX_ALIASES."""
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise FrontMatterError(
                    f"The front matter uses more than {MAX_ALIASES} YAML aliases (“*name”); "
                    "Draftpress reads at most that many. Write the values out instead."
                )
            return a

        def compose_document(self) -> Node | None:
            """Compose the document, then measure it with every alias filled in."""
            self.aliases = 0
            node: Node | None = super().compose_document()
            if self.aliases and node is not None:
                _expanded_size(node, {})
            return node

    return CappedComposer


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
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Composer = _capped_composer()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _sequence_indent(yaml_text: str) -> tuple[int, int]:
    """Return how the text indents its block lists (`sequence`, `offset`), to write them alike."""
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, sequence, offset = load_yaml_guess_indent(yaml_text, yaml=_yaml())
    except Exception:  # noqa: BLE001 (a guess only; the text was parsed already)
        return 4, 2
    if sequence is None or offset is None or sequence < offset + 2:
        return 4, 2
    return sequence, offset


def parse_front_matter(yaml_text: str) -> CommentedMap:
    """Parse front matter YAML into an ordered mapping, raising FrontMatterError when broken."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    if not yaml_text.strip():
        return CommentedMap()
    try:
        data = _yaml().load(yaml_text)
    except FrontMatterError:
        raise
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
        return _empty_mapping()
    return parse_front_matter(split.yaml_text)


def _empty_mapping() -> CommentedMap:
    """Return an empty front matter mapping."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


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
    data = parse_front_matter(split.yaml_text) if split.yaml_text is not None else _empty_mapping()
    if key == "date" and isinstance(value, dt.datetime) and split.yaml_text is not None:
        rewritten = with_post_date(split.yaml_text, value)  # in the file's own spelling
        if rewritten is not None:
            if rewritten == split.yaml_text:
                return text
            start = text.index(split.yaml_text, 3)  # after the opening `---`
            return text[:start] + rewritten + text[start + len(split.yaml_text) :]
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
