"""Patching the preview block by block: the diff of two renders and the script that applies it.

The preview's article holds the body HTML exactly as `innerHTML = body` would (no wrapper
elements); our script, in QtWebEngine's isolated ApplicationWorld (the page's own world runs no
script at all), remembers which top-level nodes each rendered piece produced.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from editor.render.page import build_page


@dataclass(frozen=True)
class BlockPatch:
    """Replace `remove_count` pieces from `start` with the pieces `htmls`."""

    start: int
    remove_count: int
    htmls: list[str]

    @property
    def size(self) -> int:
        """Return how many characters of HTML the patch carries."""
        return sum(map(len, self.htmls))


def diff_blocks(old: list[str], new: list[str]) -> BlockPatch | None:
    """Return the smallest single-range patch turning `old` into `new` (None: no change)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    if prefix == len(old) == len(new):
        return None
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return BlockPatch(prefix, len(old) - prefix - suffix, new[prefix : len(new) - suffix])


# Elements the preview shows without their behaviour (the published post keeps them as written):
# - every <link> becomes a void element with none: a link does nothing useful in the preview
#   (the page's policy refuses stylesheets), but its hints (prefetch, preload, preconnect,
#   dns-prefetch) would reach out to the network, and preconnect and dns-prefetch pass no
#   request through the preview's guard;
# - every <form> becomes a plain block, so no button or field has a form to submit: a
#   target=_blank form would otherwise ask for a new window, which goes to the system browser
#   with the form's fields in its URL (no page policy stops that request).
# The tag names are changed wherever they occur, even in text no parser would take as a tag
# (a <style> or <textarea>), where the preview then shows the changed name.
_INERT_TAG = re.compile(r"<(/?)(link|form)(?=[\s/>]|$)", re.IGNORECASE)
INERT_LINK = "wbr data-dp-inert-link"
INERT_FORM = "dp-inert-form"  # shown as a block, as a form is (template.html)


def _inert_tag(match: re.Match[str]) -> str:
    """Return the inert replacement of one <link>, <form> or </form>."""
    closing, name = match.groups()
    if name.lower() == "form":
        return f"<{closing}{INERT_FORM}"
    return match.group(0) if closing else f"<{INERT_LINK}"


def inert_html(piece: str) -> str:
    """Return a piece's HTML with every `<link>` and `<form>` made inert."""
    return _INERT_TAG.sub(_inert_tag, piece)


# Above this much HTML (about 500 KB of Markdown) Draftpress's page lays out only what is near the
# screen (CSS content-visibility on the blocks its pieces are grouped in, see CHUNKED_FROM_PIECES).
# Measured on a 1 MB post (10,666 pieces): the page's process settles at 90 instead of 214 MiB,
# and a keystroke's patch is in the page 5 ms after the key instead of 51 ms (flat, laid out in
# full). Heights of blocks not yet shown are estimates, so scroll sync is approximate there. On
# every piece rather than on blocks (a blog's look, whose CSS may style the post's element's own
# children, so its pieces are never grouped), each frame checked all ten thousand: patches took
# 190 instead of 62 ms; a blog's look is laid out lazily only from book length.
LONG_POST_HTML_CHARS = 1_000_000
LONG_POST_IN_LOOK_HTML_CHARS = 4_000_000


def is_long_body(html_chars: int, in_look: bool = False) -> bool:
    """Tell whether a body of this many characters of HTML is laid out lazily in the preview."""
    return html_chars > (LONG_POST_IN_LOOK_HTML_CHARS if in_look else LONG_POST_HTML_CHARS)


def is_long_post(htmls: list[str], in_look: bool = False) -> bool:
    """Tell whether a body of these pieces is laid out lazily in the preview."""
    return is_long_body(sum(map(len, htmls)), in_look)


# A post of this many pieces or more has them grouped in blocks in Draftpress's page (measured on
# a 1 MB post of 10,666 pieces: the layout after a one-piece patch 8-20 ms flat, 0.2 ms grouped);
# fewer than FLAT_BELOW_PIECES and they are flat again (the gap stops a post at the edge from
# regrouping at every keystroke). Short posts' pages stay exactly the rendered HTML.
CHUNKED_FROM_PIECES = 1500
FLAT_BELOW_PIECES = 1000

