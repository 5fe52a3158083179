"""The image dialog: alt text, caption, credit, alignment and width of an inserted image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from editor.core.figure_snippet import ALIGNMENTS, CREDIT_PREFIXES, FigureFields

THUMBNAIL_SIZE = 220
ALT_HELP = (
    "Alt text describes the image for readers who cannot see it (screen readers, slow "
    "connections, search engines). Say what matters in the picture, in a sentence."
)


class ImageDialog(QDialog):
    """Collects FigureFields for an image already stored beside the post."""

    def __init__(
        self,
        fields: FigureFields,
        image_path: Path | None,
        *,
        editing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit image" if editing else "Insert image")
        self.setMinimumWidth(600)
        self._src = fields.src
        self.thumbnail = QLabel()
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setFixedSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE)
        self._show_thumbnail(image_path)
        self.alt_edit = QLineEdit(fields.alt)
        self.alt_edit.setPlaceholderText("e.g. A hammer hovering over a row of nails")
        self.alt_help = alt_help = QLabel(ALT_HELP)
        alt_help.setWordWrap(True)
        alt_help.setStyleSheet("color: palette(mid);")
        self.alt_warning = QLabel(
            "⚠ Without alt text, some readers will not know what the image shows."
        )
        self.alt_warning.setWordWrap(True)
        self.alt_warning.setStyleSheet("color: #b3261e;")
        self.caption_edit = QPlainTextEdit(fields.caption)
        self.caption_edit.setTabChangesFocus(True)
        self.caption_edit.setPlaceholderText("Optional caption (Markdown allowed)")
        self.caption_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.credit_prefix = QComboBox()
        self.credit_prefix.addItems(CREDIT_PREFIXES)
        self.credit_prefix.setCurrentText(fields.credit_prefix)
        self.credit_name_edit = QLineEdit(fields.credit_name)
        self.credit_name_edit.setPlaceholderText("Artist or photographer")
        self.credit_url_edit = QLineEdit(fields.credit_url)
        self.credit_url_edit.setPlaceholderText("Optional link to their site")
        self.align_combo = QComboBox()
        self.align_combo.addItems(ALIGNMENTS)
        self.align_combo.setCurrentText(fields.align)
        self.width_spin = QSpinBox()
        self.width_spin.setRange(0, 10000)
        self.width_spin.setSuffix(" px")
        self.width_spin.setSpecialValueText("original size")
        self.width_spin.setValue(fields.width or 0)

        credit_row = QHBoxLayout()
        credit_row.addWidget(self.credit_prefix)
        credit_row.addWidget(self.credit_name_edit, 1)
        form = QFormLayout()
        self._form = form
        form.addRow("&Alt text", self.alt_edit)
        form.addRow("", alt_help)
        form.addRow("", self.alt_warning)
        form.addRow("&Caption", self.caption_edit)
        credit_label = QLabel("C&redit")
        credit_label.setBuddy(self.credit_name_edit)
        form.addRow(credit_label, credit_row)
        form.addRow("Credit &link", self.credit_url_edit)
        form.addRow("Ali&gnment", self.align_combo)
        form.addRow("&Width", self.width_spin)
        top = QHBoxLayout()
        top.addWidget(self.thumbnail, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(form, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Save image" if editing else "Insert"
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer = self._outer = QFormLayout(self)
        outer.addRow(top)
        outer.addRow(QLabel(f"File: {fields.src}"))
        outer.addRow(buttons)
        self.alt_edit.textChanged.connect(self._update_warning)
        self._update_warning()
        self.alt_edit.setFocus()

    def _show_thumbnail(self, image_path: Path | None) -> None:
        """Show a scaled-down copy of the stored image (decoded at thumbnail size)."""
        if image_path is None or not image_path.is_file():
            self.thumbnail.setText("(no preview)")
            return
        reader = QImageReader(str(image_path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            size.scale(THUMBNAIL_SIZE, THUMBNAIL_SIZE, Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(size)
        image = reader.read()
        if image.isNull():
            self.thumbnail.setText("(no preview)")
        else:
            self.thumbnail.setPixmap(QPixmap.fromImage(image))

    def _update_warning(self) -> None:
        """Warn while the alt text is empty; without the warning its row takes no space."""
        wanted = not self.alt_edit.text().strip()
        if wanted == self.alt_warning.isVisibleTo(self):
            return
        self._form.setRowVisible(self.alt_warning, wanted)
        if self.isVisible():  # shrink (or grow) to the rows shown: no blank band left behind
            self._outer.activate()
            self.resize(self.width(), self.sizeHint().height())

    def fields(self) -> FigureFields:
        """Return what the writer entered."""
        return FigureFields(
            src=self._src,
            alt=self.alt_edit.text(),
            caption=self.caption_edit.toPlainText(),
            credit_name=self.credit_name_edit.text(),
            credit_url=self.credit_url_edit.text(),
            credit_prefix=self.credit_prefix.currentText(),
            align=self.align_combo.currentText(),
            width=self.width_spin.value() or None,
        )
