"""Markdown to HTML in the Draftpress dialect, with one reusable Markdown instance."""

from __future__ import annotations

import logging
import secrets
import threading
import xml.etree.ElementTree as etree
from collections import OrderedDict
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from editor.core.front_matter import body_of
from editor.render import deadline_checks, nesting_limit
from editor.render.raw_islands import island_spans

log = logging.getLogger(__name__)


class _FigureImageUnwrapper(Treeprocessor):
    """Lift an image out of its lone paragraph inside a figure: `<figure><img><figcaption>`."""

    def run(self, root: etree.Element) -> None:
        """Rewrite every figure whose first child is a paragraph holding only an image."""
        for figure in root.iter("figure"):
            children = list(figure)
            if not children or children[0].tag != "p":
                continue
            para = children[0]
            inner = list(para)
            if len(inner) != 1 or inner[0].tag != "img":
                continue
            if (para.text or "").strip() or (inner[0].tail or "").strip():
                continue
            image = inner[0]
            image.tail = para.tail
            figure.remove(para)
            figure.insert(0, image)


class _IslandTokens(Preprocessor):
    """Stash every raw island whole, before anything else reads the text.

    Python-Markdown's whitespace clean-up (tabs, line ends, the stash's own marker
    characters) runs first of its preprocessors, so an island leaves a private token line
    here, and `_IslandPlaceholders` swaps it for the stash placeholder after the clean-up.
    Each island becomes its own paragraph-level HTML block: the output holds it byte for byte.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.nonce = secrets.token_hex(6)  # tokens no writer can type by accident
        self.tokens: dict[str, int] = {}  # token line -> stash index, for this conversion

    def run(self, lines: list[str]) -> list[str]:
        """Replace each island's lines with one token line followed by a blank line."""
        self.tokens = {}
        text = "\n".join(lines)
        if "<!--" not in text:
            return lines
        parts: list[str] = []
        position = 0
        for start, end in island_spans(text):
            placeholder = self.md.htmlStash.store(text[start:end])
            index = int(placeholder.strip("\x02\x03").rpartition(":")[2])
            token = f"\uf8f2{self.nonce}:{index}\uf8f3"
            self.tokens[token] = index
            parts.append(text[position:start])
            parts.append(token + "\n")
            line_end = text.find("\n", end)  # the rest of the last line is whitespace
            position = len(text) if line_end < 0 else line_end
        if not parts:
            return lines
        parts.append(text[position:])
        return "".join(parts).split("\n")


class _IslandPlaceholders(Preprocessor):
    """Turn the island token lines back into stash placeholders (after whitespace clean-up)."""

    def __init__(self, md: markdown.Markdown, tokens: _IslandTokens) -> None:
        super().__init__(md)
        self.source = tokens

    def run(self, lines: list[str]) -> list[str]:
        """Swap each token line for its placeholder."""
        tokens = self.source.tokens
        if not tokens:
            return lines
        stash = self.md.htmlStash
        return [stash.get_placeholder(tokens[line]) if line in tokens else line for line in lines]


class _KeysListed(OrderedDict[str, str]):
    """Footnote definitions whose keys are listed as they stand when asked."""

    def keys(self) -> list[str]:  # type: ignore[override]
        """The ids defined so far (a list: definitions made while it is walked stay out)."""
        return list(super().keys())


def _footnotes_div_of_definitions_before(
    footnotes: FootnoteExtension,
) -> Callable[[etree.Element], etree.Element | None]:
    """Wrap `makeFootnotesDiv` to list only the footnotes defined before the div is built.

    Python-Markdown parses each footnote while walking its definitions; a definition inside a
    footnote (`[^a]:[^b]:`) adds one during the walk and the render raises. Here the walk
    covers the definitions made before it (one written inside a footnote is not listed).
    """
    build = footnotes.makeFootnotesDiv

    def make_footnotes_div(root: etree.Element) -> etree.Element | None:
        """Build the div over a listed copy of the definitions, then hand the dict back."""
        footnotes.footnotes = _KeysListed(footnotes.footnotes)
        try:
            return build(root)
        finally:
            footnotes.footnotes = OrderedDict(footnotes.footnotes)

    return make_footnotes_div


