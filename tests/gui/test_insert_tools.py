"""The quote and image tools in the real window: dialogs prefilled, Markdown inserted as one undo
step, images copied beside the post and shown in the preview, bad input refused with a message.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QImage, QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog

from editor.core.figure_snippet import FigureFields, build_figure_markdown
from editor.core.quote_snippet import DEFAULT_CLOSING, QuoteFields, build_quote_markdown
from editor.gui.inserting.image_dialog import ImageDialog
from editor.gui.inserting.quote_dialog import QuoteDialog
from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait, run_js, wait_for_preview
from tests.local_page import serve_page
from tests.scripted_prompter import ScriptedPrompter

Accepted = QDialog.DialogCode.Accepted
Rejected = QDialog.DialogCode.Rejected

POST_TEXT = (
    "---\n"
    "title: Night Train\n"
    "status: draft\n"
    "---\n"
    "\n"
    "We took the night train north.\n"
    "\n"
    "The station was empty at dawn,\n"
    "and the kiosk was closed.\n"
    "\n"
    "Home again.\n"
)


# -- stand-ins for the modal dialogs --------------------------------------------------------


@dataclass
class DialogScript:
    """Replaces a dialog's exec(): records what it was prefilled with, fills it, answers."""

    fill: Callable[[QDialog], None] = lambda dialog: None
    answer: QDialog.DialogCode = Accepted
    prefilled: list[object] = field(default_factory=list)
    editing: list[bool] = field(default_factory=list)

    def exec(self, dialog: QDialog) -> int:
        self.prefilled.append(dialog.fields())
        self.editing.append(dialog.windowTitle().startswith("Edit"))
        self.fill(dialog)
        if self.answer == Accepted:
            dialog.accept()  # the dialog's own accept, with its checks
            return dialog.result()
        dialog.reject()
        return Rejected


@pytest.fixture
def quote_dialog(monkeypatch: pytest.MonkeyPatch) -> DialogScript:
    """Every QuoteDialog of the test runs this script instead of showing itself."""
    script = DialogScript()
    monkeypatch.setattr(QuoteDialog, "exec", lambda dialog: script.exec(dialog))
    return script


@pytest.fixture
def image_dialog(monkeypatch: pytest.MonkeyPatch) -> DialogScript:
    """Every ImageDialog of the test runs this script instead of showing itself."""
    script = DialogScript()
    monkeypatch.setattr(ImageDialog, "exec", lambda dialog: script.exec(dialog))
    return script


# -- posts and images -----------------------------------------------------------------------


