"""WordPress block markup: the block model and its serialisation, as WordPress writes it.

A block is its comment-delimited name and attributes around the HTML its save() produces; a
block with inner blocks has them spliced into that HTML (`parts`). `serialize_blocks` follows
@wordpress/blocks' serializer: `<!-- wp:name {json} -->`, a newline, the HTML, a newline,
`<!-- /wp:name -->`; sibling blocks are joined by a blank line, both at the top level and inside
a parent. Attribute JSON is escaped the way WordPress escapes it (so that no `--`, `<`, `>` or `&`
can end the comment or read as markup).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

FREEFORM = "core/freeform"


@dataclass
class Block:
    """One block: `name` ("core/paragraph"), comment attributes in WordPress's order, and the
    saved HTML as a list of strings with inner blocks in their places.

    A `core/freeform` block is raw HTML without comment delimiters (the Classic block).
    """

    name: str
    attrs: dict[str, object] = field(default_factory=dict)
    parts: list[str | Block] = field(default_factory=list)

    @property
    def inner_blocks(self) -> list[Block]:
        """The block's inner blocks, in order."""
        return [part for part in self.parts if isinstance(part, Block)]


def serialize_attributes(attrs: dict[str, object]) -> str:
    """Encode comment attributes exactly as WordPress's `serializeAttributes` does."""
    text = json.dumps(attrs, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("--", "\\u002d\\u002d")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace('\\"', "\\u0022")
    )


def _content(block: Block) -> str:
    """The block's saved HTML with its inner blocks serialised in place."""
    out: list[str] = []
    previous_was_block = False
    for part in block.parts:
        if isinstance(part, Block):
            if previous_was_block:
                out.append("\n\n")
            out.append(serialize_block(part))
            previous_was_block = True
        else:
            out.append(part)
            previous_was_block = False
    return "".join(out)


def serialize_block(block: Block) -> str:
    """Serialise one block with its comment delimiters (none for a freeform block)."""
    content = _content(block)
    if block.name == FREEFORM:
        return content
    name = block.name.removeprefix("core/")
    attrs = f"{serialize_attributes(block.attrs)} " if block.attrs else ""
    if not content:
        return f"<!-- wp:{name} {attrs}/-->"
    return f"<!-- wp:{name} {attrs}-->\n{content}\n<!-- /wp:{name} -->"


def serialize_blocks(blocks: list[Block]) -> str:
    """Serialise a post's blocks, separated by blank lines."""
    return "\n\n".join(serialize_block(block) for block in blocks)
