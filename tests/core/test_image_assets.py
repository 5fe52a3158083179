"""Inserted images: checked, cleaned, downscaled and stored once in `<post-stem>.assets/`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from editor.core.image_assets import (
    GPS_IFD,
    ORIENTATION,
    ImageOptions,
    ImageRejected,
    assets_dir_for,
    store_image,
    store_image_file,
)

MAKE = 0x010F  # EXIF "Make": camera data that is not location and should survive


def jpeg_bytes(
    size: tuple[int, int],
    *,
    orientation: int | None = None,
    gps: bool = False,
    color: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A real JPEG with a blue marker in its top-left corner and optional EXIF."""
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 5, size[1] // 5), fill=(0, 0, 255))
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        location = exif.get_ifd(GPS_IFD)
        location[1] = "N"
        location[2] = (52.0, 22.0, 1.5)
        location[3] = "E"
        location[4] = (4.0, 53.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def png_bytes(size: tuple[int, int], color: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    """A real PNG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    """Return the GPS IFD of image bytes (empty when there is none)."""
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))


@pytest.fixture
def post(tmp_path: Path) -> Path:
    """A saved post file in a blog folder."""
    path = tmp_path / "blog" / "2026-01-02-summer.md"
    path.parent.mkdir()
    path.write_text("# Summer\n", encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write `data` to a file called `name` somewhere outside the post's folder."""
    folder = tmp_path / "camera"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_assets_folder_is_named_after_the_post_file(post: Path) -> None:
    assert assets_dir_for(post) == post.parent / "2026-01-02-summer.assets"


def test_a_wide_rotated_photo_is_downscaled_upright_and_loses_its_location(
    tmp_path: Path, post: Path
) -> None:
    # Stored 3000 x 2400 with "rotate 90° clockwise": it shows 2400 wide and 3000 tall.
    source = write(tmp_path, "IMG_0001.JPG", jpeg_bytes((3000, 2400), orientation=6, gps=True))
    assert gps_of(source.read_bytes())  # the test photo really has a location

    stored = store_image_file(source, post, ImageOptions(max_width=2000))

    assert stored.path.parent == assets_dir_for(post)
    assert stored.relative_path == f"2026-01-02-summer.assets/{stored.path.name}"
    result = Image.open(stored.path)
    assert result.format == "JPEG"
    assert result.size == (stored.width, stored.height) == (2000, 2500)  # upright, then scaled
    exif = result.getexif()
    assert ORIENTATION not in exif  # the rotation is in the pixels now
    assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)
    assert exif.get(MAKE) == "TestCam"
    # The marker drawn in the stored top-left corner is now top-right, as a viewer shows it.
    red, green, blue = result.convert("RGB").getpixel((result.width - 10, 10))
    assert blue > 200 and red < 60
    assert result.convert("RGB").getpixel((10, 10))[0] > 150


def test_a_wide_photo_keeps_its_location_when_told_not_to_strip_it(
    tmp_path: Path, post: Path
) -> None:
    source = write(tmp_path, "wide.jpg", jpeg_bytes((3000, 1000), gps=True))
    stored = store_image_file(source, post, ImageOptions(max_width=2000, strip_gps=False))
    assert (stored.width, stored.height) == (2000, 667)
    assert gps_of(stored.path.read_bytes())[1] == "N"
    assert Image.open(stored.path).getexif().get(MAKE) == "TestCam"


def test_a_small_photo_loses_only_its_location(tmp_path: Path, post: Path) -> None:
    source = write(tmp_path, "small.jpg", jpeg_bytes((640, 480), orientation=6, gps=True))
    stored = store_image_file(source, post, ImageOptions())
    result = Image.open(stored.path)
    assert result.size == (640, 480)
    assert not gps_of(stored.path.read_bytes())
    assert result.getexif().get(ORIENTATION) == 6  # not applied, so still needed
    assert result.getexif().get(MAKE) == "TestCam"


def test_a_small_photo_is_stored_unchanged_when_location_may_stay(
    tmp_path: Path, post: Path
) -> None:
    data = jpeg_bytes((640, 480), gps=True)
    stored = store_image_file(
        write(tmp_path, "small.jpg", data), post, ImageOptions(strip_gps=False)
    )
    assert stored.path.read_bytes() == data


def test_a_png_narrower_than_the_maximum_is_stored_byte_for_byte(
    tmp_path: Path, post: Path
) -> None:
    data = png_bytes((1200, 300))
    stored = store_image_file(write(tmp_path, "diagram.png", data), post, ImageOptions())
    assert stored.path.read_bytes() == data
    assert (stored.width, stored.height, stored.reused) == (1200, 300, False)


def test_a_maximum_width_of_zero_never_downscales(tmp_path: Path, post: Path) -> None:
    data = png_bytes((2600, 10))
    stored = store_image_file(write(tmp_path, "wide.png", data), post, ImageOptions(max_width=0))
    assert stored.path.read_bytes() == data


def test_a_wide_animation_keeps_all_its_frames(tmp_path: Path, post: Path) -> None:
    frames = [Image.new("RGB", (2400, 60), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    stored = store_image_file(write(tmp_path, "spin.gif", out.getvalue()), post, ImageOptions())
    assert Image.open(stored.path).n_frames == 3
    assert stored.path.suffix == ".gif"


def test_a_phone_jpeg_with_extra_pictures_is_inserted_as_a_jpeg(tmp_path: Path, post: Path) -> None:
    # Pillow calls JPEGs that carry extra pictures (depth or HDR maps) "MPO".
    out = io.BytesIO()
    Image.new("RGB", (2400, 200), (20, 200, 20)).save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (100, 10))]
    )
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    stored = store_image_file(write(tmp_path, "PXL_1.jpg", out.getvalue()), post, ImageOptions())
    result = Image.open(stored.path)
    assert stored.path.suffix == ".jpg"
    assert result.format == "JPEG" and result.size == (2000, 167)


