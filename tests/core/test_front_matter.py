"""Front matter: loading and saving keeps every byte; editing one field touches only that field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.front_matter import (
    FrontMatterError,
    read_front_matter,
    split_front_matter,
    with_front_matter_field,
)
from editor.core.post import load_post

ODD_FRONT_MATTER = """\
---
# Exported from the old blog: keep these comments
title:   'It''s a "test"'   # odd spacing and quoting
slug: its-a-test
date: 2024-03-05 10:20:30
status: publish
custom_key: {nested: [1, 2], "quoted key": yes}
tags:
- alpha
-   beta
weird_number: 007
empty:
anchor: &shared value
alias: *shared
...
The body starts here.
"""

HAND_WRITTEN = """\
---
# Written by hand
title: Hello   # the headline
date: 2024-01-02
status: draft   # not yet
tags:
- one
- two
custom: {a: 1, b: "two"}
quoted: 'single'
---
Body line

---
after a rule
"""

# Any text but carriage returns (line endings are a file-wide choice) and NUL (binary files).
BODY_TEXT = st.text(st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",)))


def write(path: Path, data: bytes) -> Path:
    """Write bytes to a file and return its path."""
    path.write_bytes(data)
    return path


def lines_without(text: str, *prefixes: str) -> list[str]:
    """Return the lines of `text` that do not start with any of `prefixes`."""
    return [line for line in text.split("\n") if not line.startswith(prefixes)]


# --- load then save gives the same bytes -------------------------------------------------------


def test_unknown_keys_comments_and_odd_quoting_round_trip_byte_for_byte(tmp_path: Path) -> None:
    data = ODD_FRONT_MATTER.encode("utf-8")
    post = load_post(write(tmp_path / "odd.md", data))

    assert post.to_bytes() == data
    meta = post.meta()
    assert meta.title == 'It\'s a "test"'
    assert meta.tags == ["alpha", "beta"]
    assert meta.date == "2024-03-05T10:20:30"
    assert post.body == "The body starts here.\n"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODY_TEXT)
def test_every_character_of_an_arbitrary_body_is_kept(tmp_path: Path, body: str) -> None:
    data = f"---\ntitle: T\n---\n{body}".encode()
    post = load_post(write(tmp_path / "post.md", data))

    assert post.body == body
    assert post.to_bytes() == data


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=BODY_TEXT)
def test_any_text_file_without_carriage_returns_round_trips(tmp_path: Path, text: str) -> None:
    data = text.encode("utf-8")
    post = load_post(write(tmp_path / "any.md", data))

    assert post.to_bytes() == data


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODY_TEXT)
def test_crlf_file_with_arbitrary_body_round_trips(tmp_path: Path, body: str) -> None:
    data = f"---\ntitle: T\n---\n{body}".replace("\n", "\r\n").encode("utf-8")
    post = load_post(write(tmp_path / "crlf.md", data))

    assert post.newline == "\r\n"
    assert "\r" not in post.text
    assert post.to_bytes() == data


def test_crlf_file_keeps_its_line_endings_and_reads_in_lf(tmp_path: Path) -> None:
    data = HAND_WRITTEN.replace("\n", "\r\n").encode("utf-8")
    post = load_post(write(tmp_path / "windows.md", data))

    assert post.newline == "\r\n"
    assert post.text == HAND_WRITTEN
    assert post.meta().title == "Hello"
    assert post.to_bytes() == data


def test_utf8_bom_is_kept_and_front_matter_still_found(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + "---\ntitle: Bömmel\n---\nBody\n".encode()
    post = load_post(write(tmp_path / "bom.md", data))

    assert post.bom is True
    assert not post.text.startswith("\ufeff")
    assert post.meta().title == "Bömmel"
    assert post.to_bytes() == data


def test_file_without_front_matter_is_all_body(tmp_path: Path) -> None:
    data = b"# Just a heading\n\nSome text.\n"
    post = load_post(write(tmp_path / "plain.md", data))

    assert post.body == post.text == "# Just a heading\n\nSome text.\n"
    assert post.meta().title == ""
    assert post.meta().status == "draft"
    assert post.front_matter_problem() is None
    assert post.to_bytes() == data


def test_empty_file_loads_as_empty_text_and_saves_as_zero_bytes(tmp_path: Path) -> None:
    post = load_post(write(tmp_path / "empty.md", b""))

    assert post.text == ""
    assert post.newline == "\n"
    assert post.bom is False
    assert post.to_bytes() == b""


def test_body_with_horizontal_rule_lines_is_not_taken_for_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Rules\n---\nIntro\n\n---\n\nMore\n---\nEnd\n"
    post = load_post(write(tmp_path / "rules.md", text.encode()))

    assert post.meta().title == "Rules"
    assert post.body == "Intro\n\n---\n\nMore\n---\nEnd\n"
    assert post.to_bytes() == text.encode()


def test_unclosed_front_matter_fence_means_no_front_matter() -> None:
    split = split_front_matter("---\ntitle: never closed\n")

    assert split.yaml_text is None
    assert split.body_start == 0


# --- changing one field ------------------------------------------------------------------------


def test_setting_one_field_changes_only_its_line() -> None:
    changed = with_front_matter_field(HAND_WRITTEN, "status", "publish")

    assert lines_without(changed, "status:") == lines_without(HAND_WRITTEN, "status:")
    status_line = next(line for line in changed.split("\n") if line.startswith("status:"))
    assert status_line.startswith("status: publish")
    assert status_line.endswith("# not yet")
    assert changed.endswith("---\nBody line\n\n---\nafter a rule\n")


def test_setting_a_field_keeps_key_order_and_other_values() -> None:
    changed = with_front_matter_field(HAND_WRITTEN, "title", "Goodbye")

    data = read_front_matter(changed)
    assert list(data) == ["title", "date", "status", "tags", "custom", "quoted"]
    assert data["title"] == "Goodbye"
    assert data["tags"] == ["one", "two"]
    assert dict(data["custom"]) == {"a": 1, "b": "two"}
    assert "# Written by hand" in changed
    assert "# the headline" in changed


def test_new_field_is_added_at_the_end_of_the_front_matter() -> None:
    changed = with_front_matter_field(HAND_WRITTEN, "excerpt", "Short: and sweet")

    head, body_marker, _ = changed.partition("---\nBody line")
    assert body_marker
    assert head.split("\n")[:-1] == [*HAND_WRITTEN.split("\n")[:10], "excerpt: 'Short: and sweet'"]
    assert read_front_matter(changed)["excerpt"] == "Short: and sweet"


@pytest.mark.parametrize(
    ("tags_block", "indent"),
    [("tags:\n- one\n- two\n", ""), ("tags:\n    - one\n    - two\n", "    ")],
    ids=["flush-left-list", "four-space-list"],
)
def test_lists_keep_the_files_own_indentation(tags_block: str, indent: str) -> None:
    text = f"---\ntitle: T\n{tags_block}status: draft\n---\nBody\n"

    changed = with_front_matter_field(text, "categories", ["news", "notes"])

    assert changed == (
        f"---\ntitle: T\n{tags_block}status: draft\n"
        f"categories:\n{indent}- news\n{indent}- notes\n---\nBody\n"
    )


def test_removing_a_field_drops_only_its_line() -> None:
    changed = with_front_matter_field(HAND_WRITTEN, "custom", None)

    assert changed == HAND_WRITTEN.replace('custom: {a: 1, b: "two"}\n', "")


def test_removing_the_last_field_removes_the_front_matter_block() -> None:
    assert with_front_matter_field("---\ntitle: Only\n---\nBody\n", "title", "") == "Body\n"


def test_removing_a_field_that_is_not_there_returns_the_text_unchanged() -> None:
    assert with_front_matter_field(HAND_WRITTEN, "excerpt", None) is HAND_WRITTEN


def test_setting_a_field_to_its_current_value_returns_the_text_unchanged() -> None:
    assert with_front_matter_field(HAND_WRITTEN, "title", "Hello") is HAND_WRITTEN


def test_setting_a_field_creates_front_matter_in_a_plain_document() -> None:
    assert with_front_matter_field("Just text.\n", "title", "New post") == (
        "---\ntitle: New post\n---\nJust text.\n"
    )


def test_setting_a_field_on_broken_front_matter_raises() -> None:
    with pytest.raises(FrontMatterError):
        with_front_matter_field("---\ntitle: [oops\n---\n", "status", "draft")


# --- broken front matter -----------------------------------------------------------------------

BROKEN = "---\ntitle: ok\nstatus: draft\n  bad: 1\n---\nThe body survives.\n"


def test_broken_front_matter_error_names_the_file_line() -> None:
    with pytest.raises(FrontMatterError, match=r"on line 4\b"):
        read_front_matter(BROKEN)


def test_post_with_broken_front_matter_loads_and_reports_the_problem(tmp_path: Path) -> None:
    post = load_post(write(tmp_path / "broken.md", BROKEN.encode()))

    problem = post.front_matter_problem()
    assert problem is not None
    assert "line 4" in problem
    assert post.text == BROKEN
    assert post.body == "The body survives.\n"
    assert post.to_bytes() == BROKEN.encode()
    with pytest.raises(FrontMatterError):
        post.meta()


@pytest.mark.parametrize(
    "yaml_line",
    ["date: 2024-02-30", "date: 2024-13-01", "count: !!int many", "flag: !!bool maybe"],
)
def test_values_yaml_cannot_build_are_front_matter_problems(yaml_line: str) -> None:
    text = f"---\ntitle: T\n{yaml_line}\n---\nBody\n"

    with pytest.raises(FrontMatterError, match="cannot be read"):
        read_front_matter(text)


def test_front_matter_that_is_a_list_is_a_problem() -> None:
    with pytest.raises(FrontMatterError, match="key: value"):
        read_front_matter("---\n- just\n- a list\n---\n")


def test_empty_front_matter_block_reads_as_no_fields() -> None:
    assert dict(read_front_matter("---\n---\nBody\n")) == {}
