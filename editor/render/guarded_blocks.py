"""Block rendering under deadlines: what cannot render in time becomes a notice (no Qt).

`GuardedBlocks` offers what `IncrementalRenderer` asks of `BlockMarkdown` (and the full
render), each call guarded by `render_guard.soft_then_worker`. A block that overruns even the
worker's deadline (or its memory, or nests too deeply) renders to nothing and defines nothing;
the renderer shows `too_slow_notice` in its place, naming its lines.
"""

from __future__ import annotations

import html
import logging
import time

from editor.render.block_markdown import BlockMarkdown, BlockRender
from editor.render.block_recording import BlockContext, Reference, TocEntry
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.render_guard import (
    SOFT_SECONDS,
    WORKER_DIRECT_CHARS,
    RenderTimeout,
    TooSlowToRender,
    hard_deadline,
    soft_then_worker,
    within,
)
from editor.render.render_worker import RenderWorker, shared_worker

log = logging.getLogger(__name__)

START_ALLOWANCE = 1.0  # seconds a render call may spend starting a worker process

_WHY = {
    "slow": "too slow to preview",
    "memory": "too large to preview",
    "deep": "nested too deeply to preview",
}
NOTICE_CLASS = "draftpress-too-slow"
_NOTICE_STYLE = (
    "border: 1px dashed #b58900; padding: 0.5em 1em; color: #7a5c00; background: #fdf6e3"
)


def too_slow_notice(reason: str, first_line: int, last_line: int) -> str:
    """Return the HTML shown in place of lines the renderer gave up on (lines 1-based)."""
    lines = f"line {first_line}" if first_line == last_line else f"lines {first_line}-{last_line}"
    words = f"This part is {_WHY.get(reason, _WHY['slow'])} ({lines})."
    attributes = f'class="{NOTICE_CLASS}" role="note" style="{_NOTICE_STYLE}"'
    return f"<div {attributes}>{html.escape(words)}</div>\n"


def footnote_notice(footnote_id: str, reason: str) -> str:
    """Return the footnote item shown in place of a footnote the renderer gave up on."""
    words = f"This footnote is {_WHY.get(reason, _WHY['slow'])}."
    return f'<li id="fn:{html.escape(footnote_id)}">{html.escape(words)}</li>\n'


def too_slow_words(reason: str) -> str:
    """Return the plain words for why a part could not be rendered."""
    return _WHY.get(reason, _WHY["slow"]).replace(" to preview", "")


def _gave_up(reason: str) -> BlockRender:
    """Return the render of a block the renderer gave up on: nothing, depending on nothing."""
    return BlockRender(
        template="",
        reference_lookups={},
        abbreviations={},
        footnote_lookups={},
        reference_definitions=[],
        abbreviation_definitions=[],
        footnote_definitions=[],
        footnote_refs=[],
        heading_slugs=[],
        explicit_ids=[],
        toc_tokens=[],
        has_toc=False,
        too_slow=reason,
    )


class GuardedBlocks:
    """`BlockMarkdown` and the full render, each call with a deadline."""

    def __init__(
        self,
        markdown: BlockMarkdown,
        full: MarkdownRenderer,
        worker: RenderWorker | None = None,
    ) -> None:
        self.markdown = markdown
        self.full = full
        self._worker = worker
        self._call_deadline = float("inf")
        self._given_up: dict[str, str] = {}  # block text -> why, within the current call

    def start_call(self, chars: int) -> None:
        """Start the clock of one render of a `chars`-long body: past twice the worker's
        deadline for the whole body (and time to start a worker), every block not rendered
        yet is given up at once."""
        self._call_deadline = time.monotonic() + 2 * hard_deadline(chars) + START_ALLOWANCE
        self._given_up.clear()

    def _out_of_time(self) -> bool:
        """Tell whether the current render call has used up its time."""
        return time.monotonic() > self._call_deadline

    @property
    def worker(self) -> RenderWorker:
        """The worker process handle (the process-wide one unless given)."""
        if self._worker is None:
            self._worker = shared_worker()
        return self._worker

    def render(
        self, text: str, context: BlockContext, abbreviations: dict[str, str], last: bool
    ) -> BlockRender | None:
        """Render a block as `BlockMarkdown.render`; a gave-up render when it cannot in time."""
        if self._out_of_time():
            return _gave_up("slow")
        if text in self._given_up:  # tried once in this call (the definitions pass, say)
            return _gave_up(self._given_up[text])

        def in_worker(deadline: float) -> BlockRender | None:
            render: BlockRender | None = self.worker.call(
                "block", (text, context, abbreviations, last), deadline
            )
            return render

        try:
            return soft_then_worker(
                len(text),
                lambda: self.markdown.render(text, context, abbreviations, last),
                in_worker,
            )
        except TooSlowToRender as error:
            log.info("a block of %d characters: %s", len(text), error.reason)
            self._given_up[text] = error.reason
            return _gave_up(error.reason)

    def render_many(
        self,
        texts: list[str],
        context: BlockContext,
        abbreviations: dict[str, str],
        own_abbreviations: list[dict[str, str]],
    ) -> list[BlockRender] | None:
        """Render blocks together as `BlockMarkdown.render_many`; None when that overruns.

        None sends the caller to render them one by one, each with its own deadline.
        """
        if (
            self._out_of_time()
            or sum(map(len, texts)) > WORKER_DIRECT_CHARS * 4
            or any(len(text) > WORKER_DIRECT_CHARS for text in texts)
        ):
            return None
        try:
            return within(
                SOFT_SECONDS * 2,
                self.markdown.render_many,
                texts,
                context,
                abbreviations,
                own_abbreviations,
            )
        except (RenderTimeout, RecursionError):
            return None

    def render_footnote(
        self,
        footnote_id: str,
        text: str,
        count: int,
        context: BlockContext,
        lookups: dict[str, Reference | None],
    ) -> str | None:
        """Render one footnote as `BlockMarkdown.render_footnote`.

        Raises TooSlowToRender when it cannot in time (the caller shows `footnote_notice`).
        """

        def in_worker(deadline: float) -> str | None:
            item: str | None
            found: dict[str, Reference | None]
            item, found = self.worker.call(
                "footnote", (footnote_id, text, count, context), deadline
            )
            lookups.update(found)
            return item

        if self._out_of_time():
            raise TooSlowToRender("slow")
        return soft_then_worker(
            len(text),
            lambda: self.markdown.render_footnote(footnote_id, text, count, context, lookups),
            in_worker,
        )

    def toc_html(self, tokens: list[TocEntry]) -> str:
        """Return the table of contents div (linear in the headings: no deadline)."""
        return self.markdown.toc_html(tokens)

    def render_body(self, body: str) -> str:
        """Render a whole body at once; raise TooSlowToRender when it cannot in time."""
        if self._out_of_time():
            raise TooSlowToRender("slow")

        def in_worker(deadline: float) -> str:
            html_text: str = self.worker.call("body", (body,), deadline)
            return html_text

        return soft_then_worker(len(body), lambda: self.full.render_body(body), in_worker)
