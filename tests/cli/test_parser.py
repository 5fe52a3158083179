"""The one argparse tree: subcommands in the usage line, help for everything, exit codes told."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from editor.cli import main
from editor.cli.common import ExitCode
from editor.cli.parser import OUTPUTS, build_parser, with_command

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = ("open", "render", "publish", "outbox", "pull", "blogs", "help")


def test_the_usage_line_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    usage = capsys.readouterr().out.split("\n\n")[0]
    assert usage.startswith("usage: draftpress")
    assert "FILE.md" in usage
    for command in COMMANDS:
        assert command in usage


def test_help_tells_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    assert "exit codes:" in out
    for code in ExitCode:
        assert re.search(rf"^  {code.value}\s+\S", out, re.MULTILINE), code


def test_the_readme_tells_the_exit_codes() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Exit codes") :]
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", section, re.MULTILINE), code


def _arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Every argument of `parser` a writer types (not -h, not hidden ones, not subcommands)."""
    return [
        action
        for action in parser._actions  # noqa: SLF001  (argparse has no public list)
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        and action.help != argparse.SUPPRESS
    ]


def test_every_command_and_argument_has_help() -> None:
    tree = build_parser()
    assert len(tree.parsers) >= 15
    missing = []
    for words, parser in [((), tree.root), *tree.parsers.items()]:
        if not parser.description:
            missing.append(" ".join(words) or "draftpress")
        for action in _arguments(parser):
            if not action.help:
                missing.append(f"{' '.join(words)} {action.dest}")
    for parser in [tree.root, *tree.parsers.values()]:
        for action in parser._actions:  # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:  # noqa: SLF001
                    if not choice.help:
                        missing.append(choice.dest)
    assert missing == []


@pytest.mark.parametrize(
    ("words", "option", "expected"),
    [
        (("publish",), "file", "the post's Markdown file"),
        (("blogs", "add"), "name", "a short name for the blog"),
        (("blogs", "add"), "output", "classic HTML"),
        (("publish",), "overwrite", "since your last publish with this file"),
    ],
)
def test_the_arguments_that_had_no_help_have_it(
    capsys: pytest.CaptureFixture[str], words: tuple[str, ...], option: str, expected: str
) -> None:
    assert main([*words, "--help"]) == 0

    out = " ".join(capsys.readouterr().out.split())  # the help wraps lines
    assert expected in out


def test_every_handler_names_a_function_that_exists() -> None:
    import importlib

    tree = build_parser()
    handlers = {tree.root.get_default("handler")}
    handlers |= {parser.get_default("handler") for parser in tree.parsers.values()}
    named = sorted(handler for handler in handlers if isinstance(handler, str))
    assert len(named) >= 12
    for handler in named:
        module, _, function = handler.partition(":")
        assert callable(getattr(importlib.import_module(module), function, None)), handler


def test_the_account_kinds_offered_are_the_accounts_own() -> None:
    from editor.publish.accounts import OUTPUTS as ACCOUNT_OUTPUTS

    assert OUTPUTS == ACCOUNT_OUTPUTS


def test_the_engines_offered_are_the_registrys_kinds() -> None:
    from editor.cli.parser import ENGINE_KINDS
    from editor.publish.accounts import KINDS
    from editor.publish.engines.registry import KNOWN_KINDS

    assert ENGINE_KINDS == KNOWN_KINDS == KINDS


def test_draftpress_help_prints_the_help(window, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    whole = capsys.readouterr().out

    assert main(["help"]) == 0

    assert capsys.readouterr().out == whole
    assert window.opened == []


def test_draftpress_help_command_prints_that_commands_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["help", "blogs", "add"]) == 0

    assert capsys.readouterr().out.startswith("usage: draftpress blogs add")


def test_help_for_an_unknown_command_suggests_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "pubish"]) == ExitCode.USAGE

    assert "there is no command “pubish”. Did you mean “publish”?" in capsys.readouterr().err


@pytest.mark.parametrize("group", ["blogs"])
def test_a_group_alone_prints_its_help(group: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([group]) == 0

    captured = capsys.readouterr()
    assert captured.out.startswith(f"usage: draftpress {group}")
    for command in ("add", "list", "test", "trust", "remove"):
        assert command in captured.out
    assert "required" not in captured.out + captured.err


def test_a_bad_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish"]) == ExitCode.USAGE

    assert "the following arguments are required: FILE.md" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message", "usage"),
    [
        (["blogs", "ad"], "“ad” is not a command of “blogs”. Did you mean “add”?", "blogs"),
        (["outbox", "sned"], "“sned” is not a command of “outbox”. Did you mean “send”?", "outbox"),
        (
            ["blogs", "frobnicate", "x"],
            "“frobnicate” is not a command of “blogs”. "
            "Its commands are: add, list, test, trust, remove, look.",
            "blogs",
        ),
    ],
)
def test_a_typo_of_a_second_command_suggests_it(
    argv: list[str], message: str, usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == ExitCode.USAGE

    err = capsys.readouterr().err
    assert err.startswith(f"usage: draftpress {usage} ")
    assert f"draftpress: {message}" in err
    assert "invalid choice" not in err


def test_outbox_usage_shows_its_command_as_optional(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "--help"]) == 0

    usage = capsys.readouterr().out.split("\n\n")[0]
    assert usage == "usage: draftpress outbox [-h] [{list,send,cancel} ...]"


def test_blogs_usage_still_requires_its_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["blogs", "--help"]) == 0

    usage = capsys.readouterr().out.split("\n\n")[0]
    assert usage.startswith("usage: draftpress blogs [-h] {add,")


def _readme_command_lines() -> list[str]:
    """Every `draftpress …` line in the README's shell blocks, without its comment."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("draftpress ")]


def test_the_readme_has_commands_to_check() -> None:
    assert len(_readme_command_lines()) >= 10


@pytest.mark.parametrize("line", _readme_command_lines())
def test_every_command_in_the_readme_parses_as_written(line: str) -> None:
    tree = build_parser()
    words = shlex.split(line)[1:]
    # The shell's part (a redirection, a pipe) is not the command's.
    ends = [i for i, word in enumerate(words) if word in ("<", ">", "|", "&&", ";")]
    argv = words[: ends[0]] if ends else words

    try:
        args = tree.root.parse_args(with_command(tree, argv))
    except SystemExit as stop:  # argparse printed why
        pytest.fail(f"{line!r} does not parse: exit {stop.code}")

    assert args.handler is not None
