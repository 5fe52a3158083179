"""The sample post the publishing tests send to the real servers, and its small helpers.

A writer's typical post: opening words, a captioned piece of art, an attributed quote (with a
"Read the whole post here" link where the test asks for it), a second picture and code. The
images are real PNGs of one colour each; the servers are shared by the session and never reset,
so titles and colours are made unique by the caller.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PIL import Image

SAMPLE_BODY = """
Opening words with *emphasis*.

![A hammer and nails]({stem}.assets/first.png)

/// caption
A hammer (art by [Tall Jerome](https://example.com/jerome))
///

> I was astonished the first time.

/// caption
— DJ Mac, [Anti 12-step bias?](https://example.com/anti)
///
{read_more}
![Second picture]({stem}.assets/second.png)

```python
print("a < b & c")
```
"""
READ_MORE = "\n[Read the whole post here.](https://example.com/anti)\n"


def unique(title: str) -> str:
    """A title no other test uses (the servers are shared by the session, never reset)."""
    return f"{title} {uuid.uuid4().hex[:8]}"


def write_png(path: Path, color: int) -> None:
    """Write a small real PNG of one colour."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), f"#{color:06x}").save(path, "PNG")


def write_sample_post(
    folder: Path,
    stem: str,
    front_matter: str,
    colors: tuple[int, int],
    *,
    read_more: bool = False,
) -> Path:
    """Write `<stem>.md` (the sample body after `front_matter`) and its two images."""
    write_png(folder / f"{stem}.assets" / "first.png", colors[0])
    write_png(folder / f"{stem}.assets" / "second.png", colors[1])
    body = SAMPLE_BODY.format(stem=stem, read_more=READ_MORE if read_more else "")
    path = folder / f"{stem}.md"
    path.write_text(f"---\n{front_matter}---\n{body}", encoding="utf-8")
    return path
