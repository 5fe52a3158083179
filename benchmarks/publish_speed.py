"""Publish speed against a real local WordPress, side by side with plain sequential uploads.

Run: .venv/bin/python benchmarks/publish_speed.py [--rounds 3]
Starts a throwaway WordPress (tests/integration/wordpress_server.py), makes a post with ten
photos of about 300 KB each, and prints for each round: the time of plain sequential uploads of
the same files to the same endpoint, the time of a full Draftpress publish (render, uploads,
terms, post), their ratio, and the requests a republish of the unchanged post makes.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from editor.core.post import load_post, save_post  # noqa: E402
from editor.publish.publisher import Publisher, PublishOptions  # noqa: E402
from editor.publish.remote_record import with_remote_record  # noqa: E402
from editor.publish.wordpress_client import WordPressClient  # noqa: E402
from tests.integration.wordpress_server import WordPressServer  # noqa: E402

log = logging.getLogger("benchmark")
PHOTOS = 10


def make_photo(path: Path, seed: int) -> None:
    """Write a noisy JPEG of about 300 KB (noise does not compress)."""
    image = Image.frombytes("RGB", (640, 480), os.urandom(640 * 480 * 3))
    image.save(path, "JPEG", quality=92)


def make_post(folder: Path, round_number: int) -> Path:
    """Write a post with PHOTOS fresh photos."""
    stem = f"bench-{round_number}-{os.getpid()}"
    assets = folder / f"{stem}.assets"
    assets.mkdir(parents=True)
    lines = [f'---\ntitle: "Benchmark {round_number} {time.time()}"\nstatus: publish\n---\n']
    for n in range(PHOTOS):
        make_photo(assets / f"photo-{n}.jpg", n)
        lines.append(f"![Photo {n}]({stem}.assets/photo-{n}.jpg)\n\n/// caption\nPhoto {n}\n///\n")
    path = folder / f"{stem}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def plain_uploads(server: WordPressServer, files: list[Path]) -> float:
    """Upload the files one after the other with plain HTTP requests; return seconds."""
    auth = httpx.BasicAuth(server.admin_user, server.admin_app_password)
    started = time.perf_counter()
    with httpx.Client(auth=auth, timeout=120) as client:
        for path in files:
            response = client.post(
                server.api_url("wp/v2/media"),
                content=path.read_bytes(),
                headers={
                    "Content-Type": "image/jpeg",
                    "Content-Disposition": f'attachment; filename="plain-{path.name}"',
                },
            )
            response.raise_for_status()
    return time.perf_counter() - started


class Counting(httpx.HTTPTransport):
    """Counts requests."""

    count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        Counting.count += 1
        return super().handle_request(request)


def publish(server: WordPressServer, path: Path, transport=None) -> float:
    """Publish the post like the CLI does; return seconds."""
    post = load_post(path)
    started = time.perf_counter()
    with WordPressClient(
        server.url, server.admin_user, server.admin_app_password, transport=transport
    ) as client:
        result = Publisher(client).publish(post, "bench", PublishOptions())
    elapsed = time.perf_counter() - started
    save_post(post.with_text(with_remote_record(post.text, result.record)))
    return elapsed


def main() -> int:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with WordPressServer() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, full = [], []
        for round_number in range(args.rounds):
            path = make_post(folder, round_number)
            files = sorted((folder / f"{path.stem}.assets").iterdir())
            plain.append(plain_uploads(server, files))
            full.append(publish(server, path))
            print(
                f"round {round_number + 1}: plain sequential uploads {plain[-1]:.2f} s, "
                f"Draftpress publish {full[-1]:.2f} s, ratio {full[-1] / plain[-1]:.2f}"
            )
        Counting.count = 0
        publish(server, path, transport=Counting())
        size = sum(f.stat().st_size for f in files) / PHOTOS / 1024
        print(f"photos: {PHOTOS} of {size:.0f} KB on average")
        print(
            f"median plain {statistics.median(plain):.2f} s, median publish "
            f"{statistics.median(full):.2f} s, median ratio "
            f"{statistics.median(f / p for f, p in zip(full, plain, strict=True)):.2f}"
        )
        print(f"republish of the unchanged post: {Counting.count} request(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
