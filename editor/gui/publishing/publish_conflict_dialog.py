"""The question asked when the post was changed on the blog since the writer last published it.

It shows what changed on each side since then (word diffs, like the disk-conflict and recovery
dialogs), and offers Merge (the blog's changes and the writer's, piece by piece; places both
changed differently are shown side by side, the writer picks one version for each), opening
the blog's version as a new file, and overwriting the blog's changes. Cancel is the default
button: Enter and Escape never overwrite anything. The dialog only returns the choice; the
publish controller acts on it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.front_matter import body_of
from editor.core.text_diff import diff_html, side_by_side_html
from editor.gui.publishing.open_from_blog import SERVER_COPY

if TYPE_CHECKING:  # the merge brings the renderer and the block converter: loaded on first use
    from pathlib import Path

    from editor.publish.engines.base import BlogEngine
    from editor.publish.server_merge import MergeAttempt

MERGE = "Merge"
OVERWRITE = "Overwrite the blog's changes"
CANCEL = "Cancel"
MINE, BLOGS = "ours", "theirs"  # block_merge's OURS and THEIRS
KEEP_MINE = "Keep mine"
TAKE_BLOGS = "Take the blog's"
LAST_PUBLISHED = "when you last published"


@dataclass
class ConflictView:
    """What the dialog shows: the merge (or why there is none) and the diffs, as HTML."""

    attempt: MergeAttempt
    blog_changes: str  # HTML: the last published version -> the blog's version now
    my_changes: str  # HTML: the last published version -> the writer's version
    text: str  # the post's text the merge was made from


def _joined(pieces: list[str]) -> str:
    """Return pieces of Markdown as one text."""
    return "\n\n".join(pieces) + "\n" if pieces else ""


def prepare_conflict_view(
    text: str, blog: str, server_content: str | None, server_modified_gmt: str
) -> ConflictView:
    """Merge and diff the post against the blog's version (slow: run it off the GUI thread)."""
    from editor.publish.block_merge import base_tokens
    from editor.publish.round_trip import pull_content
    from editor.publish.server_merge import merge_base, prepare_merge

    attempt = prepare_merge(text, blog, server_content, server_modified_gmt)
    mine = body_of(text).lstrip("\n")
    if attempt.outcome is None:
        if server_content is None:
            return ConflictView(attempt, "", "", text)
        server_body, _copy = pull_content(server_content)
        both = diff_html(mine, server_body, "yours", "on the blog now")
        return ConflictView(attempt, both, "", text)
    copy, _reason = merge_base(text, blog)
    base = _joined([t.text for t in base_tokens(copy)]) if copy is not None else ""
    server = _joined([s.markdown.strip() for s in attempt.outcome.server_copy.segments])
    return ConflictView(
        attempt,
        diff_html(base, server, LAST_PUBLISHED, "on the blog now"),
        diff_html(base, mine, LAST_PUBLISHED, "yours now"),
        text,
    )


def prepare_engine_conflict_view(
    engine: BlogEngine, text: str, blog: str, folder: Path | None
) -> ConflictView:
    """Read the blog's post with its engine, merge and diff (another engine than WordPress;
    network and slow: run it off the GUI thread)."""
    from editor.publish.engine_merge import read_and_merge

    attempt = read_and_merge(engine, text, blog, folder)
    mine = body_of(text).lstrip("\n")
    server = attempt.server_body
    if attempt.outcome is None:
        both = diff_html(mine, server, "yours", "on the blog now") if server is not None else ""
        return ConflictView(attempt, both, "", text)
    base = _joined([piece for region in attempt.outcome.regions for piece in region.base])
    return ConflictView(
        attempt,
        diff_html(base, server or "", LAST_PUBLISHED, "on the blog now"),
        diff_html(base, mine, LAST_PUBLISHED, "yours now"),
        text,
    )


def _browser(html_text: str) -> QTextBrowser:
    """Return a read-only view of some HTML."""
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setHtml(html_text)
    return view


