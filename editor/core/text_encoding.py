"""Text encodings of post files: BOM sniffing, legacy 8-bit guesses, lossless decode and encode."""

from __future__ import annotations

import codecs
import logging
import unicodedata
from dataclasses import dataclass

log = logging.getLogger(__name__)

UTF8 = "utf-8"

# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {codec: bom for bom, codec in _BOMS}

# The encodings a writer may choose for a legacy file, with names they recognise.
LEGACY_ENCODINGS: dict[str, str] = {
    "cp1252": "Windows-1252 (Western)",
    "latin-1": "ISO-8859-1 (Latin-1, Western)",
    "iso8859-15": "ISO-8859-15 (Western, with €)",
    "mac-roman": "Mac Roman (Western)",
    "cp1250": "Windows-1250 (Central European)",
    "iso8859-2": "ISO-8859-2 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "koi8-r": "KOI8-R (Russian)",
    "koi8-u": "KOI8-U (Ukrainian)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "shift_jis": "Shift JIS (Japanese)",
    "cp932": "Windows-932 (Japanese Shift JIS)",
    "euc-jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Chinese, Simplified)",
    "big5": "Big5 (Chinese, Traditional)",
    "euc-kr": "EUC-KR (Korean)",
}
_UNICODE_LABELS = {
    UTF8: "UTF-8",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
}
# Western single-byte guesses that Windows-1252 reads the same way for everyday text.
_WESTERN_LOOKALIKES = {"cp1250", "cp1257", "latin_1", "iso8859_15", "mac_roman", "iso8859_2"}
_FALLBACK_ORDER = ("cp1252", "latin-1")


class UnencodableText(ValueError):
    """Text holding a character the chosen encoding has no byte for."""

    def __init__(self, codec: str, character: str, line: int) -> None:
        self.codec = codec
        self.character = character
        self.line = line
        name = unicodedata.name(character, f"U+{ord(character):04X}").lower()
        super().__init__(
            f"The character “{character}” ({name}) on line {line} cannot be saved in "
            f"{encoding_label(codec)}, this file's encoding."
        )


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes of a file say: a Unicode encoding with a BOM, or nothing."""

    codec: str
    bom_length: int


def canonical_codec(codec: str) -> str:
    """Return the spelling of `codec` this module uses (e.g. 'latin_1' -> 'latin-1')."""
    name = codecs.lookup(codec).name
    for known in (*_UNICODE_LABELS, *LEGACY_ENCODINGS):
        if codecs.lookup(known).name == name:
            return known
    return name


def encoding_label(codec: str) -> str:
    """Return a name for `codec` a writer recognises, e.g. 'Windows-1252 (Western)'."""
    codec = canonical_codec(codec)
    return _UNICODE_LABELS.get(codec) or LEGACY_ENCODINGS.get(codec) or codec.upper()


def short_label(codec: str) -> str:
    """Return a short name for the status bar, e.g. 'Windows-1252'."""
    return encoding_label(codec).split(" (")[0]


def sniff_bom(data: bytes) -> Sniffed | None:
    """Return the Unicode encoding announced by the file's byte order mark, if it has one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Sniffed(codec, len(bom))
    return None


def bom_bytes(codec: str) -> bytes:
    """Return the byte order mark written at the start of a file in `codec`."""
    return _BOM_OF.get(canonical_codec(codec), b"")


def decodes_losslessly(data: bytes, codec: str) -> bool:
    """Tell whether `data` reads in `codec` and writes back to exactly the same bytes."""
    try:
        return data.decode(codec).encode(codec) == data
    except (UnicodeError, LookupError):
        return False


def _has_control_characters(text: str) -> bool:
    """Tell whether text holds C0/C1 control characters other than tab and line breaks."""
    return any(
        unicodedata.category(char) == "Cc" and char not in "\t\n\r\f" for char in text[:20000]
    )


def guess_legacy_encoding(data: bytes) -> str:
    """Guess the 8-bit or East Asian encoding of bytes that are not UTF-8.

    charset-normalizer ranks the candidates from LEGACY_ENCODINGS; a guess must read the bytes
    back losslessly. For short Western text it cannot tell Windows-1252 from its look-alikes,
    so Windows-1252, by far the most common of them, wins whenever it reads the bytes too.
    """
    import charset_normalizer  # loaded with the first such file, not with the window

    candidates = list(LEGACY_ENCODINGS)
    try:
        matches = charset_normalizer.from_bytes(data[:65536], cp_isolation=candidates)
        ranked = [match.encoding for match in matches]
    except Exception as error:  # noqa: BLE001 (a guess is optional; fall back below)
        log.debug("charset-normalizer failed: %r", error)
        ranked = []
    for guess in ranked:
        if not decodes_losslessly(data, guess):
            continue
        if guess in _WESTERN_LOOKALIKES and _reads_cleanly(data, "cp1252"):
            return "cp1252"
        return canonical_codec(guess)
    for fallback in _FALLBACK_ORDER:
        if _reads_cleanly(data, fallback):
            return fallback
    return "latin-1"  # every byte is a Latin-1 character, so this always reads


def _reads_cleanly(data: bytes, codec: str) -> bool:
    """Tell whether `data` reads losslessly in `codec` without control characters."""
    if not decodes_losslessly(data, codec):
        return False
    return not _has_control_characters(data.decode(codec))


def encode_text(text: str, codec: str) -> bytes:
    """Encode `text` in `codec`; raises UnencodableText naming a character it cannot hold."""
    try:
        return text.encode(codec)
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        line = error.object.count("\n", 0, error.start) + 1
        raise UnencodableText(canonical_codec(codec), character, line) from error