@pytest.fixture
def post(qtbot, window: MainWindow, library_root: Path) -> Path:
    """A saved post in the library, open in the window."""
    path = library_root / "2026-03-01-night-train.md"
    path.write_text(POST_TEXT, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    wait_for_preview(qtbot, window.preview, "Home again.")
    return path


def assets_of(post_path: Path) -> Path:
    return post_path.parent / f"{post_path.stem}.assets"


def listing(folder: Path) -> dict[str, bytes] | None:
    """The files of a folder and their bytes (None: there is no folder)."""
    if not folder.exists():
        return None
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def make_png(path: Path, size=(320, 200), color=(30, 140, 220)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "PNG")
    return path


def make_jpeg(path: Path, size=(400, 300), color=(220, 90, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG", quality=90)
    return path


def put_cursor(window: MainWindow, position: int, anchor: int | None = None) -> None:
    """Place the editor's cursor (with a selection from `anchor`, if given)."""
    cursor = window.editor.textCursor()
    cursor.setPosition(position if anchor is None else anchor)
    if anchor is not None:
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def image_is_shown(qtbot, window: MainWindow, src: str) -> bool:
    """Tell whether the preview holds a loaded <img> with this src (naturalWidth > 0)."""
    script = (
        f"Array.from(document.images).some(i => i.getAttribute('src') === {json.dumps(src)} "
        "&& i.complete && i.naturalWidth > 0)"
    )
    return run_js(qtbot, window.preview, script) is True


def wait_for_text(qtbot, window: MainWindow, needle: str, timeout: int = 10000) -> str:
    qtbot.waitUntil(lambda: needle in window.editor.toPlainText(), timeout=timeout)
    return window.editor.toPlainText()


def window_still_responds(qtbot, window: MainWindow, words: str) -> None:
    """Type at the end of the post and see the words reach the preview."""
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, words)
    wait_for_preview(qtbot, window.preview, words)


# -- quotes ---------------------------------------------------------------------------------


def test_the_tools_have_their_shortcuts(window: MainWindow) -> None:
    assert window.menu_actions["insert_quote"].shortcut().toString() == "Ctrl+Shift+Q"
    assert window.menu_actions["insert_image"].shortcut().toString() == "Ctrl+Shift+I"


def test_a_quote_of_the_selection_replaces_it_in_one_undo_step_and_shows_as_a_figure(
    qtbot, window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    selected = "We took the night train north."
    start = POST_TEXT.index(selected)
    put_cursor(window, start + len(selected), anchor=start)

    def fill(dialog: QuoteDialog) -> None:
        dialog.author_edit.setText("Ann Traveller")
        dialog.title_edit.setText("Rails & Dawn")
        dialog.url_edit.setText("https://ann.example/rails")

    quote_dialog.fill = fill
    window.menu_actions["insert_quote"].trigger()

    assert quote_dialog.prefilled[0].text == selected
    assert quote_dialog.prefilled[0].closing_text == DEFAULT_CLOSING
    expected_block = build_quote_markdown(
        QuoteFields(
            selected,
            "Ann Traveller",
            "Rails & Dawn",
            "https://ann.example/rails",
            DEFAULT_CLOSING,
        )
    ).rstrip("\n")
    text = window.editor.toPlainText()
    assert text == POST_TEXT.replace(selected, expected_block)
    assert text.count(selected) == 1  # the selection became the quote, not a copy of it

    html = wait_for_preview(qtbot, window.preview, "<figcaption>")
    assert re.search(r"<figure>\s*<blockquote>\s*<p>We took the night train north\.</p>", html)
    caption = html[html.index("<figcaption>") : html.index("</figcaption>")]
    assert "Ann Traveller" in caption
    assert 'href="https://ann.example/rails"' in caption

    window.editor.undo()
    assert window.editor.toPlainText() == POST_TEXT


def test_a_quote_of_words_inside_a_paragraph_goes_after_it_and_undoes_in_one_step(
    window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    start = POST_TEXT.index("empty at dawn")
    put_cursor(window, start + len("empty at dawn"), anchor=start)
    quote_dialog.fill = lambda dialog: dialog.author_edit.setText("Conductor")
    window.menu_actions["insert_quote"].trigger()
    assert quote_dialog.prefilled[0].text == "empty at dawn"
    text = window.editor.toPlainText()
    assert "The station was ,\nand the kiosk was closed.\n\n> empty at dawn\n\n" in text
    assert text.count("empty at dawn") == 1
    window.editor.undo()
    assert window.editor.toPlainText() == POST_TEXT


def test_without_a_selection_the_quote_comes_from_the_clipboard(
    qtbot, window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    QGuiApplication.clipboard().setText("Trains are\nlibraries that move.")
    put_cursor(window, POST_TEXT.index("kiosk"))
    quote_dialog.fill = lambda dialog: dialog.author_edit.setText("A. Reader")
    window.menu_actions["insert_quote"].trigger()

    assert quote_dialog.prefilled[0].text == "Trains are\nlibraries that move."
    assert quote_dialog.editing == [False]
    text = window.editor.toPlainText()
    # The quote goes after the whole (hard-wrapped) paragraph, a blank line on each side.
    assert "and the kiosk was closed.\n\n> Trains are\n> libraries that move.\n\n" in text
    assert "///\n\nHome again.\n" in text
    wait_for_preview(qtbot, window.preview, "A. Reader")
    window.editor.undo()
    assert window.editor.toPlainText() == POST_TEXT


def test_the_cursor_in_a_quote_edits_that_quote_instead_of_adding_one(
    qtbot, window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    old = QuoteFields(
        "Fast trains are\nfor people in a hurry.",
        "Old Name",
        "Slow travel",
        "https://slow.example/post",
        "Read the whole post here.",
    )
    block = build_quote_markdown(old).rstrip("\n")
    text = POST_TEXT.replace("Home again.", f"{block}\n\nHome again.")
    window.editor.setPlainText(text)
    put_cursor(window, text.index("in a hurry"))

    quote_dialog.fill = lambda dialog: dialog.author_edit.setText("New Name")
    window.menu_actions["insert_quote"].trigger()

    assert quote_dialog.editing == [True]
    assert quote_dialog.prefilled[0].normalized() == old.normalized()
    assert quote_dialog.prefilled[0].author == "Old Name"
    new_text = window.editor.toPlainText()
    assert new_text == text.replace("— Old Name,", "— New Name,")
    assert new_text.count("/// caption") == 1 and new_text.count("> Fast trains") == 1
    assert new_text.count("[Read the whole post here.]") == 1
    wait_for_preview(qtbot, window.preview, "New Name")
    window.editor.undo()
    assert window.editor.toPlainText() == text


def test_the_quote_dialog_refuses_an_empty_quote_and_stays_open(qtbot) -> None:
    dialog = QuoteDialog(QuoteFields(text="  \n "))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.author_edit.setText("Someone")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.result() != Accepted
    assert "no text to quote" in dialog.message.text()
    dialog.text_edit.setPlainText("Now there are words.")
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == Accepted


def test_an_empty_quote_inserts_nothing(
    qtbot, window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    QGuiApplication.clipboard().setText("")
    put_cursor(window, POST_TEXT.index("Home"))
    quote_dialog.fill = lambda dialog: dialog.author_edit.setText("Nobody")
    window.menu_actions["insert_quote"].trigger()
    assert quote_dialog.prefilled[0].text == ""
    assert window.editor.toPlainText() == POST_TEXT
    assert not window.editor.document().isUndoAvailable()


def test_cancelling_the_quote_dialog_changes_nothing(
    window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    put_cursor(window, 20, anchor=10)
    quote_dialog.answer = Rejected
    window.menu_actions["insert_quote"].trigger()
    assert len(quote_dialog.prefilled) == 1
    assert window.editor.toPlainText() == POST_TEXT


# -- filling a quote from its web page ------------------------------------------------------

PAGE = (
    "<!doctype html><html><head><title>Rails at Dawn | Ann's Blog</title>"
    '<meta property="og:title" content="Rails at Dawn">'
    '<meta property="article:author" content="https://ann.example/about">'
    '<meta name="author" content="Ann Traveller"></head><body>Text</body></html>'
)


@pytest.fixture
def page_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The address of a real page served from 127.0.0.1 by a thread of the test."""
    with serve_page(monkeypatch, PAGE, "/rails-at-dawn") as url:
        yield url


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


def test_fill_from_page_puts_the_author_and_title_in_the_empty_fields(qtbot, page_url: str) -> None:
    dialog = QuoteDialog(QuoteFields(text="Quoted words.", source_url=page_url))
    qtbot.addWidget(dialog)
    dialog.fetch_details(only_if_empty=True)
    qtbot.waitUntil(
        lambda: bool(dialog.author_edit.text() and dialog.title_edit.text()), timeout=10000
    )
    assert dialog.author_edit.text() == "Ann Traveller"
    assert dialog.title_edit.text() == "Rails at Dawn"
    assert "Filled the author and title" in dialog.message.text()
    assert dialog.fetch_button.isEnabled()


def test_fill_from_page_keeps_what_the_writer_already_typed(qtbot, page_url: str) -> None:
    dialog = QuoteDialog(QuoteFields(text="Quoted words.", author="Me", source_url=page_url))
    qtbot.addWidget(dialog)
    dialog.fetch_details(only_if_empty=True)
    qtbot.waitUntil(lambda: dialog.title_edit.text() == "Rails at Dawn", timeout=10000)
    assert dialog.author_edit.text() == "Me"


def test_pasting_an_address_fills_the_fields_by_itself(qtbot, page_url: str) -> None:
    dialog = QuoteDialog(QuoteFields(text="Quoted words."))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.url_edit.setFocus()
    qtbot.keyClicks(dialog.url_edit, page_url)  # textEdited starts the short auto-fetch timer
    qtbot.waitUntil(lambda: dialog.author_edit.text() == "Ann Traveller", timeout=10000)
    assert dialog.title_edit.text() == "Rails at Dawn"


def test_an_unreachable_page_leaves_the_fields_and_says_why_in_one_line(qtbot) -> None:
    dialog = QuoteDialog(
        QuoteFields(text="Quoted words.", source_title="My title", source_url=closed_port_url())
    )
    qtbot.addWidget(dialog)
    dialog.fetch_details(only_if_empty=True)
    qtbot.waitUntil(lambda: "could not be reached" in dialog.message.text(), timeout=10000)
    assert "\n" not in dialog.message.text()
    assert dialog.author_edit.text() == "" and dialog.title_edit.text() == "My title"
    assert dialog.fetch_button.isEnabled()


# -- images ---------------------------------------------------------------------------------


def describe_image(dialog: ImageDialog) -> None:
    dialog.alt_edit.setText("A blue test card")
    dialog.caption_edit.setPlainText("The card we *always* test with")
    dialog.credit_name_edit.setText("Test Lab")


def drop_files(window: MainWindow, urls: list[QUrl], position: int) -> None:
    """Deliver a real drop event carrying `urls` at the place of text `position`."""
    cursor = window.editor.textCursor()
    cursor.setPosition(position)
    point = QPointF(window.editor.cursorRect(cursor).center())
    mime = QMimeData()
    mime.setUrls(urls)
    event = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.editor.dropEvent(event)


def test_a_dropped_image_is_copied_beside_the_post_inserted_and_shown(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = make_png(tmp_path / "Downloads" / "Test Card.PNG")
    image_dialog.fill = describe_image
    drop_files(window, [QUrl.fromLocalFile(str(source))], POST_TEXT.index("night train"))

    src = "2026-03-01-night-train.assets/test-card.png"
    text = wait_for_text(qtbot, window, f"]({src})")
    assert image_dialog.prefilled[0] == FigureFields(src=src)
    figure = build_figure_markdown(
        FigureFields(src, "A blue test card", "The card we *always* test with", "Test Lab")
    )
    assert text == POST_TEXT.replace(
        "We took the night train north.\n", f"We took the night train north.\n\n{figure}"
    )
    assert listing(assets_of(post)) == {"test-card.png": source.read_bytes()}

    wait_for_preview(qtbot, window.preview, 'alt="A blue test card"')
    qtbot.waitUntil(lambda: image_is_shown(qtbot, window, src), timeout=10000)
    window.editor.undo()
    assert window.editor.toPlainText() == POST_TEXT


def test_the_same_image_inserted_twice_is_stored_once(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = make_jpeg(tmp_path / "photo.jpg")
    image_dialog.fill = describe_image
    window.editor.files_dropped.emit([source], POST_TEXT.index("Home"))
    wait_for_text(qtbot, window, "photo.jpg)")
    window.editor.files_dropped.emit([source], POST_TEXT.index("night"))
    qtbot.waitUntil(lambda: window.editor.toPlainText().count("photo.jpg)") == 2, timeout=10000)
    assert [p.name for p in assets_of(post).iterdir()] == ["photo.jpg"]
    assert len(image_dialog.prefilled) == 2


def test_dropping_two_images_inserts_both_one_after_the_other(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    first = make_png(tmp_path / "one.png", color=(255, 0, 0))
    second = make_png(tmp_path / "two.png", color=(0, 255, 0))
    image_dialog.fill = describe_image
    window.editor.files_dropped.emit([first, second], POST_TEXT.index("Home"))
    qtbot.waitUntil(lambda: "two.png)" in window.editor.toPlainText(), timeout=10000)
    text = window.editor.toPlainText()
    assert 0 < text.index("one.png)") < text.index("two.png)")  # in the order dropped
    assert sorted(p.name for p in assets_of(post).iterdir()) == ["one.png", "two.png"]


@pytest.mark.parametrize("needle", ["Fast trains", "in a hurry", "— Old", "[Read the whole"])
def test_an_image_dropped_on_a_quote_goes_after_the_whole_quote(
    qtbot,
    window: MainWindow,
    post: Path,
    image_dialog: DialogScript,
    tmp_path: Path,
    needle: str,
) -> None:
    quote = build_quote_markdown(
        QuoteFields(
            "Fast trains are\nfor people in a hurry.",
            "Old Name",
            source_url="https://slow.example/post",
            closing_text=DEFAULT_CLOSING,
        )
    ).rstrip("\n")
    text = POST_TEXT.replace("Home again.", f"{quote}\n\nHome again.")
    window.editor.setPlainText(text)
    source = make_png(tmp_path / "ticket.png")
    image_dialog.fill = lambda dialog: dialog.alt_edit.setText("A ticket")
    window.editor.files_dropped.emit([source], text.index(needle) + 1)
    new_text = wait_for_text(qtbot, window, "![A ticket]")
    figure = build_figure_markdown(
        FigureFields("2026-03-01-night-train.assets/ticket.png", "A ticket")
    )
    assert new_text == text.replace(quote, f"{quote}\n\n{figure.rstrip()}")


def test_a_quote_inserted_on_an_image_line_goes_after_its_caption(
    window: MainWindow, post: Path, quote_dialog: DialogScript
) -> None:
    figure = build_figure_markdown(FigureFields("x.png", "Alt", "Its caption")).rstrip("\n")
    text = POST_TEXT.replace("Home again.", f"{figure}\n\nHome again.")
    window.editor.setPlainText(text)
    QGuiApplication.clipboard().setText("Quoted.")
    put_cursor(window, text.index("![Alt]"))
    window.menu_actions["insert_quote"].trigger()
    assert quote_dialog.editing == [False]
    assert window.editor.toPlainText() == text.replace(figure, f"{figure}\n\n> Quoted.")


def test_pasted_image_data_is_stored_as_png_and_inserted(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript
) -> None:
    image = QImage(240, 120, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 200, 90))
    mime = QMimeData()
    mime.setImageData(image)
    put_cursor(window, POST_TEXT.index("Home"))
    image_dialog.fill = lambda dialog: dialog.alt_edit.setText("A green rectangle")
    window.editor.insertFromMimeData(mime)

    src = "2026-03-01-night-train.assets/pasted-image.png"
    wait_for_text(qtbot, window, f"![A green rectangle]({src})")
    stored = Image.open(assets_of(post) / "pasted-image.png")
    assert stored.format == "PNG" and stored.size == (240, 120)
    assert stored.convert("RGB").getpixel((5, 5)) == (10, 200, 90)
    qtbot.waitUntil(lambda: image_is_shown(qtbot, window, src), timeout=15000)


def test_cancelling_the_image_dialog_removes_the_copy(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = make_png(tmp_path / "unwanted.png")
    image_dialog.answer = Rejected
    window.editor.files_dropped.emit([source], 0)
    qtbot.waitUntil(lambda: len(image_dialog.prefilled) == 1, timeout=10000)
    assert not assets_of(post).exists()
    assert window.editor.toPlainText() == POST_TEXT


def test_cancelling_a_second_insert_of_a_stored_image_keeps_the_first_copy(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = make_png(tmp_path / "keeper.png")
    window.editor.files_dropped.emit([source], 0)
    text = wait_for_text(qtbot, window, "keeper.png)")
    before = listing(assets_of(post))
    image_dialog.answer = Rejected
    window.editor.files_dropped.emit([source], 0)
    qtbot.waitUntil(lambda: len(image_dialog.prefilled) == 2, timeout=10000)
    assert listing(assets_of(post)) == before
    assert window.editor.toPlainText() == text


def test_the_cursor_in_a_figure_edits_that_figure(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript
) -> None:
    make_png(assets_of(post) / "map.png")
    old = FigureFields(
        src="2026-03-01-night-train.assets/map.png",
        alt="A map of the line",
        caption="The route north",
        credit_name="Rail Co",
        credit_url="https://rail.example",
        credit_prefix="image by",
        align="center",
        width=300,
    )
    block = build_figure_markdown(old).rstrip("\n")
    text = POST_TEXT.replace("Home again.", f"{block}\n\nHome again.")
    window.editor.setPlainText(text)
    put_cursor(window, text.index("route north"))

    image_dialog.fill = lambda dialog: dialog.caption_edit.setPlainText("The route, by night")
    window.menu_actions["insert_image"].trigger()

    assert image_dialog.editing == [True]
    assert image_dialog.prefilled[0] == old
    new_text = window.editor.toPlainText()
    assert new_text == text.replace("The route north", "The route, by night")
    assert new_text.count("![A map of the line]") == 1
    wait_for_preview(qtbot, window.preview, "The route, by night")
    qtbot.waitUntil(lambda: image_is_shown(qtbot, window, old.src), timeout=10000)
    window.editor.undo()
    assert window.editor.toPlainText() == text


def bad_drop(tmp_path: Path, kind: str) -> tuple[object, str]:
    """What gets dropped for each kind of bad input, and the message it must give."""
    folder = tmp_path / "drops"
    folder.mkdir(exist_ok=True)
    if kind == "text renamed .png":
        path = folder / "notes.png"
        path.write_text("Shopping list: bread, milk.\n", encoding="utf-8")
        return path, "“notes.png” is not an image"
    if kind == "truncated jpeg":
        data = make_jpeg(folder / "full.jpg", size=(600, 400)).read_bytes()
        path = folder / "half.jpg"
        path.write_bytes(data[: len(data) // 2])
        return path, "“half.jpg” is damaged or incomplete"
    if kind == "folder":
        path = folder / "Holiday"
        path.mkdir()
        make_png(path / "inside.png")
        return path, "“Holiday” is a folder"
    if kind == "url":
        return "https://example.com/cat.jpg", "is a web address"
    if kind == "missing":
        return folder / "gone.png", "“gone.png” does not exist"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["text renamed .png", "truncated jpeg", "folder", "url", "missing"]
)
def test_bad_drops_are_refused_with_a_message_and_change_nothing(
    qtbot,
    window: MainWindow,
    post: Path,
    image_dialog: DialogScript,
    prompter: ScriptedPrompter,
    tmp_path: Path,
    kind: str,
) -> None:
    item, message = bad_drop(tmp_path, kind)
    window.editor.files_dropped.emit([item], POST_TEXT.index("Home"))
    qtbot.waitUntil(lambda: len(prompter.messages) == 1, timeout=10000)
    assert message in prompter.messages[0]
    assert prompter.messages[0].startswith("Nothing inserted: ")
    assert image_dialog.prefilled == []
    assert window.editor.toPlainText() == POST_TEXT
    assert not window.editor.document().isUndoAvailable()
    assert not assets_of(post).exists()
    window_still_responds(qtbot, window, "Still writing after the refusal.")


def test_a_real_drop_of_a_web_address_is_refused(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, prompter: ScriptedPrompter
) -> None:
    drop_files(window, [QUrl("https://example.com/cat.jpg")], 0)
    qtbot.waitUntil(lambda: len(prompter.messages) == 1, timeout=10000)
    assert "“https://example.com/cat.jpg” is a web address" in prompter.messages[0]
    assert window.editor.toPlainText() == POST_TEXT
    assert not assets_of(post).exists()


def test_a_bad_file_among_good_ones_is_refused_and_the_good_ones_inserted(
    qtbot,
    window: MainWindow,
    post: Path,
    image_dialog: DialogScript,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    bad, message = bad_drop(tmp_path, "text renamed .png")
    good = make_png(tmp_path / "good.png")
    window.editor.files_dropped.emit([bad, good], POST_TEXT.index("Home"))
    wait_for_text(qtbot, window, "good.png)")
    assert len(prompter.messages) == 1 and message in prompter.messages[0]
    assert [p.name for p in assets_of(post).iterdir()] == ["good.png"]


def test_an_unsaved_post_is_saved_first_then_the_chosen_image_inserted(
    qtbot,
    window: MainWindow,
    image_dialog: DialogScript,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert window.document.post.path is None  # the window starts on an untitled post
    qtbot.keyClicks(window.editor, "Draft before any save.")
    target = tmp_path / "library" / "first-draft.md"
    source = make_png(tmp_path / "pics" / "sky.png")
    asked: list[str] = []

    def save_name(_parent, _title, suggestion, _filter):
        asked.append("save")
        return str(target), _filter

    def open_name(_parent, _title, _folder, _filter):
        asked.append("open")
        return str(source), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    image_dialog.fill = lambda dialog: dialog.alt_edit.setText("Blue sky")
    window.menu_actions["insert_image"].trigger()

    text = wait_for_text(qtbot, window, "![Blue sky](first-draft.assets/sky.png)")
    assert asked == ["save", "open"]
    assert len(prompter.messages) == 1 and "Save the post first" in prompter.messages[0]
    assert target.read_text(encoding="utf-8") == "Draft before any save."
    assert text.startswith("Draft before any save.\n\n![Blue sky]")
    assert listing(target.parent / "first-draft.assets") == {"sky.png": source.read_bytes()}
    qtbot.waitUntil(
        lambda: image_is_shown(qtbot, window, "first-draft.assets/sky.png"), timeout=15000
    )


def test_an_image_dropped_on_an_unsaved_post_is_inserted_once_it_is_saved(
    qtbot,
    window: MainWindow,
    image_dialog: DialogScript,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    target = tmp_path / "library" / "dropped.md"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args: (str(target), "Markdown posts (*.md)")
    )
    source = make_jpeg(tmp_path / "pics" / "field.jpg")
    window.editor.files_dropped.emit([source], 0)
    wait_for_text(qtbot, window, "](dropped.assets/field.jpg)")
    assert target.exists()
    assert (target.parent / "dropped.assets" / "field.jpg").read_bytes() == source.read_bytes()


def test_declining_to_save_an_unsaved_post_inserts_nothing_then_or_later(
    qtbot,
    window: MainWindow,
    image_dialog: DialogScript,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    answers = iter(["", str(tmp_path / "library" / "later.md")])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args: (next(answers), "Markdown posts (*.md)")
    )
    declined = make_png(tmp_path / "pics" / "declined.png", color=(1, 1, 1))
    window.editor.files_dropped.emit([declined], 0)
    assert len(prompter.messages) == 1
    assert window.editor.toPlainText() == "" and image_dialog.prefilled == []

    wanted = make_png(tmp_path / "pics" / "wanted.png", color=(2, 2, 2))
    window.editor.files_dropped.emit([wanted], 0)
    wait_for_text(qtbot, window, "](later.assets/wanted.png)")
    assert "declined" not in window.editor.toPlainText()
    assert [p.name for p in (tmp_path / "library" / "later.assets").iterdir()] == ["wanted.png"]
    assert len(image_dialog.prefilled) == 1


def test_pasted_text_is_still_pasted_as_text(window: MainWindow, post: Path) -> None:
    mime = QMimeData()
    mime.setText("plain words")
    put_cursor(window, POST_TEXT.index("Home"))
    window.editor.insertFromMimeData(mime)
    assert "plain wordsHome again." in window.editor.toPlainText()


def test_an_image_file_copied_in_a_file_manager_is_pasted_as_an_image(
    qtbot, window: MainWindow, post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = make_png(tmp_path / "copied.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    put_cursor(window, POST_TEXT.index("Home"))
    window.editor.insertFromMimeData(mime)
    wait_for_text(qtbot, window, "night-train.assets/copied.png)")
    assert (assets_of(post) / "copied.png").read_bytes() == source.read_bytes()
