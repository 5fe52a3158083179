"""Inserted images: checked, cleaned (personal metadata removed, downscaled), stored once."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.atomic_file import atomic_write_bytes
from editor.core.image_metadata import (
    GPS_IFD,  # noqa: F401  (re-exported: where callers have always found it)
    ORIENTATION,
    MetadataPolicy,
    cleaned_exif,
    needs_cleaning,
)
from editor.core.local_files import inside_folder
from editor.core.slug import cut_to_bytes, slugify

if TYPE_CHECKING:  # Pillow loads with the first image, not with the window (start-up)
    from PIL import Image

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_NAME_BYTES = 180  # an image's file name stem in UTF-8 (room for `-N` and the extension)
MAX_PIXELS = 80_000_000  # about 10000 x 8000: beyond this, decoding alone can exhaust memory
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
# Phones and cameras write JPEGs with extra pictures (depth or HDR maps) that Pillow calls MPO:
# they are JPEG photos to the writer and to browsers (which show the first picture).
JPEG_LIKE = {"MPO": "JPEG"}


def _format_of(image: Image.Image) -> str:
    """Return Pillow's name for an image's format, MPO counted as JPEG ('' when unknown)."""
    name = image.format or ""
    return JPEG_LIKE.get(name, name)


class ImageRejected(ValueError):
    """An image that cannot be inserted; the message says why in the writer's words."""


@dataclass(frozen=True)
class ImageOptions:
    """How an inserted image is stored."""

    max_width: int = 2000  # 0: never downscale
    strip_gps: bool = True
    keep_rights: bool = True  # keep EXIF Copyright and Artist (see image_metadata)


@dataclass(frozen=True)
class StoredImage:
    """An image stored in the post's assets folder."""

    path: Path
    relative_path: str  # as written in the Markdown, relative to the post's folder
    width: int
    height: int
    reused: bool  # the same image was already there


def assets_dir_for(post_path: Path) -> Path:
    """Return the folder beside a post that holds its images: `<post-file-stem>.assets`."""
    return post_path.parent / f"{post_path.stem}.assets"


def read_image_file(source: Path) -> bytes:
    """Read an image file, refusing folders, missing, unreadable and oversized files."""
    source = Path(source)
    if source.is_dir():
        raise ImageRejected(f"“{source.name}” is a folder. Choose an image file inside it.")
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImageRejected(
                f"“{source.name}” is {size / 1048576:.0f} MB; images up to "
                f"{MAX_FILE_BYTES // 1048576} MB can be inserted. Export a smaller copy first."
            )
        return source.read_bytes()
    except FileNotFoundError as error:
        raise ImageRejected(f"“{source.name}” does not exist.") from error
    except PermissionError as error:
        raise ImageRejected(f"Draftpress is not allowed to read “{source.name}”.") from error
    except OSError as error:
        raise ImageRejected(
            f"Could not read “{source.name}”: {error.strerror or error}."
        ) from error


