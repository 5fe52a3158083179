"""Screenshots of web pages in a real QtWebEngine view (offscreen), cropped to one element.

Used to compare two pages' layout: the element's box, the boxes of its children relative to
it, and the pixels inside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QRect, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWebEngineWidgets import QWebEngineView

# Wait for fonts, images and two painted frames; then measure the element and its children
# (CSS pixels).
_MEASURE = """
(function (selector) {
  var box = document.querySelector(selector);
  if (!box) { return null; }
  var images = Array.prototype.every.call(document.images, function (i) { return i.complete; });
  if (document.fonts.status !== 'loaded' || !images) { return null; }
  // Measured once two frames were painted after everything arrived.
  if (!window.__dpPainted) {
    if (!window.__dpWaiting) {
      window.__dpWaiting = true;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { window.__dpPainted = true; });
      });
    }
    return null;
  }
  var outer = box.getBoundingClientRect();
  var blocks = Array.prototype.map.call(box.children, function (child) {
    var r = child.getBoundingClientRect();
    return [child.tagName.toLowerCase(), r.left - outer.left, r.top - outer.top,
            r.width, r.height];
  });
  return JSON.stringify({box: [outer.left + scrollX, outer.top + scrollY, outer.width,
                               outer.height], blocks: blocks});
})(%s)
"""


@dataclass
class PageShot:
    """An element's pixels and the boxes of its children (x, y, width, height, relative)."""

    image: QImage
    blocks: list[tuple[str, float, float, float, float]]


def shoot(qtbot, url: QUrl, selector: str, width: int = 1000, height: int = 2400) -> PageShot:
    """Load a page in a view `width` pixels wide and return the element's shot."""
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=30_000) as loaded:
        view.load(url)
    assert loaded.args == [True], f"{url.toString()} did not load"
    answers: list[str | None] = []

    def ready() -> bool:
        """Ask the page (asynchronously); true once an answer says it is measured and painted."""
        view.page().runJavaScript(_MEASURE % json.dumps(selector), 0, answers.append)
        return bool(answers and answers[-1])

    qtbot.waitUntil(ready, timeout=30_000)
    facts = json.loads(answers[-1] or "{}")
    x, y, w, h = (round(v) for v in facts["box"])
    assert y + h <= height, "the element runs past the view: make the view taller"
    # The page's frame reaches the widget on its own channel: a grab can still show an earlier
    # frame, or none (all white: seen in the full suite, never alone, though the page said it
    # had painted). Take the pixels once the grab shows something and three in a row agree.
    grabs: list[QImage] = []

    def settled() -> bool:
        grabs.append(view.grab(QRect(x, y, w, h)).toImage())
        return (
            len(grabs) >= 3 and grabs[-1] == grabs[-2] == grabs[-3] and _has_content(grabs[-1])
        )

    qtbot.waitUntil(settled, timeout=30_000)
    return PageShot(grabs[-1], [tuple(block) for block in facts["blocks"]])


def _has_content(image: QImage) -> bool:
    """Tell whether an image holds more than one colour (an element with text always does)."""
    first = image.pixel(0, 0)
    return any(
        image.pixel(x, y) != first
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
    )
