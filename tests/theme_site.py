"""A blog's theme served from 127.0.0.1 by a thread of the test: pages, CSS, fonts, and a log.

`hostile_theme` is a post page with everything a look must not take along: scripts, event
handlers, a frame, stylesheets, @imports and fonts on another origin (a second local server,
which stands for the rest of the internet and records every request it gets).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A few bytes that stand for a font file (never parsed as one: the test checks where it goes).
FONT_BYTES = b"wOF2-draftpress-test-font"


@dataclass
class Site:
    """A served site: its address, its files and the paths asked of it, in order."""

    url: str = ""
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def serve_site(site: Site) -> Iterator[Site]:
    """Serve the site's files (404 for the rest) while the block runs; record every request."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib API)
            """Keep the test output quiet."""

        def do_GET(self) -> None:  # noqa: N802 (stdlib API)
            site.requests.append(self.path)
            kind, body = site.files.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in site.files else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def hostile_theme(blog: Site, elsewhere: Site) -> None:
    """Fill `blog` with a post page whose theme reaches for `elsewhere` in every way it can."""
    remote = elsewhere.url
    page = f"""<!DOCTYPE html>
<html lang="en-GB" class="no-js" onclick="alert(1)">
<head>
<meta charset="utf-8">
<meta name="generator" content="WordPress 6.1">
<script src="{remote}/tracker.js"></script>
<script>document.title = 'ran';</script>
<link rel="stylesheet" href="/wp-content/themes/hostile/style.css" media="all">
<link rel="stylesheet" href="{remote}/remote.css">
<link rel="preload" href="{remote}/preload.woff2" as="font">
<link rel="stylesheet" href="/print.css" media="print">
<style id="global-styles-inline-css">
@import url({remote}/imported-remote.css);
@import "/wp-content/themes/hostile/more.css";
body {{ --wp--preset--color--base: #fdf6e3; background: url({remote}/bg.png); }}
</style>
</head>
<body class="single wp-embed-responsive" onload="alert(2)">
<iframe src="{remote}/frame.html"></iframe>
<div class="wp-site-blocks">
<header class="site-header"><a href="/">The Hostile Blog</a></header>
<main class="wp-block-group" style="margin-top: 2em; background-image: url({remote}/m.png)">
<h1 class="wp-block-post-title has-text-align-center" onmouseover="alert(3)">A post</h1>
<div class="entry-content wp-block-post-content is-layout-constrained" data-x="1">
<p>The published text.</p>
<script>alert(4)</script>
</div>
</main>
</div>
<script src="/wp-includes/js/app.js"></script>
</body>
</html>
"""
    style = f"""
@font-face {{ font-family: "Hostile Sans"; src: url(fonts/hostile.woff2) format("woff2"),
  url({remote}/hostile.woff) format("woff"); }}
@font-face {{ font-family: "Remote Serif"; src: url("{remote}/remote-serif.woff2"); }}
body {{ font-family: "Hostile Sans", "Remote Serif", serif; }}
.wp-block-post-content {{ max-width: 620px; margin: 0 auto; }}
"""
    blog.files.update(
        {
            "/wp-json/wp/v2/posts?per_page=1&_fields=link": (
                "application/json",
                json.dumps([{"link": f"{blog.url}/2026/a-post/"}]).encode(),
            ),
            "/2026/a-post/": ("text/html; charset=utf-8", page.encode()),
            "/wp-content/themes/hostile/style.css": ("text/css", style.encode()),
            "/wp-content/themes/hostile/more.css": (
                "text/css",
                b".wp-block-quote cite { font-style: normal; color: #b58900; }",
            ),
            "/wp-content/themes/hostile/fonts/hostile.woff2": ("font/woff2", FONT_BYTES),
            "/print.css": ("text/css", b"body { color: red; }"),
        }
    )
