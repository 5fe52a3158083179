"""What the commands say when the writer's input is wrong: plain words, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from editor.cli import main
from editor.cli.common import ExitCode

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["render", "publish"])
def test_a_missing_post_file_is_said_plainly(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main([command, "nonexistent.md"]) == ExitCode.FAILURE

    captured = capsys.readouterr()
    assert captured.err == "draftpress: “nonexistent.md” does not exist in this folder.\n"
    assert captured.out == ""


def test_a_missing_post_file_elsewhere_names_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(tmp_path / "gone.md")]) == ExitCode.FAILURE

    assert capsys.readouterr().err == f"draftpress: “gone.md” does not exist in {tmp_path}.\n"


def test_blogs_add_without_a_terminal_asks_for_password_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a pipe, not a terminal

    code = main(["blogs", "add", "myblog", "--url", "https://blog.example", "--user", "ada"])

    assert code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith("draftpress: there is no terminal to ask the password on.")
    assert "--password-stdin" in err
    assert "Nothing was saved." in err
    assert main(["blogs", "list"]) == 0
    assert "No blog accounts yet" in capsys.readouterr().out


def test_blogs_add_from_a_script_ends_in_words_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "editor", "blogs", "add", "myblog",
            "--url", "https://blog.example", "--user", "ada",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(CHECKOUT),
            "HOME": str(tmp_path),
            "DRAFTPRESS_CONFIG_DIR": str(tmp_path / "config"),
            "DRAFTPRESS_HOME": str(tmp_path / "library"),
            "DRAFTPRESS_DATA_DIR": str(tmp_path / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
        check=False,
    )

    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert "EOFError" not in result.stderr
    assert "--password-stdin" in result.stderr


def test_an_unexpected_error_ends_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fake fault on purpose: no real input makes the renderer fail in an unforeseen way.
    import editor.render.export

    def broken(_post: object) -> str:
        raise ValueError("a bug")

    monkeypatch.setattr(editor.render.export, "render_post_page", broken)
    post = tmp_path / "post.md"
    post.write_text("# Hi\n", encoding="utf-8")

    assert main(["render", str(post)]) == ExitCode.FAILURE

    err = capsys.readouterr().err
    assert err.startswith("draftpress: render stopped on something Draftpress did not expect")
    assert "(ValueError)" in err
    assert "--debug" in err


def test_ctrl_c_ends_quietly_with_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fake Ctrl-C: the writer's key press cannot be typed into an in-process test.
    import editor.render.export

    def interrupted(_post: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(editor.render.export, "render_post_page", interrupted)
    post = tmp_path / "post.md"
    post.write_text("# Hi\n", encoding="utf-8")

    assert main(["render", str(post)]) == ExitCode.INTERRUPTED

    assert capsys.readouterr().err.strip() == "draftpress: interrupted."
