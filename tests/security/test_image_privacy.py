"""Issue 18, finding 14 and a Low: an inserted image tells nothing about its maker it need not.

A JPEG or WebP with GPS only in its XMP was stored byte for byte; the camera's serial number
and its owner's name were always kept; a `<post>.assets` that is a symlink out of the post's
folder was written through. Now XMP goes, with the personal EXIF fields (serial numbers, owner,
unique id, maker notes); orientation and colour profile stay, and so do Copyright and Artist
unless the writer turns rights off (editor/core/image_metadata.py says why). Real images made
with Pillow, real files in tmp dirs, the real window.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, PngImagePlugin

from editor.core.image_assets import ImageOptions, ImageRejected, assets_dir_for, store_image
from editor.core.image_metadata import ARTIST, COPYRIGHT, EXIF_IFD, GPS_IFD, ORIENTATION
from editor.gui.main_window import MainWindow
from tests.gui import conftest as gui_conftest
from tests.gui.test_insert_tools import DialogScript, describe_image, image_dialog, wait_for_text

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
no_hanging_file_questions = gui_conftest.no_hanging_file_questions
__all__ = ["image_dialog", "library_root", "make_window", "no_hanging_file_questions", "window"]

MAKE, MODEL = 0x010F, 0x0110
OWNER, BODY_SERIAL, LENS_SERIAL, UNIQUE_ID, MAKER_NOTE = 0xA430, 0xA431, 0xA435, 0xA420, 0x927C
SECRETS = [b"Ada Owner", b"BODY-123456", b"LENS-654321", b"0f1e2d3c4b5a69788796a5b4c3d2e1f0"]
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'exif:GPSLatitude="52,22.0245N" exif:GPSLongitude="4,53.1234E" '
    b'aux:SerialNumber="XMP-SERIAL-999">'
    b"%s"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)
XMP_RIGHTS = (
    b'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">\xc2\xa9 2026 Jo &amp; Co</rdf:li>'
    b"</rdf:Alt></dc:rights><dc:creator><rdf:Seq><rdf:li>Jo Photographer</rdf:li></rdf:Seq>"
    b"</dc:creator>"
)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture(size: tuple[int, int] = (64, 48)) -> Image.Image:
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    return image


def camera_exif(*, gps: bool = False, rights: bool = True) -> Image.Exif:
    """EXIF as a camera writes it: make, model, orientation, personal fields, maybe rights."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "TestCam", "X100", 6
    if rights:
        exif[ARTIST], exif[COPYRIGHT] = "Jo Photographer", "(c) 2026 Jo"
    inner = exif.get_ifd(EXIF_IFD)
    inner[OWNER], inner[BODY_SERIAL], inner[LENS_SERIAL] = "Ada Owner", "BODY-123456", "LENS-654321"
    inner[UNIQUE_ID] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    inner[MAKER_NOTE] = b"MAKERNOTE serial BODY-123456"
    inner[0x829A] = (1, 250)  # exposure time: says nothing about the person
    if gps:
        location = exif.get_ifd(GPS_IFD)
        location[1], location[2] = "N", (52.0, 22.0, 1.5)
    return exif


def encoded(fmt: str, *, exif: Image.Exif | None = None, xmp: bytes = b"", **args) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG" and xmp:
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
        args["pnginfo"] = info
    elif xmp:
        args["xmp"] = xmp
    if exif is not None:
        args["exif"] = exif
    picture().save(out, fmt, **args)
    return out.getvalue()


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "blog" / "trip.md"
    path.parent.mkdir()
    path.write_text("# Trip\n", encoding="utf-8")
    return path


