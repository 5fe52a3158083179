"""Inserted images: checked, cleaned (GPS removed, downscaled) and stored once beside the post."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from editor.core.atomic_file import atomic_write_bytes
from editor.core.slug import slugify

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 80_000_000  # about 10000 x 8000: beyond this, decoding alone can exhaust memory
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
# Phones and cameras write JPEGs with extra pictures (depth or HDR maps) that Pillow calls MPO:
# they are JPEG photos to the writer and to browsers (which show the first picture).
JPEG_LIKE = {"MPO": "JPEG"}
GPS_IFD = 0x8825
ORIENTATION = 0x0112


class ImageRejected(ValueError):
    """An image that cannot be inserted; the message says why in the writer's words."""


@dataclass(frozen=True)
class ImageOptions:
    """How an inserted image is stored."""

    max_width: int = 2000  # 0: never downscale
    strip_gps: bool = True


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
    if len(data) > MAX_FILE_BYTES:
        raise ImageRejected(f"“{name}” is larger than {MAX_FILE_BYTES // 1048576} MB.")
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise ImageRejected(f"“{name}” is not an image Draftpress can read.") from error
    except Image.DecompressionBombError as error:
        raise ImageRejected(f"“{name}” has too many pixels to insert safely.") from error
    if JPEG_LIKE.get(image.format, image.format) not in FORMATS:
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


def _has_gps(image: Image.Image) -> bool:
    """Tell whether the image carries GPS location data."""
    return bool(image.getexif().get_ifd(GPS_IFD)) or GPS_IFD in image.getexif()


def _clean_exif(image: Image.Image, *, drop_orientation: bool, strip_gps: bool) -> bytes | None:
    """Return the image's EXIF without GPS (unless kept) and without orientation once applied."""
    exif = image.getexif()
    if not exif:
        return None
    if strip_gps:
        exif.pop(GPS_IFD, None)
    if drop_orientation:
        exif.pop(ORIENTATION, None)
    return exif.tobytes()


def prepare_image(data: bytes, name: str, options: ImageOptions) -> tuple[bytes, str, int, int]:
    """Return the bytes to store, their extension and size: the original unless it must change.

    Photos wider than the maximum are downscaled (orientation applied first); GPS data is
    removed when asked. Animations are never downscaled (that would drop their frames).
    """
    image = _open_checked(data, name)
    fmt = JPEG_LIKE.get(image.format, image.format)
    extension = FORMATS[fmt]
    animated = fmt != "JPEG" and getattr(image, "is_animated", False)
    rotated = image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
    display_width = image.height if rotated else image.width
    too_wide = bool(options.max_width) and display_width > options.max_width and not animated
    strip = options.strip_gps and _has_gps(image)
    if not too_wide and not strip:
        return data, extension, image.width, image.height
    save_args: dict = {}
    if too_wide:
        image = ImageOps.exif_transpose(image)  # bake the orientation in before resizing
        height = max(1, round(image.height * options.max_width / image.width))
        resized = image.resize((options.max_width, height), Image.Resampling.LANCZOS)
        exif = _clean_exif(image, drop_orientation=True, strip_gps=options.strip_gps)
        image = resized
        if fmt == "JPEG":
            save_args["quality"] = 90
    else:
        exif = _clean_exif(image, drop_orientation=False, strip_gps=True)
        if fmt == "JPEG" and image.format == "JPEG":
            save_args["quality"] = "keep"
        elif fmt == "JPEG":
            save_args["quality"] = 95
        if animated:
            save_args["save_all"] = True
    if exif is not None and fmt in ("JPEG", "PNG", "WEBP"):
        save_args["exif"] = exif
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt, **save_args)
    return out.getvalue(), extension, image.width, image.height


def safe_file_name(original: str, extension: str) -> str:
    """Return a file name safe everywhere: a slug of the original stem and the right extension."""
    stem = slugify(Path(original).stem, fallback="image")
    return f"{stem}{extension}"


def _existing_copy(folder: Path, digest: str) -> Path | None:
    """Return a file in `folder` with exactly this content hash, if there is one."""
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.iterdir()):
        if candidate.is_file():
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
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def store_image(data: bytes, name: str, post_path: Path, options: ImageOptions) -> StoredImage:
    """Check and store image bytes in the post's assets folder; the same image is stored once."""
    stored, extension, width, height = prepare_image(data, name, options)
    folder = assets_dir_for(post_path)
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