class PublishConflictDialog(QDialog):
    """Shows both sides' changes and asks: merge, open the blog's version, overwrite, or cancel."""

    def __init__(
        self,
        view: ConflictView,
        title: str,
        parent: QWidget | None = None,
        can_merge: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed on the blog")
        self.view = view
        self.choice: str | None = None
        self.can_merge = can_merge
        self.merged_body: str | None = None
        outcome = view.attempt.outcome
        message = self._message_text(title)
        if outcome is not None and not can_merge:
            message += "\n\nOpen this post in Draftpress to merge the blog's changes into it."
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.tabs = QTabWidget()
        self.choices: list[QButtonGroup] = []
        if outcome is not None and outcome.conflicts:
            self.tabs.addTab(self._conflicts_page(), "Changed on both sides")
        if outcome is not None:
            self.tabs.addTab(_browser(view.blog_changes), "Changed on the blog")
            self.tabs.addTab(_browser(view.my_changes), "Changed by you")
        elif view.blog_changes:
            self.tabs.addTab(_browser(view.blog_changes), "Yours and the blog's")
        self.buttons = QDialogButtonBox()
        self.merge_button = self._add(
            MERGE, QDialogButtonBox.ButtonRole.ActionRole,
            "Put the blog's changes and yours together in the editor (one change that Undo "
            "takes back). Nothing is published until you publish again.",
        )  # fmt: skip
        self._add(
            SERVER_COPY, QDialogButtonBox.ButtonRole.ActionRole,
            "Open the blog's text as a new file; your post stays as it is.",
        )  # fmt: skip
        self.overwrite_button = self._add(
            OVERWRITE, QDialogButtonBox.ButtonRole.DestructiveRole,
            "Publish your version over the blog's: the changes made on the blog are lost.",
        )  # fmt: skip
        self.cancel_button = self._add(
            CANCEL, QDialogButtonBox.ButtonRole.RejectRole, "Publish nothing."
        )
        self.cancel_button.setDefault(True)  # Enter cancels: it never overwrites
        self.cancel_button.setFocus()
        self.merge_button.setVisible(outcome is not None and can_merge)
        self._update_merge_button()
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        if self.tabs.count():
            layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 620)

    def _message_text(self, title: str) -> str:
        """Return the sentences at the top of the dialog."""
        from editor.publish.server_merge import summary

        attempt = self.view.attempt
        text = (
            f"“{title}” was changed on the blog since you last published it. Publishing now "
            "would overwrite those changes."
        )
        if attempt.outcome is None:
            return f"{text}\n\n{attempt.reason}"
        if attempt.outcome.conflicts:
            count = len(attempt.outcome.conflicts)
            return (
                f"{text}\n\n{summary(attempt.outcome)} Choose your version or the blog's for "
                f"{'that place' if count == 1 else f'each of the {count} places'}, then Merge."
            )
        return f"{text}\n\n{summary(attempt.outcome)} Merge puts them together in the editor."

    def _add(self, label: str, role: QDialogButtonBox.ButtonRole, tip: str) -> QPushButton:
        """Add a button that never becomes the default by focus."""
        button = QPushButton(label)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False, label=label: self._choose(label))
        self.buttons.addButton(button, role)
        return button

    def _conflicts_page(self) -> QWidget:
        """Return the places both sides changed, side by side, each with its choice."""
        outcome = self.view.attempt.outcome
        assert outcome is not None
        page = QWidget()
        column = QVBoxLayout(page)
        for number, region in enumerate(outcome.conflicts, 1):
            box = QGroupBox(f"Place {number}")
            grid = QGridLayout(box)
            mine, blogs = "\n\n".join(region.ours), "\n\n".join(region.theirs)
            mine_html, blogs_html = side_by_side_html(mine, blogs)
            removed = "<p><i>Removed</i></p>"
            group = QButtonGroup(box)
            for col, (label, heading, shown, side) in enumerate(
                (
                    (KEEP_MINE, "Yours", mine_html if mine else removed, MINE),
                    (TAKE_BLOGS, "The blog's", blogs_html if blogs else removed, BLOGS),
                )
            ):
                grid.addWidget(QLabel(f"<b>{html.escape(heading)}</b>"), 0, col)
                view = _browser(shown)
                view.setMinimumHeight(90)
                grid.addWidget(view, 1, col)
                radio = QRadioButton(label)
                radio.setProperty("side", side)
                group.addButton(radio)
                grid.addWidget(radio, 2, col)
            group.buttonToggled.connect(lambda *_args: self._update_merge_button())
            self.choices.append(group)
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def picks(self) -> list[str] | None:
        """Return the side chosen for each conflict, or None while one is not chosen."""
        picks = []
        for group in self.choices:
            checked = group.checkedButton()
            if checked is None:
                return None
            picks.append(str(checked.property("side")))
        return picks

    def pick(self, index: int, side: str) -> None:
        """Choose MINE or BLOGS for conflict `index` (as clicking its button does)."""
        for button in self.choices[index].buttons():
            if button.property("side") == side:
                button.setChecked(True)

    def _update_merge_button(self) -> None:
        """Let Merge be pressed once every place both sides changed has a chosen version."""
        outcome = self.view.attempt.outcome
        ready = outcome is not None and self.can_merge and self.picks() is not None
        self.merge_button.setEnabled(ready)
        if outcome is not None and not ready:
            self.merge_button.setToolTip("Choose yours or the blog's for each place first.")

    def button(self, label: str) -> QPushButton:
        """Return the button with `label`."""
        return next(b for b in self.buttons.buttons() if b.text() == label)  # type: ignore[return-value]

    def _choose(self, label: str) -> None:
        """Remember the writer's choice (and the merged text) and close."""
        if label == CANCEL:
            self.reject()
            return
        if label == MERGE:
            outcome, picks = self.view.attempt.outcome, self.picks()
            if outcome is None or picks is None or not self.can_merge:
                return
            from editor.publish.block_merge import resolve

            self.merged_body = resolve(outcome, picks)
        self.choice = label
        self.accept()


__all__ = [
    "CANCEL",
    "MERGE",
    "OVERWRITE",
    "SERVER_COPY",
    "ConflictView",
    "PublishConflictDialog",
    "prepare_conflict_view",
    "prepare_engine_conflict_view",
]
