"""Message boxes with the writer's own words on the buttons; every one goes through `exec()`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon
Role = QMessageBox.ButtonRole
CANCEL = "Cancel"


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
    """Show a box with one button per choice (and Cancel); return the chosen label or None."""
    box = QMessageBox(icon, title, text, parent=parent)
    if details:
        box.setInformativeText(details)
    buttons = {}
    for index, label in enumerate(choices):
        role = Role.AcceptRole if index == 0 else Role.ActionRole
        buttons[box.addButton(label, role)] = label
    if cancel is not None:
        cancel_button = box.addButton(cancel, Role.RejectRole)
        box.setEscapeButton(cancel_button)
    if buttons:
        box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton())


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = Icon.Warning,
    details: str = "",
) -> None:
    """Show a message with one OK button."""
    ask(parent, title, text, [], icon=icon, cancel="OK", details=details)
