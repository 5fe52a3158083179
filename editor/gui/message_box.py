"""The window's one prompter: every question and message box goes through `ask` or `tell`.

The buttons carry the writer's own words. Callers never build a QMessageBox themselves, so that
there is one place that shows them, and tests replace that one place (`use_prompter`) to
answer questions by script instead of stubbing dialogs one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon
Role = QMessageBox.ButtonRole
CANCEL = "Cancel"
OK = "OK"


@dataclass(frozen=True)
class Prompt:
    """One box: a question when it offers choices, a message (one OK button) when it does not."""

    title: str
    text: str
    choices: tuple[str, ...] = ()
    cancel: str | None = CANCEL  # the button that answers None (Escape), if any
    details: str = ""
    icon: QMessageBox.Icon = Icon.Question

    @property
    def buttons(self) -> list[str]:
        """Return the labels of every button shown, the choices then Cancel (or OK)."""
        return [*self.choices, *([self.cancel] if self.cancel is not None else [])]

    @property
    def is_question(self) -> bool:
        """Tell whether the writer has a choice to make (not only OK)."""
        return bool(self.choices)


class Prompter(Protocol):
    """Shows a prompt and returns the chosen label (None: cancelled, or a message closed)."""

    def show(self, parent: QWidget | None, prompt: Prompt) -> str | None:
        """Show `prompt` over `parent` and return the writer's choice."""
        ...


class MessageBoxPrompter:
    """The real prompter: a modal QMessageBox per prompt."""

    def show(self, parent: QWidget | None, prompt: Prompt) -> str | None:
        """Show a box with one button per choice (and Cancel); return the chosen label or None."""
        box = QMessageBox(prompt.icon, prompt.title, prompt.text, parent=parent)
        if prompt.details:
            box.setInformativeText(prompt.details)
        buttons = {}
        for index, label in enumerate(prompt.choices):
            role = Role.AcceptRole if index == 0 else Role.ActionRole
            buttons[box.addButton(label, role)] = label
        if prompt.cancel is not None:
            cancel_button = box.addButton(prompt.cancel, Role.RejectRole)
            box.setEscapeButton(cancel_button)
        if buttons:
            box.setDefaultButton(next(iter(buttons)))
        box.exec()
        return buttons.get(box.clickedButton())


_current: Prompter = MessageBoxPrompter()


def use_prompter(prompter: Prompter) -> Prompter:
    """Make `prompter` show every prompt from now on; return the one it replaces (tests)."""
    global _current
    previous, _current = _current, prompter
    return previous


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[str],
    *,
    icon: QMessageBox.Icon = Icon.Question,
    cancel: str | None = CANCEL,
    details: str = "",
) -> str | None:
    """Ask with one button per choice (and Cancel); return the chosen label or None."""
    return _current.show(parent, Prompt(title, text, tuple(choices), cancel, details, icon))


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = Icon.Warning,
    details: str = "",
) -> None:
    """Show a message with one OK button."""
    _current.show(parent, Prompt(title, text, (), OK, details, icon))


def about(parent: QWidget | None, title: str, text: str) -> None:
    """Show an About message (information icon, one OK button)."""
    tell(parent, title, text, icon=Icon.Information)


def about_qt(parent: QWidget | None) -> None:
    """Show Qt's own About box (no question, nothing to script)."""
    QMessageBox.aboutQt(parent)