def store(data: bytes, post: Path, name: str = "photo.jpg", **options) -> bytes:
    return store_image(data, name, post, ImageOptions(**options)).path.read_bytes()


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_location_only_in_xmp_is_removed_and_the_image_is_not_stored_as_it_came(
    post: Path, fmt: str
) -> None:
    data = encoded(fmt, xmp=XMP % b"")
    assert b"GPSLatitude" in data  # the test image really carries it
    stored = store(data, post, "photo." + fmt.lower())
    assert stored != data
    assert b"GPSLatitude" not in stored and b"XMP-SERIAL" not in stored
    assert "xmp" not in Image.open(io.BytesIO(stored)).info


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_serial_numbers_owner_unique_id_and_maker_notes_are_removed(post: Path, fmt: str) -> None:
    data = encoded(fmt, exif=camera_exif(gps=True))
    assert all(secret in data for secret in SECRETS)
    stored = store(data, post, "photo." + fmt.lower())
    assert not [secret for secret in SECRETS if secret in stored]
    assert b"MAKERNOTE" not in stored
    exif = Image.open(io.BytesIO(stored)).getexif()
    inner = exif.get_ifd(EXIF_IFD)
    assert not {OWNER, BODY_SERIAL, LENS_SERIAL, UNIQUE_ID, MAKER_NOTE} & (set(exif) | set(inner))
    assert not exif.get_ifd(GPS_IFD)
    # What says nothing about the person stays: camera, exposure, orientation, rights.
    assert (exif[MAKE], exif[MODEL], exif[ORIENTATION]) == ("TestCam", "X100", 6)
    assert 0x829A in inner
    assert (exif[ARTIST], exif[COPYRIGHT]) == ("Jo Photographer", "(c) 2026 Jo")


def test_rights_go_too_when_the_writer_turns_them_off(post: Path) -> None:
    stored = store(encoded("JPEG", exif=camera_exif()), post, keep_rights=False)
    assert b"Jo Photographer" not in stored and b"(c) 2026 Jo" not in stored
    assert Image.open(io.BytesIO(stored)).getexif()[MAKE] == "TestCam"


def test_a_photo_with_only_rights_is_kept_byte_for_byte_unless_rights_are_off(post: Path) -> None:
    exif = Image.Exif()
    exif[ARTIST], exif[COPYRIGHT] = "Jo Photographer", "(c) 2026 Jo"
    data = encoded("JPEG", exif=exif)
    assert store(data, post, "kept.jpg") == data
    assert b"Jo Photographer" not in store(data, post, "stripped.jpg", keep_rights=False)


def test_a_copyright_found_only_in_the_xmp_moves_into_the_exif(post: Path) -> None:
    stored = store(encoded("JPEG", xmp=XMP % XMP_RIGHTS), post)
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert exif[ARTIST] == "Jo Photographer"
    # Non-ASCII EXIF text is written as UTF-8 (as exiftool does; Pillow reads it as Latin-1).
    assert exif[COPYRIGHT].encode("latin-1").decode("utf-8") == "© 2026 Jo & Co"
    assert b"GPSLatitude" not in stored
    plain = store(encoded("JPEG", xmp=XMP % XMP_RIGHTS), post, "plain.jpg", keep_rights=False)
    assert COPYRIGHT not in Image.open(io.BytesIO(plain)).getexif()


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_the_colour_profile_is_kept(post: Path, fmt: str) -> None:
    stored = store(encoded(fmt, xmp=XMP % b"", icc_profile=SRGB), post, "p." + fmt.lower())
    assert Image.open(io.BytesIO(stored)).info.get("icc_profile") == SRGB


def test_a_lossless_webp_stays_lossless(post: Path) -> None:
    data = encoded("WEBP", xmp=XMP % b"", lossless=True)
    stored = store(data, post, "diagram.webp")
    assert b"VP8L" in stored[:64]
    difference = ImageChops.difference(
        Image.open(io.BytesIO(stored)).convert("RGB"), picture().convert("RGB")
    )
    assert difference.getbbox() is None


def test_a_downscaled_photo_also_loses_the_personal_fields(post: Path) -> None:
    out = io.BytesIO()
    picture((3000, 1000)).save(out, "JPEG", exif=camera_exif(), xmp=XMP % b"")
    stored = store(out.getvalue(), post, max_width=500)
    assert not [secret for secret in SECRETS if secret in stored] and b"GPSLatitude" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.size == (500, 1500) and ORIENTATION not in image.getexif()  # upright now


# -- a symlinked .assets -----------------------------------------------------------------------


