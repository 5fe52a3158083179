"""The local images a rendered post uses, with the alt text and caption each one carries."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from editor.core.local_files import is_local_reference, referenced_path


@dataclass(frozen=True)
class ImageUse:
    """One <img> in the post: its src as written, alt text and the figure's caption text."""

    src: str
    alt: str
    caption: str


@dataclass
class _OpenFigure:
    """A <figure> being read: its images' (src, alt) and its caption's text pieces."""

    images: list[tuple[str, str]] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)


class _ImageCollector(HTMLParser):
    """Collects <img> tags and the text of the <figcaption> in the same <figure>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[ImageUse] = []
        self._figure: list[_OpenFigure] = []  # the figures open around the current tag
        self._in_caption = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Track figures, captions and images."""
        values = {key: value or "" for key, value in attrs}
        if tag == "figure":
            self._figure.append(_OpenFigure())
        elif tag == "figcaption":
            self._in_caption += 1
        elif tag == "img" and values.get("src"):
            src, alt = values["src"], values.get("alt", "")
            if self._figure:
                self._figure[-1].images.append((src, alt))
            else:
                self.images.append(ImageUse(src, alt, ""))

    def handle_endtag(self, tag: str) -> None:
        """Close figures and captions."""
        if tag == "figcaption" and self._in_caption:
            self._in_caption -= 1
        elif tag == "figure" and self._figure:
            figure = self._figure.pop()
            caption = " ".join("".join(figure.caption).split())
            for src, alt in figure.images:
                self.images.append(ImageUse(src, alt, caption))

    def handle_data(self, data: str) -> None:
        """Collect caption text."""
        if self._in_caption and self._figure:
            self._figure[-1].caption.append(data)


def images_in(html: str) -> list[ImageUse]:
    """Return every image of a rendered post, in order, once per src."""
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    seen: set[str] = set()
    unique = []
    for image in collector.images:
        if image.src not in seen:
            seen.add(image.src)
            unique.append(image)
    return unique


def is_local(src: str) -> bool:
    """Tell whether an image src points at a file on this machine (not a web address)."""
    return is_local_reference(src)


def local_path(src: str, post_folder: Path) -> Path:
    """Return the file a local src refers to, resolved against the post's folder."""
    return referenced_path(src, post_folder).resolve()


def mime_type(path: Path) -> str:
    """Return the MIME type to upload a file with."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
