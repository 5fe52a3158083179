"""The issue's check: a post previewed in the blog's learnt look matches it as published.

A post with a captioned figure, an attributed quote, a code block, a list and a table is
published to the test WordPress (whatever theme that install has: Debian's Twenty
Twenty-Three here), the look is learnt with `draftpress blogs look`, the standalone page is
written with `draftpress render --blog`, and both pages are shot in the same QtWebEngine view
at the same width, cropped to the post's content and compared.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QUrl
from skimage.metrics import structural_similarity

from editor.cli import main
from editor.publish.accounts import Account, save_accounts
from editor.publish.blog_look import load_look
from tests.integration.sample_posts import unique, write_png
from tests.integration.test_publish_wordpress import publish
from tests.local_page import PROXY_VARIABLES
from tests.page_shots import PageShot, shoot

POSITION_TOLERANCE_PX = 3
MIN_SSIM = 0.95
WIDTH_PX = 1000


def _grey(shot: PageShot, width: int, height: int) -> np.ndarray:
    """Return the shot's top-left `width` x `height` pixels as a grey image."""
    image = shot.image.convertToFormat(shot.image.Format.Format_Grayscale8)
    bits = np.frombuffer(image.constBits(), dtype=np.uint8)
    rows = bits.reshape(image.height(), image.bytesPerLine())
    return rows[:height, :width].copy()


def test_the_post_in_the_blogs_look_matches_the_published_post(
    wordpress, qtbot, tmp_path, monkeypatch, capsys
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    title = unique("Look Check")
    stem = "look-check"
    write_png(tmp_path / f"{stem}.assets" / "figure.png", 0x3366AA)
    path = tmp_path / f"{stem}.md"
    path.write_text(
        f"""---
title: "{title}"
status: publish
---

Opening words with *emphasis* and a sentence long enough to wrap across the measure of the
theme's content column, so that the line length shows in the comparison. It's "quoted" - with
a 2x4 board (tm) -- and so on...

![A hammer and nails]({stem}.assets/figure.png)

/// caption
A hammer, drawn for the test
///

> I was astonished the first time.

/// caption
— DJ Mac, The Interview
///

```python
print("a < b & c")
```

- one item
- two items
- three items

| Name | Count |
|------|-------|
| nails | 12 |
| screws | 40 |
""",
        encoding="utf-8",
    )
    result, _post = publish(wordpress, path)
    save_accounts([Account("local", wordpress.url, wordpress.admin_user, output="blocks")])

    assert main(["blogs", "look", "local"]) == 0
    look = load_look("local")
    capsys.readouterr()
    assert look.page_url == result.link  # the newest public post: ours
    page = tmp_path / "page.html"
    assert main(["render", str(path), "--blog", "local", "-o", str(page)]) == 0

    published = shoot(qtbot, QUrl(result.link), ".entry-content", WIDTH_PX)
    previewed = shoot(qtbot, QUrl.fromLocalFile(str(page)), ".entry-content", WIDTH_PX)

    # The same blocks, each where the blog puts it, within a few pixels.
    assert [block[0] for block in previewed.blocks] == [block[0] for block in published.blocks]
    assert [block[0] for block in published.blocks] == [
        "p", "figure", "blockquote", "pre", "ul", "figure"
    ]  # fmt: skip
    for ours, theirs in zip(previewed.blocks, published.blocks, strict=True):
        assert all(
            abs(a - b) <= POSITION_TOLERANCE_PX for a, b in zip(ours[1:], theirs[1:], strict=True)
        ), (ours, theirs)
    # And the pixels: the same structure.
    width = min(published.image.width(), previewed.image.width())
    height = min(published.image.height(), previewed.image.height())
    assert abs(published.image.height() - previewed.image.height()) <= POSITION_TOLERANCE_PX
    similarity = structural_similarity(
        _grey(published, width, height), _grey(previewed, width, height)
    )
    if similarity < MIN_SSIM:  # keep both crops to look at
        published.image.save(str(tmp_path / "published.png"))
        previewed.image.save(str(tmp_path / "previewed.png"))
    assert similarity >= MIN_SSIM, (similarity, str(tmp_path))


def test_learning_from_the_blog_names_its_theme(wordpress, monkeypatch, capsys) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    save_accounts([Account("local", wordpress.url, wordpress.admin_user)])
    assert main(["blogs", "look", "local", "--refresh"]) == 0
    out = capsys.readouterr().out
    assert "(theme twentytwentythree)" in out, out


PROSE = """It's the writer's "best" work -- or so they say... She said 'hello' - then left.

The 1990s and '90s. A 2x4 board, 6' tall and 5" wide. (tm) and (c) and 0x1F.

Em---dash here. Word - word. "Quoted 'nested' words." Rock 'n' roll, 'tis so.

A [link "with" quotes](https://example.com/a--b) and `code "straight" - 2x4 -- here`.
"""


def test_the_text_in_the_blogs_look_is_the_text_the_blog_serves(
    wordpress, tmp_path, monkeypatch, capsys
) -> None:
    """Quotes, dashes, trade marks and times signs as WordPress serves them (wptexturize)."""
    import httpx
    from bs4 import BeautifulSoup

    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "prose.md"
    path.write_text(f'---\ntitle: "{unique("Prose")}"\nstatus: publish\n---\n\n{PROSE}')
    result, _post = publish(wordpress, path)
    save_accounts([Account("local", wordpress.url, wordpress.admin_user, output="blocks")])
    assert main(["blogs", "look", "local", "--refresh"]) == 0
    page = tmp_path / "page.html"
    assert main(["render", str(path), "--blog", "local", "-o", str(page)]) == 0
    capsys.readouterr()

    def texts(html: str) -> list[str]:
        content = BeautifulSoup(html, "html.parser").select_one(".entry-content")
        assert content is not None
        return [p.get_text() for p in content.find_all("p")]

    served = texts(httpx.get(result.link, timeout=30).text)
    assert "2\u00d74" in served[1] and "\u2122" in served[1]  # the blog's own typography
    assert texts(page.read_text(encoding="utf-8")) == served
