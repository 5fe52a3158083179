"""The language of each fenced code block, carried in the HTML a blog stores (no Qt).

The renderer highlights code with Pygments (`<div class="codehilite"><pre><code>…`) and names
no language in the HTML, so a blog that stores our HTML (XML-RPC, Micropub) could not give the
fence's language back on a pull. `with_code_languages` adds `class="language-…"` to the
`<code>` of each highlighted block whose fence names one (what it shows does not change), the
class every HTML -> Markdown reader (html_to_markdown) takes the language from.
"""

from __future__ import annotations

import re

from editor.publish.html_fragments import Element, parse_fragment, splice_start_tags

_FENCE_OPENER = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*(?:\{[ \t]*\.?([\w+#-]+)[^}\n]*\}|\.?([\w+#-]+))?[ \t]*$",
    re.MULTILINE,
)


def fence_languages(body: str) -> list[str]:
    """Return the language each fenced code block of the Markdown names ("" for none), in order."""
    languages: list[str] = []
    closing = ""
    for match in _FENCE_OPENER.finditer(body):
        fence = match.group(1)
        if closing:
            bare = not (match.group(2) or match.group(3))
            if bare and fence[0] == closing[0] and len(fence) >= len(closing):
                closing = ""
            continue
        closing = fence
        languages.append(match.group(2) or match.group(3) or "")
    return languages


def highlighted_blocks(root: Element) -> list[Element]:
    """Return the highlighted code blocks of rendered HTML, in order."""
    return [e for e in root.elements() if e.tag == "div" and "codehilite" in e.classes]


def with_code_languages(html: str, body: str) -> str:
    """Return rendered HTML with each highlighted block's `<code>` naming its fence's language.

    Left as it is when the blocks and the fences do not line up one to one (a raw island that
    holds a fence, say): a wrong language is worse than none.
    """
    root = parse_fragment(html)
    blocks = highlighted_blocks(root)
    languages = fence_languages(body)
    if not blocks or len(languages) != len(blocks) or not any(languages):
        return html
    for block, language in zip(blocks, languages, strict=True):
        code = next((e for e in block.iter() if e.tag == "code"), None)
        if code is None or not language or code.get("class"):
            continue
        code.attrs = [*code.attrs, ("class", f"language-{language}")]
        code.rewritten = True
    return splice_start_tags(html, root)
