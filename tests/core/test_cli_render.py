"""`draftpress render`: a post to a standalone HTML page, in-process and as a real command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from editor.cli import main
from editor.render.page import theme_css

POST = """\
---
title: Rendered & "quoted"
date: 2024-02-03
---
Intro paragraph.

![A red bike](bike.png)

/// caption
My bike, in the rain.
///
"""


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    """A post with a captioned image."""
    path = tmp_path / "bike-post.md"
    path.write_text(POST, encoding="utf-8")
    return path


def assert_is_the_bike_page(page: str) -> None:
    """Check the page is the whole standalone page for POST."""
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "<title>Rendered &amp; &quot;quoted&quot;</title>" in page
    assert theme_css() in page
    assert (
        '<figure>\n<img alt="A red bike" src="bike.png">\n'
        "<figcaption>\n<p>My bike, in the rain.</p>\n</figcaption>\n</figure>"
    ) in page
    assert "<p>Intro paragraph.</p>" in page
    assert "title: Rendered" not in page  # front matter is not part of the body


def test_render_to_a_file_writes_the_whole_page(
    post_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.html"

    assert main(["render", str(post_file), "-o", str(out)]) == 0

    assert_is_the_bike_page(out.read_text(encoding="utf-8"))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_render_overwrites_an_existing_output_file(post_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    out.write_text("old page", encoding="utf-8")

    assert main(["render", str(post_file), "--output", str(out)]) == 0

    assert_is_the_bike_page(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("extra", [[], ["-o", "-"]], ids=["no-output", "dash"])
def test_render_to_stdout(
    post_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    assert main(["render", str(post_file), *extra]) == 0

    captured = capsys.readouterr()
    assert_is_the_bike_page(captured.out)
    assert captured.err == ""


def test_render_of_a_missing_file_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(tmp_path / "missing.md")]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("draftpress: “missing.md” does not exist")


def test_render_of_a_binary_file_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "photo.md"
    path.write_bytes(b"\x00\x01\x02")

    assert main(["render", str(path)]) == 1

    assert "looks like a binary file" in capsys.readouterr().err


def test_render_into_a_missing_folder_fails_with_a_message(
    post_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-folder" / "out.html"

    assert main(["render", str(post_file), "-o", str(out)]) == 1

    assert "no longer exists" in capsys.readouterr().err
    assert not out.exists()


def test_render_with_broken_front_matter_warns_and_uses_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "half-done.md"
    path.write_text("---\ntitle: [oops\n---\nStill a body.\n", encoding="utf-8")

    assert main(["render", str(path)]) == 0

    captured = capsys.readouterr()
    assert "<title>half-done</title>" in captured.out
    assert "<p>Still a body.</p>" in captured.out
    assert captured.err.startswith("draftpress: warning: The front matter is not valid YAML")


def test_python_dash_m_editor_render_works_end_to_end(post_file: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "editor", "render", str(post_file)],
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert_is_the_bike_page(result.stdout.decode("utf-8"))


def test_render_of_a_legacy_encoded_file_names_the_encoding_to_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.md"
    path.write_bytes(
        "# Caf\u00e9 cr\u00e8me\n\nD\u00e9j\u00e0 vu, na\u00efve fa\u00e7ade.\n".encode("cp1252")
    )

    assert main(["render", str(path)]) == 1
    assert "Pass --encoding cp1252" in capsys.readouterr().err

    assert main(["render", str(path), "--encoding", "cp1252"]) == 0
    assert '<h1 id="cafe-creme">Caf\u00e9 cr\u00e8me</h1>' in capsys.readouterr().out
