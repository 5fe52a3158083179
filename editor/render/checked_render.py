"""The full render for publishing and `draftpress render`: the same deadlines as the preview.

It is the incremental renderer run once (its output equals a full render's), so every block has
the preview's deadlines; when one is given up on, `RenderTooSlow` names its lines instead of a
render that runs for minutes or ends in a traceback.
"""

from __future__ import annotations

_WHY = {  # (one line, several lines)
    "slow": ("takes too long to render", "take too long to render"),
    "memory": ("needs too much memory to render", "need too much memory to render"),
    "deep": ("is nested too deeply to render", "are nested too deeply to render"),
}


class RenderTooSlow(Exception):
    """Parts of a post could not be rendered in time; the message names their lines."""

    def __init__(self, parts: list[tuple[int, int, str]]) -> None:
        self.parts = parts
        super().__init__(describe_parts(parts))


def describe_parts(parts: list[tuple[int, int, str]]) -> str:
    """Say, in plain words, which lines could not be rendered and why."""
    sentences = []
    for reason in ("slow", "memory", "deep"):
        spans = [
            str(first) if first == last else f"{first}-{last}"
            for first, last, why in parts
            if why == reason
        ]
        if spans:
            one = len(spans) == 1 and "-" not in spans[0]
            shown = ", ".join(spans[:5]) + (f" and {len(spans) - 5} more" if len(spans) > 5 else "")
            label, verb = ("Line", _WHY[reason][0]) if one else ("Lines", _WHY[reason][1])
            sentences.append(f"{label} {shown} {verb}.")
    return (
        " ".join(sentences) + " Simplify that part of the post: long runs of brackets, "
        "asterisks, HTML tags or deeply nested lists and quotes are the usual cause."
    )


def render_checked(text: str) -> str:
    """Return a post's body HTML (front matter skipped); raise RenderTooSlow if parts overrun."""
    # Imported here: the window imports this module for describe_parts, and renders nothing
    # itself (the render process does), so it need not load the Markdown stack (issue 16).
    from editor.render.incremental import IncrementalRenderer
    from editor.render.markdown_renderer import shared_renderer

    renderer = IncrementalRenderer(shared_renderer())
    html = renderer.render(text)
    if renderer.too_slow:
        raise RenderTooSlow(renderer.too_slow)
    return html
