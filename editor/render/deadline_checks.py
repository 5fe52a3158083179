"""Where a render checks its own deadline, so that it stops itself when the deadline passes.

`render_guard`'s watchdog marks a rendering thread late when its soft deadline passes; a
render then raises `RenderTimeout` at its next check, from its own code (never inside a
finalizer or garbage-collector callback, which a timeout raised from outside can land in).
The checks sit in the loops where slow Markdown spends its time (measured on the inputs of
tests/security/test_pathological_markdown.py):

- the block parser, before each block at each level (setext headings, `* * *` lines,
  abbreviation and footnote definitions: a processor first in line that never takes a block);
- the inline patterns, at each text the inline pass handles (a wide table's cells) and at
  each match a pattern handles (a line of `[`, nested links);
- the raw-HTML pass, at each tag, comment or declaration it parses (`<div ` runs);
- Pygments, at each token of a code block (huge code blocks).

A check costs one truth test of a module global while no deadline has passed. The block and
inline checks are installed in each dialect Markdown instance (`install`, from
`DraftpressDialect`); the raw-HTML and Pygments ones once per process, in the libraries.
"""

from __future__ import annotations

import functools
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import Registry

from editor.render.render_guard import check_deadline, late_threads

# Above every block processor of the dialect (Python-Markdown's own go up to 100; the block
# renderer's counter is 1000): the check comes before any processor looks at a block.
CHECK_PRIORITY = 10_000
# The HTML parser's methods that parse one piece of raw HTML (Python-Markdown's and the
# standard library's): each may scan to the end of the text when a tag is left open.
_HTML_PARSE_METHODS = (
    "parse_starttag",
    "parse_endtag",
    "parse_comment",
    "parse_bogus_comment",
    "parse_html_declaration",
    "parse_pi",
)

_installed = False
_install_lock = threading.Lock()


class DeadlineCheck(BlockProcessor):
    """A block processor first in line: checks the deadline, never takes the block."""

    def test(self, parent: etree.Element, block: str) -> bool:
        """Raise RenderTimeout if the render is late; otherwise let the next processor look."""
        if late_threads:
            check_deadline()
        return False

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        """Never called (`test` never takes a block)."""
        return False


class CheckedPatterns(Registry[Any]):
    """The inline patterns' registry, checking the deadline as the inline pass walks it.

    The inline pass asks its length once per text it handles; each pattern registered here
    checks before it handles a match.
    """

    def __len__(self) -> int:
        """The number of patterns (after a deadline check)."""
        if late_threads:
            check_deadline()
        return len(self._priority)  # type: ignore[attr-defined]  # what Registry's does

    def register(self, item: Any, name: str, priority: float) -> None:
        """Register a pattern whose match handling checks the deadline first."""
        _check_matches(item)
        super().register(item, name, priority)


def _checked(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return `function` with a deadline check before each call."""

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if late_threads:
            check_deadline()
        return function(*args, **kwargs)

    checked.__deadline_checked__ = True  # type: ignore[attr-defined]
    return checked


def _check_matches(pattern: Any) -> None:
    """Make one inline pattern check the deadline before it handles each match (once)."""
    handle = getattr(pattern, "handleMatch", None)
    if handle is not None and not getattr(handle, "__deadline_checked__", False):
        pattern.handleMatch = _checked(handle)


def install(md: markdown.Markdown) -> None:
    """Put the deadline checks into a Markdown instance (and, once, into the libraries)."""
    _install_in_libraries()
    check = DeadlineCheck(md.parser)
    md.parser.blockprocessors.register(check, "draftpress_deadline", CHECK_PRIORITY)
    patterns = md.inlinePatterns
    if not isinstance(patterns, CheckedPatterns):
        # the same object, which the inline pass already holds: only its class changes
        patterns.__class__ = CheckedPatterns
    for pattern in patterns:
        _check_matches(pattern)


def checked_tokens(tokens: Iterator[Any]) -> Iterator[Any]:
    """Yield Pygments' tokens, checking the deadline before each."""
    for token in tokens:
        if late_threads:
            check_deadline()
        yield token


def _checked_highlight(code: str, lexer: Any, formatter: Any, outfile: Any = None) -> Any:
    """`pygments.highlight`, its token stream checking the deadline."""
    import pygments

    return pygments.format(checked_tokens(pygments.lex(code, lexer)), formatter, outfile)


def _install_in_libraries() -> None:
    """Check the deadline in the raw-HTML parser and in code highlighting (once a process)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import markdown.extensions.codehilite
        import markdown.htmlparser

        extractor = markdown.htmlparser.HTMLExtractor
        for name in _HTML_PARSE_METHODS:
            setattr(extractor, name, _checked(getattr(extractor, name)))
        # the code highlighter calls the name it imported from Pygments at each call
        markdown.extensions.codehilite.highlight = _checked_highlight  # type: ignore[attr-defined]
        _installed = True