def test_file_names_become_safe_slugs_with_the_real_formats_extension(
    tmp_path: Path, post: Path
) -> None:
    photo = store_image_file(
        write(tmp_path, "My Summer Photo ü.JPG", jpeg_bytes((50, 40))), post, ImageOptions()
    )
    assert photo.path.name == "my-summer-photo-u.jpg"
    assert re.fullmatch(r"[a-z0-9-]+\.jpg", photo.path.name)
    # a PNG saved with a .jpg name is stored as what it is
    misnamed = store_image_file(
        write(tmp_path, "chart.jpg", png_bytes((30, 30))), post, ImageOptions()
    )
    assert misnamed.path.name == "chart.png"
    odd = store_image(png_bytes((31, 30)), "../../Über (final)!!.png", post, ImageOptions())
    assert odd.path.parent == assets_dir_for(post)
    assert odd.path.name == "uber-final.png"


def test_the_same_image_inserted_twice_is_stored_once(tmp_path: Path, post: Path) -> None:
    source = write(tmp_path, "IMG_1.jpg", jpeg_bytes((3000, 2400), orientation=6, gps=True))
    first = store_image_file(source, post, ImageOptions())
    again = store_image_file(
        write(tmp_path, "copy of it.jpg", source.read_bytes()), post, ImageOptions()
    )
    assert first.reused is False and again.reused is True
    assert again.path == first.path and again.relative_path == first.relative_path
    assert list(assets_dir_for(post).iterdir()) == [first.path]


