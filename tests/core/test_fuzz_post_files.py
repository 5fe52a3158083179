"""Fuzzing: random front matter, bytes and Markdown never crash the loader or the renderer,
and never write to the source file.

The loader may refuse a file only with a PostFileError (a message for the writer); the
renderer must always return a page. About 10 s in all (HYPOTHESIS_PROFILE=long for more).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core.post import NotUtf8, PostFileError, load_post
from editor.render.export import render_post_page
from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import render_markdown
from editor.render.page import build_page
from editor.render.preview_render import post_details

settings.register_profile(
    "fuzz",
    max_examples=70,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))

MARKDOWN_PIECES = [
    "#", "## ", "*", "**", "_", "`", "```", "```python\n", "~~~", "[", "]", "(", ")", "![",
    "](", "<", ">", "> ", "|", "| --- |", "---", "***", "///", "/// caption\n", "[TOC]",
    "[^1]", "[^1]: ", "*[HTML]: ", ": ", "\n", "\n\n", "    ", "\t", "- ", "1. ", "{: .x}",
    "{#id}", "<div markdown=\"1\">", "</div>", "<script>", "&amp;", "&#0;", "\\", "http://",
    "ü", "—", "🎉", "\u200b", "\r", "\x0c", "'", '"', "x", "word ", "$", "%", "==",
]  # fmt: skip
YAML_PIECES = [
    ":", ": ", "- ", "[", "]", "{", "}", "'", '"', "#", "&a", "*a", "!!", "!!binary ", "|",
    ">", "?", "%YAML", "---", "...", "\n", "  ", "\t", "title", "tags", "date", "remote",
    "2026-13-45", "null", "~", "yes", "1e999", "0x", "<<: *a", "\\", "ü", "🎉", "\x85",
]  # fmt: skip
KNOWN_KEYS = ["title", "slug", "date", "status", "tags", "categories", "excerpt", "blog", "remote"]

markdown_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=8)), max_size=60
).map("".join)
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=6)), max_size=40).map(
    "".join
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def yaml_ish(data: dict) -> str:
    """Write a dict as rough YAML, the way a hand-edited file might look."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


front_matter = st.one_of(
    yaml_text,
    st.dictionaries(
        st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8)), values, max_size=8
    ).map(yaml_ish),
)
post_text = st.builds(
    lambda fm, body, opener: f"{opener}{fm}\n---\n{body}",
    front_matter,
    markdown_text,
    st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", "", "--- \n"]),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "koi8-r"])
file_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda text, codec: text.encode(codec, errors="replace"), post_text, encodings),
    st.builds(
        lambda text, junk, at: (lambda b: b[:at] + junk + b[at:])(text.encode()),
        post_text,
        st.binary(min_size=1, max_size=8),
        st.integers(0, 400),
    ),
)


def snapshot(path: Path) -> tuple[bytes, int]:
    """Return a file's bytes and mtime."""
    return path.read_bytes(), path.stat().st_mtime_ns


def load_and_render(path: Path) -> None:
    """Load the file as the app does and render it every way the app does."""
    try:
        post = load_post(path)
    except NotUtf8 as refusal:
        post = load_post(path, encoding=refusal.guess)  # what "Open" in the question does
    except PostFileError as refusal:
        assert str(refusal)  # a message for the writer
        return
    page = render_post_page(post)
    assert page.startswith("<!DOCTYPE html>") or "<html" in page
    body_html = IncrementalRenderer().render(post.text)  # what the preview shows
    assert isinstance(body_html, str)
    details = post_details(post.text)
    assert post.front_matter_problem() is None or details.problem


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return tmp_path / "fuzzed.md"


@FUZZ
@given(data=file_bytes)
def test_random_bytes_never_crash_the_loader_or_renderer_nor_touch_the_file(
    source: Path, data: bytes
) -> None:
    source.write_bytes(data)
    before = snapshot(source)
    load_and_render(source)
    assert snapshot(source) == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["fuzzed.md"]


@FUZZ
@given(text=post_text)
def test_random_front_matter_and_markdown_never_crash(source: Path, text: str) -> None:
    source.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    before = snapshot(source)
    load_and_render(source)
    assert snapshot(source) == before


@FUZZ
@given(body=markdown_text, title=st.text(max_size=30))
def test_random_markdown_always_renders_to_a_page(body: str, title: str) -> None:
    page = build_page(title, render_markdown(body))
    assert "</html>" in page
