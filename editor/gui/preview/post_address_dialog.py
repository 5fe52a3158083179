"""Blog > Learn the Blog's Look… for a blog whose newest post cannot be found by itself: the
writer gives the address of one published post (checked to be on the blog's own address)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from editor.publish.accounts import Account


class PostAddressDialog(QDialog):
    """Asks for one published post's address on the account's blog; `chosen` gets it."""

    def __init__(
        self,
        parent: QWidget,
        account: Account,
        why: str,
        address: str,
        problem_of: Callable[[Account, str], str],
        chosen: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Learn the Blog's Look")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.account = account
        self._problem_of = problem_of
        self._chosen = chosen
        layout = QVBoxLayout(self)
        self.why = QLabel(why, self)
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        layout.addWidget(QLabel(f"Address of a published post on {account.name}:", self))
        self.address = QLineEdit(address, self)
        self.address.setPlaceholderText(f"{account.url.rstrip('/')}/a-published-post/")
        self.address.setMinimumWidth(420)
        self.address.selectAll()
        layout.addWidget(self.address)
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.learn_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.learn_button.setText("Learn the Look")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.address.textChanged.connect(lambda _text: self.problem.hide())

    def accept(self) -> None:
        """Take the address if it is on the blog's own address; else say why and stay open."""
        text = self.address.text().strip()
        problem = self._problem_of(self.account, text)
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            self.adjustSize()  # room for the wrapped lines of the problem (seen clipped)
            self.address.setFocus()
            return
        super().accept()
        self._chosen(text)