class DraftpressDialect(Extension):
    """The dialect's own touches on top of Python-Markdown's extensions."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._parser_states: list[list[object]] = []

    def reset(self) -> None:
        """Called by `Markdown.reset()`: also empty the block parser's nesting state, which
        Python-Markdown leaves as it is. A convert cut off by a deadline inside a list leaves
        `detabbed` there, and the next convert takes a list item's indented quote for code."""
        for state in self._parser_states:
            state.clear()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Register raw islands before every other preprocessor, figure clean-up after all,
        and the render's deadline checks."""
        md.registerExtension(self)  # so that md.reset() calls reset()
        deadline_checks.install(md)
        self._parser_states.append(md.parser.state)
        tokens = _IslandTokens(md)
        md.preprocessors.register(tokens, "draftpress_islands", 100)
        md.preprocessors.register(_IslandPlaceholders(md, tokens), "draftpress_island_stash", 29)
        md.treeprocessors.register(_FigureImageUnwrapper(md), "draftpress_figures", 0)
        for extension in md.registeredExtensions:
            if isinstance(extension, FootnoteExtension):
                wrapped = _footnotes_div_of_definitions_before(extension)
                extension.makeFootnotesDiv = wrapped  # type: ignore[method-assign,assignment]


def standard_extensions() -> list[Extension]:
    """Return new instances of the Python-Markdown and pymdown extensions the dialect uses.

    Built as objects, not by name: a name makes Python-Markdown read every installed package's
    entry points first (about 25 ms of the renderer's start). The order and settings are those
    of the names `extra` (its seven parts, in the order it registers them), `codehilite`,
    `toc`, `sane_lists`, `smarty` and `pymdownx.blocks.caption`; tests/render/
    test_dialect_extensions.py checks that both build the same Markdown. Imported here, as a
    name would be, when a renderer is built: pymdown's caption alone compiles about 60 ms of
    patterns on import, which the window's modules (they import this one) need not wait for.
    """
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.codehilite import CodeHiliteExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.smarty import SmartyExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension
    from pymdownx.blocks.caption import CaptionExtension  # type: ignore[import-untyped]

    return [
        FencedCodeExtension(),  # "extra": fenced_code, footnotes, attr_list, def_list, ...
        FootnoteExtension(),
        AttrListExtension(),
        DefListExtension(),
        TableExtension(),
        AbbrExtension(),
        MarkdownInHtmlExtension(),  # ... tables, abbr, md_in_html
        CodeHiliteExtension(css_class="codehilite", guess_lang=False, use_pygments=True),
        TocExtension(permalink=False),
        SaneListExtension(),
        SmartyExtension(),
        CaptionExtension(auto=False),
    ]


def dialect_markdown() -> markdown.Markdown:
    """Return a new Markdown instance in the Draftpress dialect (HTML output)."""
    nesting_limit.install()
    return markdown.Markdown(
        extensions=[*standard_extensions(), DraftpressDialect()], output_format="html"
    )


class MarkdownRenderer:
    """Renders Markdown with one Markdown instance, reset between renders; thread-safe."""

    def __init__(self) -> None:
        self._markdown = dialect_markdown()
        self._lock = threading.Lock()

    def render_body(self, markdown_text: str) -> str:
        """Render Markdown (no front matter) to an HTML fragment."""
        with self._lock:
            self._markdown.reset()
            return self._markdown.convert(markdown_text)

    def render_document(self, text: str) -> str:
        """Render a whole post file's text to an HTML fragment, skipping its front matter."""
        return self.render_body(body_of(text))


_shared: MarkdownRenderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> MarkdownRenderer:
    """Return the process-wide renderer, created on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MarkdownRenderer()
        return _shared


def render_markdown(text: str) -> str:
    """Render a post's text (front matter skipped) to an HTML fragment."""
    return shared_renderer().render_document(text)
