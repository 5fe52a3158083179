"""The dialect's extensions, built as objects, make the Markdown their names made.

The renderer builds its extensions as objects (`standard_extensions`): by name, Python-Markdown
first reads every installed package's entry points, about 25 ms of every start. These tests
hold the objects to the names they replaced.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import markdown

from editor.render.markdown_renderer import render_markdown, standard_extensions

ROOT = Path(__file__).resolve().parents[2]

# The dialect as it was written by name (and as Python-Markdown's documentation names it).
NAMES = ["extra", "codehilite", "toc", "sane_lists", "smarty", "pymdownx.blocks.caption"]
CONFIGS: dict[str, dict[str, object]] = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False, "use_pygments": True},
    "toc": {"permalink": False},
    "pymdownx.blocks.caption": {"auto": False},
}


def _registries(md: markdown.Markdown) -> dict[str, object]:
    """Return what a Markdown instance does, as comparable values."""
    def listed(registry: markdown.util.Registry) -> list[tuple[str, float, str]]:
        return [
            (item.name, item.priority, type(registry[item.name]).__qualname__)
            for item in registry._priority  # noqa: SLF001 (the order Python-Markdown runs them in)
        ]

    return {
        "preprocessors": listed(md.preprocessors),
        "blockprocessors": listed(md.parser.blockprocessors),
        "inline": listed(md.inlinePatterns),
        "treeprocessors": listed(md.treeprocessors),
        "postprocessors": listed(md.postprocessors),
        "escaped": list(md.ESCAPED_CHARS),
        "block_level": list(md.block_level_elements),
        "extensions": [
            (type(ext).__qualname__, ext.getConfigs())
            for ext in md.registeredExtensions
            if type(ext).__name__ != "ExtraExtension"  # by name, `extra` registers its parts
        ],
    }


def test_the_objects_build_the_markdown_the_names_built() -> None:
    by_name = markdown.Markdown(extensions=NAMES, extension_configs=CONFIGS, output_format="html")
    by_object = markdown.Markdown(extensions=standard_extensions(), output_format="html")
    assert _registries(by_object) == _registries(by_name)


def test_the_objects_render_what_the_names_rendered() -> None:
    by_name = markdown.Markdown(extensions=NAMES, extension_configs=CONFIGS, output_format="html")
    by_object = markdown.Markdown(extensions=standard_extensions(), output_format="html")
    resources = ROOT / "resources"
    posts = [resources / "welcome" / "welcome-to-draftpress.md",
             resources / "guide" / "markdown-guide.md"]
    for post in posts:
        text = post.read_text(encoding="utf-8")
        by_name.reset()
        by_object.reset()
        assert by_object.convert(text) == by_name.convert(text), post.name


def test_starting_the_renderer_reads_no_entry_points() -> None:
    # A fresh interpreter, as a start is: the installed packages' entry points stay unread.
    probe = (
        "from editor.render.markdown_renderer import render_markdown; "
        "render_markdown('# A title\\n\\nSome *text*.'); "
        "from markdown import util; print(util.get_installed_extensions.cache_info().currsize)"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert ran.stdout.strip() == "0"
    assert render_markdown("a -- b") == "<p>a &ndash; b</p>"
