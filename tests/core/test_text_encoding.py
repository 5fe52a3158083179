"""Posts in other encodings open, keep their encoding, and are never mangled on save."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.post import CannotEncode, NotUtf8, PostFileError, load_post, save_post
from editor.core.text_encoding import encoding_label, guess_legacy_encoding, short_label

POST = "---\ntitle: {title}\n---\n\n{body}\n"

# (codec to write the file in, codec the writer opens it with, text)
LEGACY_FILES = {
    "cp1252": ("cp1252", "cp1252", POST.format(title="Café", body="Naïve “quotes” — 5 €.")),
    "latin-1": ("latin-1", "latin-1", POST.format(title="Über", body="Das Mädchen aß ¼ Brot.")),
    "koi8-r": ("koi8-r", "koi8-r", POST.format(title="Привет", body="Как дела? Это тест.")),
    "shift_jis": ("shift_jis", "shift_jis", POST.format(title="日記", body="こんにちは、世界。")),
    "cp1251 read as cp1251": ("cp1251", "cp1251", POST.format(title="Тест", body="Ёжик.")),
}
BOM_FILES = {
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-8": b"\xef\xbb\xbf",
}


@pytest.mark.parametrize("kind", list(LEGACY_FILES))
def test_a_legacy_file_saved_without_edits_is_byte_identical(tmp_path: Path, kind: str) -> None:
    written_in, opened_as, text = LEGACY_FILES[kind]
    path = tmp_path / "post.md"
    original = text.replace("\n", "\r\n").encode(written_in)
    path.write_bytes(original)

    with pytest.raises(NotUtf8):
        load_post(path)
    post = load_post(path, encoding=opened_as)
    assert post.text == text
    save_post(post)

    assert path.read_bytes() == original


@pytest.mark.parametrize("kind", list(LEGACY_FILES))
def test_an_edited_legacy_file_is_saved_in_its_own_encoding(tmp_path: Path, kind: str) -> None:
    written_in, opened_as, text = LEGACY_FILES[kind]
    path = tmp_path / "post.md"
    path.write_bytes(text.encode(written_in))
    post = load_post(path, encoding=opened_as)
    edited = text + "\nOne more line.\n"

    save_post(post.with_text(edited))

    assert path.read_bytes() == edited.encode(written_in)
    assert load_post(path, encoding=opened_as).text == edited


@pytest.mark.parametrize("codec", list(BOM_FILES))
def test_unicode_files_with_a_bom_open_by_themselves_and_round_trip(
    tmp_path: Path, codec: str
) -> None:
    text = POST.format(title="Ünïcödé", body="Emoji 🎉 and Greek αβγ.")
    path = tmp_path / "post.md"
    original = BOM_FILES[codec] + text.replace("\n", "\r\n").encode(codec)
    path.write_bytes(original)

    post = load_post(path)
    assert post.text == text
    assert post.encoding == codec and post.bom
    assert "BOM" in post.encoding_name()
    save_post(post)
    assert path.read_bytes() == original

    save_post(load_post(path).with_text(text + "Added.\n"))
    added = BOM_FILES[codec] + (text + "Added.\n").replace("\n", "\r\n").encode(codec)
    assert path.read_bytes() == added


def test_utf16_without_a_bom_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes("# Title\n".encode("utf-16-le"))
    with pytest.raises(PostFileError, match="binary"):
        load_post(path)


def test_a_non_utf8_file_is_refused_until_an_encoding_is_chosen_with_a_guess(
    tmp_path: Path,
) -> None:
    path = tmp_path / "post.md"
    data = "Café crème — naïve “quotes”\n".encode("cp1252")
    path.write_bytes(data)
    with pytest.raises(NotUtf8) as refused:
        load_post(path)
    assert refused.value.guess == "cp1252"
    assert "not UTF-8" in str(refused.value) and "Windows-1252" in str(refused.value)
    assert refused.value.sample == data
    assert path.read_bytes() == data


def test_a_character_the_encoding_cannot_hold_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "post.md"
    original = "Café\n".encode("cp1252")
    path.write_bytes(original)
    post = load_post(path, encoding="cp1252")

    with pytest.raises(CannotEncode) as refused:
        save_post(post.with_text("Café\nA snowman ☃ here.\n"))

    assert "☃" in str(refused.value) and "line 2" in str(refused.value)
    assert "Windows-1252" in str(refused.value)
    assert refused.value.codec == "cp1252"
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_converting_to_utf8_writes_utf8_from_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes("Café ☕?\r\n".replace("☕", "").encode("cp1252"))
    post = load_post(path, encoding="cp1252").converted_to_utf8()

    save_post(post)
    assert path.read_bytes() == "Café ?\r\n".encode()
    saved = save_post(load_post(path).with_text("Café ☃\n"))
    assert saved.encoding == "utf-8"
    assert path.read_bytes() == "Café ☃\r\n".encode()


def test_a_file_mixing_line_endings_saved_unedited_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    original = b"---\r\ntitle: Mixed\r\n---\n\nLine one\r\nLine two\nLine three\r\n"
    path.write_bytes(original)
    post = load_post(path)
    assert post.mixed_newlines and post.newline == "\r\n"

    saved = save_post(post)
    assert path.read_bytes() == original
    save_post(saved)  # a second unedited save is still the same bytes
    assert path.read_bytes() == original

    edited = save_post(saved.with_text(saved.text + "Added\n"))  # edited: the majority's ending
    assert not edited.mixed_newlines
    assert path.read_bytes() == original.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + (
        b"Added\r\n"
    )


def test_labels_are_in_words_a_writer_knows() -> None:
    assert encoding_label("cp1252") == "Windows-1252 (Western)"
    assert encoding_label("latin_1") == "ISO-8859-1 (Latin-1, Western)"
    assert short_label("utf-16-le") == "UTF-16 LE"
    assert short_label("koi8_r") == "KOI8-R"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("Café crème — naïve “quotes”\n", "cp1252", "cp1252"),
        ("Das Mädchen aß Brötchen.\n", "latin-1", "cp1252"),
        ("Привет, как дела? Это тест.\n", "koi8-r", "koi8-r"),
        ("Привет, как дела? Это тест.\n", "cp1251", "cp1251"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy.\n", "cp1250", "cp1250"),
    ],
)
def test_the_guess_for_common_legacy_files(text: str, codec: str, expected: str) -> None:
    assert guess_legacy_encoding(text.encode(codec)) == expected


def test_the_guess_always_reads_the_bytes_back_exactly() -> None:
    data = bytes(range(0x80, 0x100)) * 3
    guess = guess_legacy_encoding(data)
    assert data.decode(guess).encode(guess) == data


def test_an_encoding_that_would_not_write_the_bytes_back_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    data = b"\x87\x90 is an NEC duplicate: Windows-932 writes it back as \x81\xe0.\n"
    path.write_bytes(data)
    with pytest.raises(PostFileError, match="not be saved back exactly"):
        load_post(path, encoding="cp932")
    assert load_post(path, encoding="latin-1").text  # another choice still opens it
    assert path.read_bytes() == data
