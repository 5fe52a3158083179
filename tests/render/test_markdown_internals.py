"""The Python-Markdown internals the renderer leans on are still there, in the shape it uses.

pyproject.toml holds `markdown` to the minor version tested. Before raising that cap, run these
tests and the incremental-vs-full oracle
(test_incremental.py::test_every_edit_gives_exactly_the_full_render) on the new version: each
test here names the internal that moved, and where the renderer uses it.
"""

from __future__ import annotations

import re
import tomllib
from collections import OrderedDict
from pathlib import Path

import markdown
import markdown.extensions.toc as toc
import markdown.serializers
import markdown.util
from markdown.extensions.abbr import AbbrBlockprocessor, AbbrTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from packaging.requirements import Requirement

from editor.render.block_recording import (
    STASH_MARKER,
    BlockContext,
    RecordingAbbreviations,
    RecordingReferences,
    RenderState,
    TocEntry,
)
from editor.render.markdown_renderer import standard_extensions

ROOT = Path(__file__).resolve().parents[2]
VERSION = markdown.__version__


def moved(what: str, where: str) -> str:
    """The failure message: which internal changed, and which of our modules relies on it."""
    return (
        f"Python-Markdown {VERSION} changed {what}, which {where} relies on. Keep the cap on "
        "`markdown` in pyproject.toml, or adapt the renderer and run tests/render (the "
        "incremental-vs-full oracle in test_incremental.py is the gate)."
    )


def _dialect() -> markdown.Markdown:
    return markdown.Markdown(extensions=standard_extensions(), output_format="html")


def test_the_installed_version_is_the_one_the_cap_allows() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirement = next(
        Requirement(line)
        for line in config["project"]["dependencies"]
        if Requirement(line).name == "markdown"
    )
    assert requirement.specifier.contains(VERSION), (
        f"Python-Markdown {VERSION} is installed, outside {requirement.specifier} "
        "(pyproject.toml): the renderer was tested only within the cap."
    )
    assert any(spec.operator == "<" for spec in requirement.specifier), (
        "markdown must stay capped below the next minor version (see pyproject.toml)"
    )


def test_the_attribute_escaper_is_there_and_escapes_as_before() -> None:
    escape = getattr(markdown.serializers, "_escape_attrib_html", None)
    assert callable(escape), moved(
        "markdown.serializers._escape_attrib_html", "editor/render/block_recording.py"
    )
    assert escape("a&b<c>\"d'e") == "a&amp;b&lt;c&gt;&quot;d'e", moved(
        "how _escape_attrib_html escapes", "block_recording.escape_attribute"
    )


def test_the_stash_placeholder_keeps_its_marker_and_form() -> None:
    assert f"\x02{STASH_MARKER}:%s\x03" == markdown.util.HTML_PLACEHOLDER, moved(
        "markdown.util.HTML_PLACEHOLDER (the `wzxhzdk` stash marker)",
        "markdown_renderer._IslandTokens and block_markdown's leaked-placeholder check",
    )
    md = _dialect()
    placeholder = md.htmlStash.store("<b>kept</b>")
    index = int(placeholder.strip("\x02\x03").rpartition(":")[2])
    assert md.htmlStash.get_placeholder(index) == placeholder, moved(
        "htmlStash.store / get_placeholder", "markdown_renderer._IslandTokens"
    )


def test_reference_links_go_through_md_references() -> None:
    md = _dialect()
    lookups: dict[str, tuple[str, str] | None] = {}
    defined: list[tuple[str, tuple[str, str]]] = []
    md.reset()
    md.references = RecordingReferences(
        {"docs": ("https://example.com/docs", "Docs")},
        lookups,
        lambda label, value: defined.append((label, value)),
    )
    html = md.convert('[the docs][docs] and [other]\n\n[other]: https://example.com/other "T"')
    assert '<a href="https://example.com/docs" title="Docs">the docs</a>' in html, moved(
        "how reference links read `md.references` (`in`, then `[label]`)",
        "block_recording.RecordingReferences",
    )
    assert lookups.get("docs") == ("https://example.com/docs", "Docs")
    assert "other" in lookups, moved("reference lookups", "RecordingReferences")
    assert defined == [("other", ("https://example.com/other", "T"))], moved(
        "how reference definitions are stored (`md.references[label] = (url, title)`)",
        "block_recording.RecordingReferences",
    )


