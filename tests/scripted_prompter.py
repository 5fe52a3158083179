"""The one way tests answer the window's questions: a script of answers, checked at the end.

Every question and message goes through editor/gui/message_box.py; the autouse `prompter`
fixture (tests/conftest.py) puts a ScriptedPrompter in its place for each test:

    prompter.answer("Unsaved changes", "Discard")   # the next question titled so gets Discard
    prompter.answer("Publish", None)                # None: Cancel (Escape)
    ...
    assert prompter.told("Not saved")               # messages are recorded, not scripted

At the end of the test every scripted answer must have been used, and no question may have come
up that the test did not script (it is answered None, and the test fails). A notice, whose
Escape button is Close or OK (“Published”, with Open in browser), is closed when unscripted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from editor.gui.message_box import Prompt

# A notice offers an action but closing it is the everyday answer (“Published” with its Open
# in browser button, Close): unscripted, it is closed, like a message.
DISMISSALS = ("Close", "OK")

Answer = str | None | Callable[[Prompt], str | None]


@dataclass
class ScriptedPrompter:
    """Answers questions from a queue and records every prompt shown."""

    shown: list[Prompt] = field(default_factory=list)  # every prompt, questions and messages
    unexpected: list[Prompt] = field(default_factory=list)  # questions no answer was queued for
    script: deque[tuple[str, Answer, bool]] = field(default_factory=deque)

    def answer(self, title: str, choice: Answer, times: int = 1, *, required: bool = True) -> None:
        """Queue `choice` (None: Cancel) for the next `times` questions titled `title`.

        `choice` may be a function of the question, for a test that checks something at the
        moment it is asked; it returns the label chosen. `required=False`: the test accepts
        that the question is never asked (say why in the test).
        """
        self.script.extend([(title, choice, required)] * times)

    def show(self, _parent: object, prompt: Prompt) -> str | None:
        """Answer a question by the script; record a message (it has only OK)."""
        self.shown.append(prompt)
        if not prompt.is_question:
            return None
        for index, (title, choice, _required) in enumerate(self.script):
            if title == prompt.title:
                del self.script[index]
                if callable(choice):
                    choice = choice(prompt)
                assert choice is None or choice in prompt.choices, (
                    f"scripted {choice!r} for “{title}”, which offers {prompt.choices}"
                )
                return choice
        if prompt.cancel not in DISMISSALS:
            self.unexpected.append(prompt)
        return None

    def told(self, title: str | None = None) -> list[str]:
        """Return the texts of the messages shown (only those titled `title`, if given)."""
        return [p.text for p in self.shown if not p.is_question and title in (None, p.title)]

    @property
    def messages(self) -> list[str]:
        """Return every message shown as "title: text", in order."""
        return [f"{p.title}: {p.text}" for p in self.shown if not p.is_question]

    @property
    def questions(self) -> list[str]:
        """Return every question shown as "title: text", in order."""
        return [f"{p.title}: {p.text}" for p in self.shown if p.is_question]

    def asked(self, title: str | None = None) -> list[Prompt]:
        """Return the questions shown (only those titled `title`, if given)."""
        return [p for p in self.shown if p.is_question and title in (None, p.title)]

    def titled(self, title: str) -> list[Prompt]:
        """Return every prompt titled `title`, questions and messages."""
        return [p for p in self.shown if p.title == title]

    def check_finished(self) -> None:
        """Fail if a scripted answer was never used or an unscripted question came up."""
        unused = [(title, choice) for title, choice, required in self.script if required]
        unexpected = list(self.unexpected)
        self.script.clear()
        self.unexpected.clear()
        assert not unexpected, "questions the test did not script: " + "; ".join(
            f"“{p.title}”: {p.text!r} {p.choices}" for p in unexpected
        )
        assert not unused, f"scripted answers never asked for: {unused}"