def test_a_different_image_with_a_taken_name_gets_a_numbered_name(
    tmp_path: Path, post: Path
) -> None:
    first = store_image(png_bytes((20, 20), (1, 2, 3)), "photo.png", post, ImageOptions())
    second = store_image(png_bytes((20, 20), (9, 9, 9)), "photo.png", post, ImageOptions())
    third = store_image(png_bytes((20, 20), (7, 7, 7)), "photo.png", post, ImageOptions())
    assert [first.path.name, second.path.name, third.path.name] == [
        "photo.png",
        "photo-2.png",
        "photo-3.png",
    ]
    assert first.path.read_bytes() != second.path.read_bytes()


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 20000 x 20000 px PNG: 400 megapixels, but a small file."""
    path = tmp_path_factory.mktemp("huge") / "poster.png"
    Image.new("1", (20000, 20000)).save(path, "PNG")
    return path


def bad_inputs(tmp_path: Path, huge_png: Path) -> dict[str, tuple[Path, str]]:
    """Files that are not insertable images, with (part of) the message each must give."""
    good_jpeg = jpeg_bytes((400, 300))
    big = tmp_path / "bad" / "big.png"
    big.parent.mkdir()
    with big.open("wb") as handle:  # a sparse 41 MB file that starts like a PNG
        handle.write(png_bytes((10, 10)))
        handle.truncate(41 * 1024 * 1024)
    text = tmp_path / "bad" / "notes.png"
    text.write_text("These are my notes, not a picture.\n" * 20, encoding="utf-8")
    truncated = tmp_path / "bad" / "cut.jpg"
    truncated.write_bytes(good_jpeg[: len(good_jpeg) // 2])
    folder = tmp_path / "bad" / "Holiday pictures"
    folder.mkdir()
    return {
        "text": (text, "“notes.png” is not an image"),
        "truncated": (truncated, "“cut.jpg” is damaged or incomplete"),
        "huge pixels": (huge_png, "“poster.png” has too many pixels"),
        "huge file": (big, "“big.png” is 41 MB; images up to 40 MB"),
        "folder": (folder, "“Holiday pictures” is a folder"),
        "missing": (tmp_path / "bad" / "gone.jpg", "“gone.jpg” does not exist"),
    }


@pytest.mark.parametrize(
    "kind", ["text", "truncated", "huge pixels", "huge file", "folder", "missing"]
)
def test_what_is_not_an_insertable_image_is_refused_and_nothing_is_stored(
    tmp_path: Path, post: Path, huge_png: Path, kind: str
) -> None:
    source, message = bad_inputs(tmp_path, huge_png)[kind]
    with pytest.raises(ImageRejected) as refused:
        store_image_file(source, post, ImageOptions())
    assert message in str(refused.value)
    assert not assets_dir_for(post).exists()


@pytest.mark.parametrize(
    "kind", ["text", "truncated", "huge pixels", "huge file", "folder", "missing"]
)
def test_a_refused_image_leaves_an_existing_assets_folder_unchanged(
    tmp_path: Path, post: Path, huge_png: Path, kind: str
) -> None:
    kept = store_image(png_bytes((20, 20)), "kept.png", post, ImageOptions())
    before = {p.name: p.read_bytes() for p in assets_dir_for(post).iterdir()}
    source, _message = bad_inputs(tmp_path, huge_png)[kind]
    with pytest.raises(ImageRejected):
        store_image_file(source, post, ImageOptions())
    assert {p.name: p.read_bytes() for p in assets_dir_for(post).iterdir()} == before
    assert kept.path.exists()


def test_an_unreadable_file_is_refused_in_plain_words(
    tmp_path: Path, post: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root here, where chmod cannot make a file unreadable: make reading fail.
    source = write(tmp_path, "locked.png", png_bytes((10, 10)))

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ImageRejected, match="not allowed to read “locked.png”"):
        store_image_file(source, post, ImageOptions())
    assert not assets_dir_for(post).exists()


def test_pasted_data_that_is_too_large_is_refused(post: Path) -> None:
    with pytest.raises(ImageRejected, match="larger than 40 MB"):
        store_image(
            b"\x89PNG\r\n\x1a\n" + bytes(41 * 1024 * 1024), "pasted.png", post, ImageOptions()
        )
    assert not assets_dir_for(post).exists()


def test_an_image_format_that_browsers_may_not_show_is_refused(tmp_path: Path, post: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    with pytest.raises(ImageRejected, match="is a BMP image; insert JPEG, PNG, GIF or WebP"):
        store_image_file(write(tmp_path, "old.bmp", out.getvalue()), post, ImageOptions())
    assert not assets_dir_for(post).exists()