def test_abbreviations_are_stored_and_removed_through_the_processors_dicts() -> None:
    md = _dialect()
    block = next(p for p in md.parser.blockprocessors if isinstance(p, AbbrBlockprocessor))
    tree = next(p for p in md.treeprocessors if isinstance(p, AbbrTreeprocessor))
    assert isinstance(block.abbrs, dict) and isinstance(tree.abbrs, dict), moved(
        "AbbrBlockprocessor.abbrs / AbbrTreeprocessor.abbrs", "block_markdown.BlockMarkdown"
    )
    state = RenderState(BlockContext(), {}, 1)
    block.abbrs = RecordingAbbreviations(state)
    md.convert('*[HTML]: Hyper Text\n\n*[CSS]: ""\n\nText')
    assert state.abbreviation_definitions[0] == [("HTML", "Hyper Text"), ("CSS", None)], moved(
        "how abbreviation definitions are stored (`abbrs[term] = title`, `abbrs.pop(term)`)",
        "block_recording.RecordingAbbreviations",
    )


def test_the_footnote_hooks_are_there() -> None:
    md = _dialect()
    footnotes = next(e for e in md.registeredExtensions if isinstance(e, FootnoteExtension))
    recorded: list[tuple[str, str]] = []
    footnotes.setFootnote = lambda footnote_id, text: recorded.append((footnote_id, text))
    md.convert("Text[^1].\n\n[^1]: The note.")
    assert recorded == [("1", "The note.")], moved(
        "FootnoteExtension.setFootnote (called per definition)", "block_markdown.BlockMarkdown"
    )
    assert isinstance(footnotes.footnotes, OrderedDict) and isinstance(
        footnotes.found_refs, dict
    ), moved("FootnoteExtension.footnotes / found_refs", "BlockMarkdown.render_footnote")
    assert footnotes.makeFootnoteId("1") == f"fn{footnotes.get_separator()}1", moved(
        "makeFootnoteId / get_separator", "block_recording.PlaceholderFootnotes"
    )
    assert "{}" in footnotes.getConfig("BACKLINK_TITLE"), moved(
        "the BACKLINK_TITLE placeholder", "BlockMarkdown.__init__"
    )
    assert "footnote" in md.treeprocessors and "footnote" in md.inlinePatterns, moved(
        "the names footnotes registers its processors under", "BlockMarkdown.__init__"
    )
    assert md.inlinePatterns.get_index_for_name("footnote") is not None


def test_the_toc_internals_are_there_in_the_shape_used() -> None:
    names = [
        "nest_toc_tokens",
        "remove_fnrefs",
        "render_inner_html",
        "strip_tags",
        "unescape",
        "run_postprocessors",
        "escape_cdata",
        "unique",
    ]
    missing = [name for name in names if not callable(getattr(toc, name, None))]
    assert missing == [], moved(
        f"markdown.extensions.toc ({', '.join(missing)})", "block_recording, block_markdown"
    )
    md = _dialect()
    processor = next(p for p in md.treeprocessors if isinstance(p, TocTreeprocessor))
    attributes = ["header_rgx", "marker", "toc_top", "toc_bottom", "slugify", "sep"]
    methods = ["set_level", "replace_marker", "build_toc_div"]
    missing = [a for a in attributes if not hasattr(processor, a)]
    missing += [m for m in methods if not callable(getattr(processor, m, None))]
    assert missing == [], moved(
        f"TocTreeprocessor ({', '.join(missing)})", "block_recording.PlaceholderToc"
    )
    assert any(isinstance(e, TocExtension) for e in md.registeredExtensions)
    md.convert("# One\n\n## Two")
    entry = md.toc_tokens[0]
    assert set(entry) - {"children"} == set(TocEntry.__annotations__), moved(
        "the keys of a toc token", "block_recording.TocEntry and PlaceholderToc._heading"
    )
    assert toc.unique("one", {"one"}, {}) == "one_1", moved("toc.unique", "document_index")


def test_the_fenced_block_pattern_is_there() -> None:
    pattern = getattr(FencedBlockPreprocessor, "FENCED_BLOCK_RE", None)
    assert isinstance(pattern, re.Pattern), moved(
        "FencedBlockPreprocessor.FENCED_BLOCK_RE", "block_split, raw_islands, document_index"
    )
    assert pattern.search("```python\ncode\n```\n"), moved("FENCED_BLOCK_RE", "block_split")


def test_block_level_elements_is_a_list_the_renderer_can_extend() -> None:
    md = _dialect()
    assert isinstance(md.block_level_elements, list), moved(
        "Markdown.block_level_elements", "block_markdown (the sentinel's tag)"
    )
