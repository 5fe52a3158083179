"""Fixtures for the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


class WindowSpy:
    """Stands in for the window: records what `draftpress` asked it to open.

    A fake on purpose: these tests check whether the command line decides to open a window,
    and a real one would need a display (the window itself has its own tests in tests/gui).
    """

    def __init__(self) -> None:
        self.opened: list[Path | None] = []

    def __call__(self, file: Path | None = None, *, debug: bool = False, **_: object) -> int:
        self.opened.append(file)
        return 0


@pytest.fixture
def window(monkeypatch: pytest.MonkeyPatch) -> WindowSpy:
    """Replace editor.app.run_app by a spy, so a test sees whether a window would open."""
    import editor.app

    spy = WindowSpy()
    monkeypatch.setattr(editor.app, "run_app", spy)
    return spy