# The script state, defined once per page load in the ApplicationWorld. Nodes of piece i are
# dp.blocks[i]; dp.lastY is the scroll position we set ourselves (so that the scroll it causes
# is not reported back as the writer's).
_LIBRARY_SOURCE = r"""
(function () {
  if (window.__dp) { return true; }
  // Draftpress's page: #content; a page in a blog's look (marked on <html>, which no post can
  // reach): the element marked for the post, found while the page is still empty
  var inLook = document.documentElement.hasAttribute('data-dp-blog-look');
  var content = inLook ? document.querySelector('[data-dp-content]')
                       : document.getElementById('content');
  var dp = {blocks: [], lastY: -1};
  function nodeTop(node) {
    if (node.nodeType === 1) { return node.getBoundingClientRect().top; }
    var range = document.createRange();
    range.selectNode(node);
    var rect = range.getBoundingClientRect();
    return rect.height || rect.width ? rect.top : null;
  }
  function blockTop(i) {
    var nodes = dp.blocks[i] || [];
    for (var k = 0; k < nodes.length; k++) {
      var top = nodeTop(nodes[k]);
      if (top !== null) { return top + window.scrollY; }
    }
    return null;
  }
  function startOf(i) {  // page y where piece i starts (empty pieces take the next one's)
    for (var j = i; j < dp.blocks.length; j++) {
      var top = blockTop(j);
      if (top !== null) { return top; }
    }
    return content.getBoundingClientRect().bottom + window.scrollY;
  }
  function remember() { dp.lastY = window.scrollY; return dp.lastY; }
  // A long post's pieces sit in blocks of CHUNK_NODES nodes (<dp-chunk>, plain display:block
  // boxes, so margins collapse across them as before): a change relays out its block and the
  // blocks' list, not every one of the post's ten thousand pieces (about 20 ms at 1 MB).
  // Not in a blog's look: its CSS may style the post's element's own children (`> *`).
  var CHUNK_NODES = 128, CHUNK_FROM = inLook ? Infinity : @CHUNK_FROM@;
  var FLAT_BELOW = @FLAT_BELOW@;
  dp.chunked = false;
  function newChunk() { return document.createElement('dp-chunk'); }
  function fill(chunk, nodes, from, to) {
    var fragment = document.createDocumentFragment();
    for (var k = from; k < to; k++) { fragment.appendChild(nodes[k]); }
    chunk.appendChild(fragment);
  }
  function chunkAll() {
    var nodes = Array.prototype.slice.call(content.childNodes);
    for (var i = 0; i < nodes.length; i += CHUNK_NODES) {
      var chunk = newChunk();
      content.insertBefore(chunk, nodes[i]);
      fill(chunk, nodes, i, Math.min(i + CHUNK_NODES, nodes.length));
    }
    dp.chunked = true;
  }
  function flattenAll() {
    Array.prototype.slice.call(content.children).forEach(function (chunk) {
      var fragment = document.createDocumentFragment();
      while (chunk.firstChild) { fragment.appendChild(chunk.firstChild); }
      content.insertBefore(fragment, chunk);
      chunk.remove();
    });
    dp.chunked = false;
  }
  function split(chunk) {  // a block grown past twice its size (a paste) is cut up
    var nodes = Array.prototype.slice.call(chunk.childNodes);
    if (nodes.length <= 2 * CHUNK_NODES) { return; }
    var after = chunk.nextSibling;
    for (var i = CHUNK_NODES; i < nodes.length; i += CHUNK_NODES) {
      var next = newChunk();
      content.insertBefore(next, after);
      fill(next, nodes, i, Math.min(i + CHUNK_NODES, nodes.length));
    }
  }
  dp.patch = function (start, removeCount, htmls, serial, longPost) {
    var x = window.scrollX, y = window.scrollY;
    if (!dp.blocks.length) { content.textContent = ''; dp.chunked = false; }
    var anchor = null;
    for (var j = start + removeCount; j < dp.blocks.length && !anchor; j++) {
      if (dp.blocks[j].length) { anchor = dp.blocks[j][0]; }
    }
    var emptied = [];
    dp.blocks.slice(start, start + removeCount).forEach(function (nodes) {
      nodes.forEach(function (node) {
        var parent = node.parentNode;
        node.remove();
        if (parent !== content && parent && !parent.firstChild) { emptied.push(parent); }
      });
    });
    emptied.forEach(function (chunk) { if (!chunk.firstChild) { chunk.remove(); } });
    var into = anchor ? anchor.parentNode : content;
    if (!anchor && dp.chunked) {
      into = content.lastElementChild;
      if (!into) { into = content.appendChild(newChunk()); }
    }
    var fresh = htmls.map(function (source) {
      var template = document.createElement('template');
      template.innerHTML = source;
      var nodes = Array.prototype.slice.call(template.content.childNodes);
      into.insertBefore(template.content, anchor);
      return nodes;
    });
    dp.blocks.splice.apply(dp.blocks, [start, removeCount].concat(fresh));
    if (dp.chunked && into !== content) { split(into); }
    if (!dp.chunked && dp.blocks.length >= CHUNK_FROM) { chunkAll(); }
    else if (dp.chunked && dp.blocks.length < FLAT_BELOW) { flattenAll(); }
    // very long posts: lay out only what is near the screen (theme CSS)
    content.classList.toggle('dp-long', longPost);
    window.scrollTo(x, y);
    remember();
    return serial;
  };
  function trim(node, atStart) {  // drop the newline the page template put around the body
    if (!node || node.nodeType !== 3) { return; }
    var data = node.data;
    if (atStart && data.charAt(0) === '\n') { data = data.slice(1); }
    if (!atStart && data.charAt(data.length - 1) === '\n') { data = data.slice(0, -1); }
    if (data) { node.data = data; } else { node.remove(); }
  }
  dp.adopt = function (marker, expected) {  // a page loaded from a file: find the pieces
    trim(content.firstChild, true);
    trim(content.lastChild, false);
    var blocks = [[]], all = [];
    Array.prototype.slice.call(content.childNodes).forEach(function (node) {
      if (node.nodeType === 8 && node.data === marker) { node.remove(); blocks.push([]); }
      else { blocks[blocks.length - 1].push(node); all.push(node); }
    });
    if (blocks.length !== expected) {  // a marker ended up inside an element: one piece
      var walker = document.createTreeWalker(content, NodeFilter.SHOW_COMMENT);
      var strays = [];
      while (walker.nextNode()) {
        if (walker.currentNode.data === marker) { strays.push(walker.currentNode); }
      }
      strays.forEach(function (node) { node.remove(); });
      blocks = [Array.prototype.slice.call(content.childNodes)];
    }
    dp.blocks = blocks;
    dp.chunked = false;
    if (blocks.length >= CHUNK_FROM) { chunkAll(); }
    return blocks.length;
  };
  dp.setBase = function (href) {  // where relative image paths of the pieces point
    var base = document.querySelector('base');
    if (!base) {
      base = document.createElement('base');
      document.head.insertBefore(base, document.head.firstChild);
    }
    base.href = href;
    return true;
  };
  dp.scrollToBlock = function (i, fraction) {
    var top = startOf(i), next = startOf(i + 1);
    window.scrollTo(window.scrollX, top + fraction * Math.max(0, next - top));
    return remember();
  };
  dp.scrollToEnd = function (atEnd) {
    window.scrollTo(window.scrollX, atEnd ? document.documentElement.scrollHeight : 0);
    var y = remember(), frames = 0, still = 0;
    // Laid out lazily, the last blocks had an estimated height until scrolled to (they are laid
    // out in the frame after): follow the end as they grow, until it has stayed put for a few
    // frames, for as long as the reader leaves the scroll where we put it.
    function follow() {
      if (window.scrollY !== dp.lastY || ++frames > 60) { return; }
      var end = document.documentElement.scrollHeight - window.innerHeight;
      if (window.scrollY >= end - 1) {
        still += 1;
      } else {
        still = 0;
        window.scrollTo(window.scrollX, end);
        remember();
      }
      if (still < 3) { requestAnimationFrame(follow); }
    }
    if (atEnd) { requestAnimationFrame(follow); }
    return y;
  };
  dp.scrollToY = function (y) { window.scrollTo(window.scrollX, y); return remember(); };
  dp.topBlock = function () {  // [piece, fraction] at the top, or null if we put it there
    var y = window.scrollY;
    if (Math.abs(y - dp.lastY) < 1) { return null; }
    dp.lastY = -1;
    if (!dp.blocks.length) { return null; }
    var low = 0, high = dp.blocks.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (startOf(middle) <= y + 1) { low = middle; } else { high = middle - 1; }
    }
    var top = startOf(low), next = startOf(low + 1);
    return [low, next > top ? Math.min(1, Math.max(0, (y - top) / (next - top))) : 0];
  };
  dp.reveal = function (i) {  // scroll piece i into view if it is off-screen
    if (i < 0 || i >= dp.blocks.length) { return false; }
    var top = startOf(i) - window.scrollY, bottom = startOf(i + 1) - window.scrollY;
    if (bottom > 0 && top < window.innerHeight) { return false; }
    window.scrollTo(window.scrollX, window.scrollY + top - window.innerHeight / 4);
    remember();
    return true;
  };
  window.__dp = dp;
  return true;
})()
"""
PREVIEW_LIBRARY = _LIBRARY_SOURCE.replace("@CHUNK_FROM@", str(CHUNKED_FROM_PIECES)).replace(
    "@FLAT_BELOW@", str(FLAT_BELOW_PIECES)
)


