"""Captioned images: fields <-> the dialect's image + caption block Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.core.markdown_escape import (
    LINK_PATTERN,
    escape_block_fence,
    escape_link_text,
    format_url,
    link,
    normalize_url,
    one_line,
    parse_url,
    unescape,
    unescape_block_fence,
)
from editor.core.quote_snippet import SnippetSpan

ALIGNMENTS = ("none", "left", "center", "right", "wide")
CREDIT_PREFIXES = ("art by", "photo by", "image by", "illustration by", "drawing by")

_IMAGE_LINE = re.compile(
    r"^!\[(?P<alt>(?:\\.|[^\]\\])*)\]\((?P<src><[^>\n]*>|[^()\s]*)\)"
    r'(?:\{:?\s*width="?(?P<width>\d+)"?\s*\})?\s*$'
)
_ATTRS_LINE = re.compile(r"^\s+attrs:\s*\{class:\s*align-(?P<align>[a-z]+)\s*\}\s*$")
_CREDIT = re.compile(
    r"(?:^|\s)\((?P<prefix>"
    + "|".join(CREDIT_PREFIXES)
    + r") (?:"
    + LINK_PATTERN.format("credit")
    + r"|(?P<plain>(?:\\.|[^()\\])+))\)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FigureFields:
    """What the image dialog collects (src is the path relative to the post, or a URL)."""

    src: str
    alt: str = ""
    caption: str = ""
    credit_name: str = ""
    credit_url: str = ""
    credit_prefix: str = "art by"
    align: str = "none"
    width: int | None = None

    def normalized(self) -> FigureFields:
        """Return the fields as the Markdown keeps them."""
        # A line starting `&#47;//` shows as `///` and is written (escaped) just like it.
        caption = "\n".join(
            unescape_block_fence(line.rstrip()) for line in self.caption.strip().split("\n")
        )
        caption = re.sub(r"\n{2,}", "\n", caption)
        credit_name = one_line(self.credit_name)
        prefix = one_line(self.credit_prefix).lower()
        return FigureFields(
            src=normalize_url(self.src),
            alt=one_line(self.alt),
            caption=caption,
            credit_name=credit_name,
            credit_url=normalize_url(self.credit_url) if credit_name else "",
            credit_prefix=prefix if prefix in CREDIT_PREFIXES and credit_name else "art by",
            align=self.align if self.align in ALIGNMENTS else "none",
            width=self.width if self.width and self.width > 0 else None,
        )


def _caption_text(fields: FigureFields) -> str:
    """Return the caption's Markdown: the writer's caption, then the credit in parentheses."""
    lines = (
        [escape_block_fence(line) for line in fields.caption.split("\n")] if fields.caption else []
    )
    if fields.credit_name:
        credit = f"({fields.credit_prefix} {link(fields.credit_name, fields.credit_url)})"
        if lines:
            lines[-1] = f"{lines[-1]} {credit}"
        else:
            lines.append(credit)
    return "\n".join(lines)


def build_figure_markdown(fields: FigureFields) -> str:
    """Return the Markdown for an image with its caption, credit, alignment and width.

    Written in the simplest form the dialect has: the width as `{width=320}`; no caption
    block at all for an image without caption, credit or alignment; a block holding only its
    `attrs` line for an aligned image without a caption (the alignment is the figure's).
    """
    fields = fields.normalized()
    image = f"![{escape_link_text(fields.alt)}]({format_url(fields.src)})"
    if fields.width:
        image += f"{{width={fields.width}}}"
    caption = _caption_text(fields)
    if not caption and fields.align == "none":
        return image + "\n"
    block = ["/// caption"]
    if fields.align != "none":
        block.append(f"    attrs: {{class: align-{fields.align}}}")
    if caption:
        block.append(caption)
    block.append("///")
    return image + "\n\n" + "\n".join(block) + "\n"


def _parse_caption(caption: str) -> tuple[str, str, str, str]:
    """Split caption Markdown into (caption, credit prefix, credit name, credit URL)."""
    match = _CREDIT.search(caption)
    if not match:
        return caption, "art by", "", ""
    name = match.group("credit_text")
    if name is not None:
        name, url = unescape(name), parse_url(match.group("credit_url"))
    else:
        name, url = unescape(match.group("plain")), ""
    return caption[: match.start()].rstrip(), match.group("prefix").lower(), name, url


def _parse_figure_lines(lines: list[str], first: int) -> tuple[FigureFields, int] | None:
    """Parse a figure whose image is on line `first`; return the fields and the line after it."""
    image = _IMAGE_LINE.match(lines[first].strip()) if first < len(lines) else None
    if not image:
        return None
    width = int(image.group("width")) if image.group("width") else None
    fields = FigureFields(
        src=parse_url(image.group("src")), alt=unescape(image.group("alt")), width=width
    )
    probe = first + 1
    if probe < len(lines) and not lines[probe].strip():
        probe += 1
    if probe >= len(lines) or lines[probe].strip() != "/// caption":
        return fields, first + 1
    close = probe + 1
    while close < len(lines) and lines[close].strip() != "///":
        close += 1
    if close >= len(lines):
        return fields, first + 1
    body = lines[probe + 1 : close]
    align = "none"
    attributes = _ATTRS_LINE.match(body[0]) if body else None
    if attributes:
        align = attributes.group("align")
        body = body[1:]
    caption, prefix, name, url = _parse_caption("\n".join(body).strip())
    caption = "\n".join(unescape_block_fence(line) for line in caption.split("\n"))
    return FigureFields(
        fields.src, fields.alt, caption, name, url, prefix, align, fields.width
    ), close + 1


def parse_figure_markdown(markdown: str) -> FigureFields | None:
    """Read the fields back from a figure snippet (None if it does not start with an image)."""
    parsed = _parse_figure_lines(markdown.strip("\n").split("\n"), 0)
    return parsed[0] if parsed else None


def find_figure_at(text: str, offset: int) -> tuple[SnippetSpan, FigureFields] | None:
    """Find the captioned image around `offset`: its span and fields, or None."""
    lines = text.split("\n")
    line_no = max(0, min(len(lines) - 1, text.count("\n", 0, offset)))
    start = line_no
    # Walk up from a caption line to the image line above it (at most the caption's length).
    while start >= 0 and not _IMAGE_LINE.match(lines[start].strip()):
        if lines[start].strip() == "///" and start != line_no:
            return None
        start -= 1
        if line_no - start > 200:
            return None
    if start < 0:
        return None
    parsed = _parse_figure_lines(lines, start)
    if parsed is None or parsed[1] <= line_no:
        return None
    fields, end_line = parsed
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    end = offsets[end_line] - 1 if end_line < len(offsets) else len(text)
    return SnippetSpan(offsets[start], end), fields
