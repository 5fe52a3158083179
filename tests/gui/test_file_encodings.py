"""Files in other encodings in the real window: asked before opening, saved back unmangled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from editor.gui.document.encoding_ui import EncodingDialog
from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait

CAFE = "---\r\ntitle: Café\r\n---\r\n\r\nNaïve “quotes” — 5 €.\r\n"


class EncodingAnswer:
    """Stands in for the encoding dialog's exec: records what it offers, then answers."""

    def __init__(self, monkeypatch, codec: str | None) -> None:
        self.codec = codec
        self.offered: list[tuple[str, str, str]] = []  # (message, selected codec, sample)
        monkeypatch.setattr(EncodingDialog, "exec", lambda dialog: self.answer(dialog))

    def answer(self, dialog: EncodingDialog) -> int:
        texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
        self.offered.append((texts, dialog.chosen_encoding(), dialog.sample_view.toPlainText()))
        if self.codec is None:
            return QDialog.DialogCode.Rejected
        dialog.chooser.setCurrentIndex(dialog.chooser.findData(self.codec))
        return QDialog.DialogCode.Accepted


def type_at_end(window: MainWindow, text: str) -> None:
    """Put `text` at the end as the writer's input (QTest cannot type beyond Latin-1, e.g. €)."""
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText(text)


@pytest.fixture
def cafe(library_root: Path) -> Path:
    path = library_root / "cafe.md"
    path.write_bytes(CAFE.encode("cp1252"))
    return path


def test_a_cp1252_file_opens_after_asking_and_saves_back_unchanged(
    qtbot, window: MainWindow, cafe: Path, monkeypatch
) -> None:
    answer = EncodingAnswer(monkeypatch, "cp1252")
    original = cafe.read_bytes()
    open_and_wait(qtbot, window, cafe)

    assert len(answer.offered) == 1
    message, selected, sample = answer.offered[0]
    assert "cafe.md" in message and "not UTF-8" in message and "Windows-1252" in message
    assert selected == "cp1252" and "Naïve “quotes” — 5 €." in sample
    assert window.editor.toPlainText() == CAFE.replace("\r\n", "\n")
    assert window.encoding_indicator.button.text() == "Windows-1252 · CRLF"
    assert window.menu_actions["convert_to_utf8"].isEnabled()

    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert cafe.read_bytes() == original

    type_at_end(window, "Ça coûte 5 €.")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert cafe.read_bytes() == original + "Ça coûte 5 €.".encode("cp1252")


def test_cancelling_the_encoding_question_opens_nothing(
    qtbot, window: MainWindow, cafe: Path, monkeypatch
) -> None:
    answer = EncodingAnswer(monkeypatch, None)
    text = window.editor.toPlainText()
    with qtbot.waitSignal(window.document.failed, timeout=10000) as failed:
        window.document.open_path(cafe)
    assert len(answer.offered) == 1
    assert "not opened" in failed.args[0]
    assert window.editor.toPlainText() == text
    assert window.document.post.path != cafe


def test_convert_to_utf8_writes_utf8_on_the_next_save(
    qtbot, window: MainWindow, cafe: Path, monkeypatch
) -> None:
    EncodingAnswer(monkeypatch, "cp1252")
    open_and_wait(qtbot, window, cafe)
    window.menu_actions["convert_to_utf8"].trigger()
    assert window.isWindowModified()
    assert window.encoding_indicator.button.text() == "UTF-8 · CRLF"
    assert not window.menu_actions["convert_to_utf8"].isEnabled()
    assert "UTF-8" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert cafe.read_bytes() == CAFE.encode("utf-8")


@pytest.mark.parametrize("click", ["Save as UTF-8", "Cancel"])
def test_a_character_cp1252_cannot_hold_asks_before_saving_as_utf8(
    qtbot, window: MainWindow, cafe: Path, monkeypatch, prompter, click: str
) -> None:
    EncodingAnswer(monkeypatch, "cp1252")
    original = cafe.read_bytes()
    open_and_wait(qtbot, window, cafe)
    type_at_end(window, "A snowman: ☃")
    mine = window.editor.toPlainText()
    prompter.answer("Cannot save in this encoding", None if click == "Cancel" else click)

    if click == "Cancel":
        with qtbot.waitSignal(window.document.failed, timeout=10000):
            window.menu_actions["save"].trigger()
        assert cafe.read_bytes() == original
        assert window.isWindowModified()
    else:
        with qtbot.waitSignal(window.document.saved, timeout=10000):
            window.menu_actions["save"].trigger()
        assert cafe.read_bytes() == mine.replace("\n", "\r\n").encode("utf-8")
        assert not window.isWindowModified()
    [asked] = prompter.asked("Cannot save in this encoding")
    assert "☃" in asked.text and "Windows-1252" in asked.text
    assert "?" not in cafe.read_bytes().decode("cp1252", errors="replace").split("snowman")[-1]
    assert window.editor.toPlainText() == mine


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_files_open_without_asking_and_show_their_encoding(
    qtbot, window: MainWindow, library_root: Path, monkeypatch, codec: str, bom: bytes
) -> None:
    answer = EncodingAnswer(monkeypatch, None)
    path = library_root / "wide.md"
    original = bom + "---\ntitle: Wide\n---\n\nHallo Wörld 🎉\n".encode(codec)
    path.write_bytes(original)
    open_and_wait(qtbot, window, path)
    assert answer.offered == []
    assert window.editor.toPlainText().endswith("Hallo Wörld 🎉\n")
    label = "UTF-16 LE" if codec.endswith("le") else "UTF-16 BE"
    assert window.encoding_indicator.button.text() == f"{label} · LF"
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert path.read_bytes() == original


def test_a_file_mixing_line_endings_says_so_and_saves_unedited_unchanged(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    path = library_root / "mixed.md"
    original = b"---\r\ntitle: Mixed\r\n---\n\nOne\r\nTwo\nThree\r\n"
    path.write_bytes(original)
    open_and_wait(qtbot, window, path)
    assert "line endings" in window.statusBar().currentMessage()
    assert "CRLF" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert path.read_bytes() == original

    type_at_end(window, "Four\n")
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.menu_actions["save"].trigger()
    assert path.read_bytes() == b"---\r\ntitle: Mixed\r\n---\r\n\r\nOne\r\nTwo\r\nThree\r\nFour\r\n"
    assert "now ends in CRLF" in window.statusBar().currentMessage()