def test_an_assets_link_out_of_the_post_folder_is_refused_and_nothing_written(
    post: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    assets_dir_for(post).symlink_to(outside, target_is_directory=True)
    with pytest.raises(ImageRejected, match="link to a folder outside this post's folder"):
        store(encoded("PNG"), post, "card.png")
    assert list(outside.iterdir()) == []


def test_an_assets_link_within_the_post_folder_is_used(post: Path) -> None:
    shared = post.parent / "images"
    shared.mkdir()
    assets_dir_for(post).symlink_to("images", target_is_directory=True)
    store(encoded("PNG"), post, "card.png")
    assert [p.name for p in shared.iterdir()] == ["card.png"]


def test_a_file_in_assets_linking_out_is_not_taken_for_the_same_image(
    post: Path, tmp_path: Path
) -> None:
    data = encoded("PNG")
    secret = tmp_path / "secret.png"
    secret.write_bytes(data)
    assets = assets_dir_for(post)
    assets.mkdir()
    (assets / "card.png").symlink_to(secret)
    stored = store_image(data, "card.png", post, ImageOptions())
    assert not stored.reused and stored.path == assets / "card-2.png"
    assert not stored.path.is_symlink()


# -- the window --------------------------------------------------------------------------------


@pytest.fixture
def open_post(qtbot, window: MainWindow, library_root: Path) -> Path:
    from tests.gui.helpers import open_and_wait

    path = library_root / "trip.md"
    path.write_text("---\ntitle: Trip\n---\n\nWe took the night train.\n", encoding="utf-8")
    open_and_wait(qtbot, window, path)
    return path


def test_the_window_stores_a_dropped_photo_without_its_xmp_location_or_serial(
    qtbot, window: MainWindow, open_post: Path, image_dialog: DialogScript, tmp_path: Path
) -> None:
    source = tmp_path / "IMG_1.jpg"
    source.write_bytes(encoded("JPEG", exif=camera_exif(), xmp=XMP % b""))
    image_dialog.fill = describe_image
    window.editor.files_dropped.emit([source], 0)
    wait_for_text(qtbot, window, "trip.assets/img-1.jpg)")
    stored = (assets_dir_for(open_post) / "img-1.jpg").read_bytes()
    assert b"GPSLatitude" not in stored and b"BODY-123456" not in stored
    assert b"Ada Owner" not in stored


def test_the_window_refuses_an_assets_link_out_of_the_folder(
    qtbot,
    window: MainWindow,
    open_post: Path,
    tmp_path: Path,
    prompter,
    image_dialog: DialogScript,  # never shown when refused; answered, not hanging, if it were
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    assets_dir_for(open_post).symlink_to(outside, target_is_directory=True)
    source = tmp_path / "card.png"
    source.write_bytes(encoded("PNG"))
    before = window.editor.toPlainText()
    window.editor.files_dropped.emit([source], 0)
    qtbot.waitUntil(lambda: len(prompter.messages) == 1, timeout=10000)
    assert "outside this post's folder" in prompter.messages[0]
    assert list(outside.iterdir()) == [] and window.editor.toPlainText() == before


def test_iptc_location_and_contact_in_a_jpeg_are_removed(post: Path) -> None:
    # An APP13 "Photoshop 3.0" segment with an IPTC record: City (2:90) and By-line (2:80).
    iptc = b"\x1c\x02\x5a\x00\x09Amsterdam" + b"\x1c\x02\x50\x00\x09Ada Owner"
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc
    segment = b"Photoshop 3.0\x00" + resource
    plain = encoded("JPEG")
    data = plain[:2] + b"\xff\xed" + (len(segment) + 2).to_bytes(2, "big") + segment + plain[2:]
    assert "photoshop" in Image.open(io.BytesIO(data)).info  # Pillow reads the segment
    stored = store(data, post)
    assert b"Amsterdam" not in stored and b"Ada Owner" not in stored


def test_a_jpeg_comment_and_png_text_chunks_are_removed(post: Path) -> None:
    jpeg = encoded("JPEG", comment=b"Jane Doe, 12 Home Street, phone 555")
    stored = store(jpeg, post, "comment.jpg")
    assert b"Jane Doe" not in stored
    assert "comment" not in Image.open(io.BytesIO(stored)).info
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe")
    info.add_text("Comment", "/home/jane/Pictures/secret.png")
    stored = store(encoded("PNG", pnginfo=info), post, "text.png")
    assert b"Jane Doe" not in stored and b"/home/jane" not in stored
    assert not Image.open(io.BytesIO(stored)).text
