"""Markdown to HTML in the Draftpress dialect, with one reusable Markdown instance."""

from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from editor.core.front_matter import body_of

log = logging.getLogger(__name__)

EXTENSIONS = [
    "extra",
    "codehilite",
    "toc",
    "sane_lists",
    "smarty",
    "pymdownx.blocks.caption",
]
EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False, "use_pygments": True},
    "toc": {"permalink": False},
    "pymdownx.blocks.caption": {"auto": False},
}


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


class DraftpressDialect(Extension):
    """The dialect's own touches on top of Python-Markdown's extensions."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Register the figure clean-up after every other tree processor."""
        md.treeprocessors.register(_FigureImageUnwrapper(md), "draftpress_figures", 0)


class MarkdownRenderer:
    """Renders Markdown with one Markdown instance, reset between renders; thread-safe."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(
            extensions=[*EXTENSIONS, DraftpressDialect()],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
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
