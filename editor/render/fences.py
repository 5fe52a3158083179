"""Fenced code blocks found as Python-Markdown finds them, in the writer's raw text (no Qt).

Python-Markdown looks for fences after its whitespace clean-up (`NormalizeWhitespace` expands
tabs, so a tab after a fence is spaces by then). Expanding tabs never joins or splits lines and
turns a tab into at least one space, so searching the raw text with its fence pattern, every
run of spaces (`[ ]*`) widened to spaces and tabs, finds the same fenced blocks at the raw
text's own offsets.
"""

from __future__ import annotations

import re

from markdown.extensions.fenced_code import FencedBlockPreprocessor

_PATTERN = FencedBlockPreprocessor.FENCED_BLOCK_RE
# The pinned Python-Markdown's pattern allows spaces in four places: after the opening fence,
# after the language, after hl_lines and after the closing fence.
if _PATTERN.pattern.count("[ ]*") != 4:
    raise ImportError("Python-Markdown's fence pattern changed: see editor/render/fences.py")

FENCED_BLOCK = re.compile(_PATTERN.pattern.replace("[ ]*", "[ \t]*"), _PATTERN.flags)

__all__ = ["FENCED_BLOCK"]