def patch_script(patch: BlockPatch, serial: int, long_post: bool = False) -> str:
    """Return the script that applies `patch` and evaluates to `serial`."""
    htmls = json.dumps(patch.htmls)
    flag = "true" if long_post else "false"
    return f"window.__dp.patch({patch.start}, {patch.remove_count}, {htmls}, {serial}, {flag})"


def title_script(title: str) -> str:
    """Return the script that shows `title` above the post."""
    return (
        "(function (t) { var r = document.documentElement;"
        " var h = r && r.hasAttribute('data-dp-blog-look')"
        " ? document.querySelector('[data-dp-title]') : document.getElementById('dp-title');"
        " if (h) { h.textContent = t; } document.title = t; })"
        f"({json.dumps(title or 'Untitled')})"
    )


def page_with_blocks(title: str, htmls: list[str], base_url: str, marker: str) -> str:
    """Return a whole preview page holding `htmls`, pieces separated by `<!--marker-->`.

    For pages too large for setHtml: the page is loaded from a file, `base_url` (the post's
    folder) resolves its images, and the script removes the markers after the load.
    """
    body = f"<!--{marker}-->".join(htmls)
    page = build_page(title, body)
    if is_long_post(htmls):  # laid out lazily from the start
        page = page.replace('<article id="content">', '<article id="content" class="dp-long">', 1)
    return page.replace("<head>", f'<head>\n<base href="{html.escape(base_url)}">', 1)
