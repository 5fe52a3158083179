"""WordPress's typography on the text of a post it serves (wptexturize), for the blog-look body.

Draftpress's renderer already makes quotes, apostrophes, `--`, `---` and `...` typographic
(Python-Markdown's smarty), and WordPress leaves those as they are. Measured against the test
WordPress (6.1, Twenty Twenty-Three), three of wptexturize's rules still change what readers
see, so the body in the blog's look applies them too (never what is published or saved):

- a hyphen standing alone between spaces becomes an en dash (`word - word` -> `word – word`);
- `(tm)` after a space becomes ™;
- a digit, `x` and a digit become a multiplication (`2x4` -> `2×4`; not `0x1F`).

Text inside `<code>`, `<kbd>`, `<pre>`, `<script>`, `<style>` and `<tt>` is left alone, as
WordPress leaves it, and so are tags, attributes and comments.
"""

from __future__ import annotations

import re

# WordPress's wp_spaces_regexp(): space, tab, newline, no-break space (as a character or entity).
_SPACE = r"(?:[\r\n\t ]|\u00a0|&nbsp;)"
_LONE_HYPHEN = re.compile(rf"(?:(?<=^)|(?<=[\r\n\t \u00a0])|(?<=&nbsp;))-(?=$|{_SPACE})")
_TRADE_MARK = re.compile(r" \(tm\)")
# (\d(?(?<=0)[\d\.,]+|[\d\.,]*))x(\d[\d\.,]*) in WordPress: a leading 0 needs more digits.
_TIMES = re.compile(r"\b((?:0[\d.,]+|[1-9][\d.,]*))x(\d[\d.,]*)\b")
_PIECES = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
UNTOUCHED_TAGS = frozenset({"code", "kbd", "pre", "script", "style", "tt"})


def texturize_text(text: str) -> str:
    """Apply the rules above to one run of text (no tags in it)."""
    text = _TRADE_MARK.sub(" \u2122", text)
    text = _LONE_HYPHEN.sub("\u2013", text)
    return _TIMES.sub("\\1\u00d7\\2", text)


def texturize_html(html: str) -> str:
    """Return HTML with WordPress's remaining typography applied to its text (see the module)."""
    out: list[str] = []
    inside: list[str] = []  # the untouched elements open at this point
    for index, piece in enumerate(_PIECES.split(html)):
        if index % 2:  # a tag or a comment
            out.append(piece)
            name = _TAG_NAME.match(piece)
            if name and name.group(2).lower() in UNTOUCHED_TAGS and not piece.endswith("/>"):
                tag = name.group(2).lower()
                if not name.group(1):
                    inside.append(tag)
                elif tag in inside:
                    del inside[len(inside) - 1 - inside[::-1].index(tag)]
            continue
        out.append(piece if inside or not piece else texturize_text(piece))
    return "".join(out)
