"""What an inserted image tells about its maker, and the cleaned EXIF it is stored with.

Removed from every inserted photo: XMP (it repeats location, camera and lens serial numbers,
the owner's name, editing history and original file paths), IPTC (city, country, the
photographer's contact details), the EXIF thumbnail (it may show
what a crop cut away), the camera owner's name, the body and lens serial numbers, the image's
unique id and the maker notes (where cameras keep serial numbers of their own). Location (the
GPS IFD) goes unless the writer keeps it. Kept: orientation (unless it was applied to the
pixels), the colour profile, and the camera make and model and exposure, which say nothing
about the person.

Rights: EXIF Copyright and Artist are kept by default and dropped on request. Artist is the
photographer's credit, the companion of the copyright notice (both are the rights information
photographers expect to travel with their work, and that blogs and image search show); a
writer who set their own name in the camera and does not want it published turns the rights
off. A copyright or creator found only in the XMP is carried into EXIF Copyright and Artist, so
dropping the XMP does not drop the notice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where an image is opened (not with the window)
    from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
THUMBNAIL_IFD = 1  # Pillow's name for IFD1, the EXIF thumbnail
ORIENTATION = 0x0112
ARTIST = 0x013B
COPYRIGHT = 0x8298
PERSONAL_TAGS = {
    0xA430: "CameraOwnerName",
    0xA431: "BodySerialNumber",
    0xA435: "LensSerialNumber",
    0xA420: "ImageUniqueID",
    0x927C: "MakerNote",
}
RIGHTS_TAGS = (ARTIST, COPYRIGHT)
XMP_SCAN_BYTES = 256 * 1024  # the rights notice is near the top; never scan a huge packet
XMP_FIELD_BYTES = 4096
MAX_NOTICE_CHARS = 300
_LIST_ITEM = re.compile(rb"<rdf:li\b[^>]*>([^<]{1,%d})</rdf:li>" % XMP_FIELD_BYTES)


@dataclass(frozen=True)
class MetadataPolicy:
    """What may stay in an inserted image's metadata."""

    keep_location: bool = False
    keep_rights: bool = True


def xmp_of(image: Image.Image) -> bytes:
    """Return the image's XMP packet (JPEG, WebP, PNG and GIF alike), or b"" without one."""
    value = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return value.encode("utf-8", errors="replace") if isinstance(value, str) else bytes(value)


def _xmp_field(xmp: bytes, name: bytes) -> str:
    """Return the first entry of an XMP Dublin Core field (e.g. b"dc:rights"), or ""."""
    head = xmp[:XMP_SCAN_BYTES]
    start = head.find(b"<" + name)
    if start < 0:
        return ""
    found = _LIST_ITEM.search(head, start, start + XMP_FIELD_BYTES)
    if found is None:
        return ""
    text = html.unescape(found.group(1).decode("utf-8", errors="replace"))
    return " ".join(text.split())[:MAX_NOTICE_CHARS]


def _present(exif: Image.Exif, tags: object) -> bool:
    """Tell whether any of `tags` is in the main or the Exif IFD."""
    inner = exif.get_ifd(EXIF_IFD)
    return any(tag in exif or tag in inner for tag in tags)  # type: ignore[attr-defined]


def has_location(image: Image.Image) -> bool:
    """Tell whether the image carries GPS location data in its EXIF."""
    exif = image.getexif()
    return bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif


def needs_cleaning(image: Image.Image, policy: MetadataPolicy) -> bool:
    """Tell whether the image carries metadata the policy does not let through unchanged."""
    exif = image.getexif()
    return bool(
        xmp_of(image)
        or image.info.get("photoshop")  # JPEG APP13: IPTC city, country, by-line, contact
        or image.info.get("comment")  # JPEG COM, GIF comment: free text, often a name or path
        or getattr(image, "text", None)  # PNG tEXt/iTXt/zTXt: Author, Comment, Source...
        or (not policy.keep_location and has_location(image))
        or _present(exif, PERSONAL_TAGS)
        or (not policy.keep_rights and _present(exif, RIGHTS_TAGS))
        or exif.get_ifd(THUMBNAIL_IFD)
    )


def cleaned_exif(image: Image.Image, policy: MetadataPolicy, *, drop_orientation: bool) -> bytes:
    """Return the image's EXIF without what the policy removes (b"" when nothing is left)."""
    exif = image.getexif()
    inner = exif.get_ifd(EXIF_IFD)
    if policy.keep_rights:
        xmp = xmp_of(image)
        for tag, name in ((COPYRIGHT, b"dc:rights"), (ARTIST, b"dc:creator")):
            if not exif.get(tag) and xmp and (notice := _xmp_field(xmp, name)):
                # EXIF text is ASCII by the letter; UTF-8 is what tools write and read beyond it
                exif[tag] = notice if notice.isascii() else notice.encode("utf-8")
    removed = [*PERSONAL_TAGS, *(() if policy.keep_rights else RIGHTS_TAGS)]
    for tag in removed:
        exif.pop(tag, None)
        inner.pop(tag, None)
    if not policy.keep_location:
        exif.get_ifd(GPS_IFD).clear()
        exif.pop(GPS_IFD, None)
    if drop_orientation:
        exif.pop(ORIENTATION, None)
    if not inner:
        exif.pop(EXIF_IFD, None)
    return exif.tobytes() if len(exif) else b""