def _open_checked(data: bytes, name: str) -> Image.Image:
    """Decode image bytes fully, refusing non-images, truncated files and huge pixel counts."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_FILE_BYTES:
        raise ImageRejected(f"“{name}” is larger than {MAX_FILE_BYTES // 1048576} MB.")
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise ImageRejected(f"“{name}” is not an image Draftpress can read.") from error
    except Image.DecompressionBombError as error:
        raise ImageRejected(f"“{name}” has too many pixels to insert safely.") from error
    if _format_of(image) not in FORMATS:
        raise ImageRejected(
            f"“{name}” is a {image.format} image; insert JPEG, PNG, GIF or WebP images."
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRejected(
            f"“{name}” is {width} × {height} pixels, too large to insert. "
            "Export a smaller copy (for example 4000 pixels wide)."
        )
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(f"“{name}” is damaged or incomplete and cannot be shown.") from error
    return image


def _webp_is_lossless(data: bytes) -> bool:
    """Tell whether WebP bytes hold a lossless picture (a VP8L chunk): re-save it lossless."""
    return b"VP8L" in data[12:4096]


def prepare_image(data: bytes, name: str, options: ImageOptions) -> tuple[bytes, str, int, int]:
    """Return the bytes to store, their extension and size: the original unless it must change.

    Photos wider than the maximum are downscaled (orientation applied first). Metadata that
    tells about the writer (see image_metadata) is removed, so an image carrying any is
    re-saved, never stored as it came. Animations are never downscaled (that would drop their
    frames).
    """
    from PIL import Image, ImageOps

    image = _open_checked(data, name)
    fmt = _format_of(image)
    extension = FORMATS[fmt]
    animated = fmt != "JPEG" and getattr(image, "is_animated", False)
    rotated = image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
    display_width = image.height if rotated else image.width
    too_wide = bool(options.max_width) and display_width > options.max_width and not animated
    policy = MetadataPolicy(keep_location=not options.strip_gps, keep_rights=options.keep_rights)
    if not too_wide and not needs_cleaning(image, policy):
        return data, extension, image.width, image.height
    save_args: dict[str, object] = {}
    icc_profile = image.info.get("icc_profile")
    if too_wide:
        upright = ImageOps.exif_transpose(image)  # bake the orientation in before resizing
        exif = cleaned_exif(image, policy, drop_orientation=True)
        height = max(1, round(upright.height * options.max_width / upright.width))
        image = upright.resize((options.max_width, height), Image.Resampling.LANCZOS)
        if fmt == "JPEG":
            save_args["quality"] = 90
    else:
        exif = cleaned_exif(image, policy, drop_orientation=False)
        if fmt == "JPEG" and image.format == "JPEG":
            save_args["quality"] = "keep"
        elif fmt == "JPEG":
            save_args["quality"] = 95
        if animated:
            save_args["save_all"] = True
    if fmt == "WEBP" and _webp_is_lossless(data):
        save_args["lossless"] = True
    elif fmt == "WEBP":
        save_args["quality"] = 90
    if exif and fmt in ("JPEG", "PNG", "WEBP"):
        save_args["exif"] = exif
    if icc_profile and fmt in ("JPEG", "PNG", "WEBP"):
        save_args["icc_profile"] = icc_profile
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.info.pop("comment", None)  # Pillow writes a JPEG's or GIF's comment back otherwise
    out = io.BytesIO()
    image.save(out, fmt, **save_args)
    return out.getvalue(), extension, image.width, image.height


def safe_file_name(original: str, extension: str) -> str:
    """Return a file name safe everywhere: a slug of the original stem and the right extension."""
    stem = cut_to_bytes(slugify(Path(original).stem, fallback="image"), MAX_NAME_BYTES)
    return f"{stem or 'image'}{extension}"


def _existing_copy(folder: Path, digest: str) -> Path | None:
    """Return a file in `folder` with exactly this content hash, if there is one."""
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.iterdir()):
        if candidate.is_file() and inside_folder(candidate, folder):
            try:
                if hashlib.sha256(candidate.read_bytes()).hexdigest() == digest:
                    return candidate
            except OSError:
                continue
    return None


def _free_name(folder: Path, name: str) -> Path:
    """Return `folder/name`, or `name-2`, `name-3`… when taken by a different image."""
    candidate = folder / name
    stem, suffix = os.path.splitext(name)
    number = 2
    while os.path.lexists(candidate):  # a link, even a broken one, is taken too
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def store_image(data: bytes, name: str, post_path: Path, options: ImageOptions) -> StoredImage:
    """Check and store image bytes in the post's assets folder; the same image is stored once."""
    folder = assets_dir_for(post_path)
    if not inside_folder(folder, post_path.parent):
        raise ImageRejected(
            f"“{folder.name}” is a link to a folder outside this post's folder, so Draftpress "
            "puts no images there. Replace the link with a real folder to insert images."
        )
    stored, extension, width, height = prepare_image(data, name, options)
    digest = hashlib.sha256(stored).hexdigest()
    existing = _existing_copy(folder, digest)
    if existing is not None:
        target, reused = existing, True
    else:
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, safe_file_name(name, extension))
        try:
            atomic_write_bytes(target, stored)
        except OSError:
            if created:
                folder.rmdir()
            raise
        reused = False
        log.info("stored image %s (%d bytes)", target, len(stored))
    relative = f"{folder.name}/{target.name}"
    return StoredImage(target, relative, width, height, reused)


def store_image_file(source: Path, post_path: Path, options: ImageOptions) -> StoredImage:
    """Read an image file and store it beside the post."""
    return store_image(read_image_file(source), Path(source).name, post_path, options)
