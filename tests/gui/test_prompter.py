"""Every question and message of the window goes through one prompter, which tests script."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.gui import message_box
from editor.gui.main_window import MainWindow
from tests.scripted_prompter import ScriptedPrompter

GUI = Path(message_box.__file__).parent


def test_no_gui_module_but_the_prompter_shows_a_message_box() -> None:
    direct = [
        f"{path.name}:{number}"
        for path in sorted(GUI.rglob("*.py"))
        if path.name != "message_box.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "QMessageBox" in line
    ]
    assert direct == []


def test_an_unscripted_question_or_an_unused_answer_fails_the_test() -> None:
    script = ScriptedPrompter()
    previous = message_box.use_prompter(script)
    try:
        assert message_box.ask(None, "Unsaved changes", "Save them first?", ["Save"]) is None
        message_box.tell(None, "Not saved", "The disk is full.")
    finally:
        message_box.use_prompter(previous)
    with pytest.raises(AssertionError, match="did not script: “Unsaved changes”"):
        script.check_finished()
    assert script.told("Not saved") == ["The disk is full."]

    script.answer("Publish", "Update")
    with pytest.raises(AssertionError, match="never asked for"):
        script.check_finished()


def test_the_window_asks_about_unsaved_changes_through_the_prompter(
    qtbot, window: MainWindow, prompter: ScriptedPrompter
) -> None:
    prompter.answer("Unsaved changes", "Discard")
    qtbot.keyClicks(window.editor, "throwaway")
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    [asked] = prompter.asked("Unsaved changes")
    assert asked.buttons == ["Save", "Discard", "Cancel"]
