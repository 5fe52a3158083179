"""`draftpress WORD`: a command, a file to open, or refused before any window opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from editor.cli import main
from editor.cli.common import ExitCode

CHECKOUT = Path(__file__).resolve().parents[2]


def test_draftpress_alone_opens_the_window(window) -> None:
    assert main([]) == 0

    assert window.opened == [None]


def test_draftpress_with_a_file_opens_it(window, tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("# Hi\n", encoding="utf-8")

    assert main([str(post)]) == 0
    assert main(["--debug", str(post)]) == 0
    assert main(["open", str(post)]) == 0

    assert window.opened == [post, post, post]


def test_a_typo_of_a_command_suggests_it_and_opens_no_window(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["rendr", "x.md"]) == ExitCode.USAGE

    err = capsys.readouterr().err
    assert err.startswith("usage: draftpress")
    assert "draftpress: “rendr” is not a command. Did you mean “render”?" in err
    assert window.opened == []


@pytest.mark.parametrize("word", ["notes.md", "drafts/notes.md"])
def test_a_missing_file_is_refused_and_opens_no_window(
    word: str,
    window,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main([word]) == ExitCode.USAGE

    assert f"draftpress: no such file: “{word}”." in capsys.readouterr().err
    assert window.opened == []


def test_a_word_that_is_neither_lists_the_commands(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["xyzzy"]) == ExitCode.USAGE

    err = capsys.readouterr().err
    assert "“xyzzy” is not a command, and there is no such file. The commands are: open" in err
    assert window.opened == []


def test_a_folder_is_refused(window, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == ExitCode.USAGE

    assert "is a folder, not a post" in capsys.readouterr().err
    assert window.opened == []


def _no_display_env() -> dict[str, str]:
    """The environment of a terminal with no display: a window would abort at once."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = str(CHECKOUT)
    return env


def test_python_dash_m_editor_refuses_a_typo_without_a_window(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "editor", "rendr", "x.md"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_no_display_env(),
        check=False,
    )

    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "Did you mean “render”?" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_dash_m_editor_help_prints_the_help(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "editor", "help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_no_display_env(),
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: draftpress")
    assert "exit codes:" in result.stdout


def test_open_with_a_missing_file_is_refused_without_a_window(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["open", "typo.md"]) == ExitCode.FAILURE

    assert capsys.readouterr().err == "draftpress: “typo.md” does not exist in this folder.\n"
    assert window.opened == []
