"""Bytes to text: decide the character encoding of an input, safely.

``to_text`` is the one entry point. The order of decisions is:

1. reject what cannot be text: too large, empty, binary (NUL bytes, many
   control characters, or a known file signature such as PDF, ZIP, PNG);
2. a byte-order mark wins (UTF-8, UTF-16, UTF-32);
3. pure ASCII is ASCII; bytes that decode strictly as UTF-8 are UTF-8, whatever
   any label says (a Latin-1 label on UTF-8 bytes must not make mojibake), and
   so is UTF-8 with at most one stray invalid byte per 20 valid sequences
   (those bytes become U+FFFD);
4. the caller's hint (HTTP charset) and the document's own label (``<meta
   charset>``, ``<meta http-equiv>``, ``<?xml encoding>`` in the first 2 KB)
   are tried next, but only kept when the decoded text is not a mess
   (charset-normalizer's mess ratio);
5. otherwise charset-normalizer's detection, preferring common web encodings
   when several candidates look equally clean.

Newlines are normalised to ``\\n``. No I/O happens here.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from ..errors import BinaryInput, EmptyInput, EncodingError, TooLarge

__all__ = ["sniff_label", "to_text"]

_SNIFF_BYTES = 2048
_CONTROL_SAMPLE = 8192
_MESS_SAMPLE = 32_768
_MAX_MESS = 0.2

# Known file signatures: (prefix, what it looks like).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document such as DOCX/ODT)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh91AY&SY", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office (OLE2) document"),
    (b"\x7fELF", "an ELF executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3\x03", "an MP3 audio file"),
    (b"ID3\x04", "an MP3 audio file"),
    (b"wOFF", "a WOFF font"),
    (b"wOF2", "a WOFF2 font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers (WHATWG Encoding) read as a wider encoding.
_LABEL_ALIASES: dict[str, str] = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "windows-874": "cp874",
}

# Lower is preferred when charset-normalizer finds several equally clean decodings.
_PREFERENCE: dict[str, int] = {
    "utf_8": 0,
    "cp1252": 1,
    "gb18030": 2,
    "cp1256": 3,
    "big5hkscs": 4,
    "big5": 4,
    "cp932": 5,
    "shift_jis": 5,
    "cp949": 6,
    "euc_kr": 6,
    "cp1251": 7,
    "cp1250": 8,
    "iso8859_15": 8,
    "cp1254": 9,
    "cp1253": 9,
    "cp1255": 9,
    "koi8_r": 10,
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-.]{1,40})["']""", re.IGNORECASE
)
_HINT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B})


def to_text(raw: bytes, *, hint: str | None = None, max_bytes: int = 20_000_000) -> tuple[str, str]:
    """Decode ``raw`` and return ``(text, encoding_name)``.

    ``hint`` is a charset label (``"ISO-8859-1"``) or a whole Content-Type
    (``"text/html; charset=gbk"``); it is verified, never trusted blindly.
    ``encoding_name`` is Python's codec name (``utf-8``, ``cp1252``, ``gb18030``,
    ``ascii``...). Raises TooLarge, EmptyInput, BinaryInput or EncodingError.
    """
    if len(raw) > max_bytes:
        raise TooLarge(f"input is {len(raw):,} bytes, more than the limit of {max_bytes:,}")
    if not raw.strip():
        raise EmptyInput("the input is empty" if not raw else "the input is only whitespace")
    decoded = _decode_with_bom(raw) or _decode_wide_hint(raw, hint)
    if decoded is None:
        _reject_binary(raw)
        decoded = _decode_plain(raw, hint)
    text, encoding = decoded
    if "\x00" in text:
        raise BinaryInput("the decoded text contains NUL characters: looks like binary data")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput("the input is only whitespace")
    return text, encoding


def _decode_plain(raw: bytes, hint: str | None) -> tuple[str, str]:
    """Decode bytes without a BOM: ASCII, strict UTF-8, verified labels, detection."""
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lossy = _mostly_utf8(raw)
    if lossy is not None:
        return lossy, "utf-8"
    for label in (_label_from_hint(hint), sniff_label(raw)):
        found = _try_label(raw, label)
        if found is not None:
            return found
    found = _detect(raw)
    if found is None:
        raise EncodingError("no character encoding gives readable text for this input")
    return found


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a common web defect), read with U+FFFD for them.

    Legacy encodings almost never form valid multi-byte UTF-8 sequences, so many
    valid sequences and very few invalid ones mean UTF-8.
    """
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    valid = sum(1 for char in text if ord(char) > 0x7F) - bad
    return text if valid >= 8 and bad * 20 <= valid else None


def _decode_with_bom(raw: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _decode_wide_hint(raw: bytes, hint: str | None) -> tuple[str, str] | None:
    """UTF-16/32 without a BOM, only when the caller says so (they contain NUL bytes)."""
    name = _codec_name(_label_from_hint(hint))
    if name is None or not name.startswith(("utf-16", "utf-32")):
        return None
    if name in ("utf-16", "utf-32"):
        name += "-le"
    if b"\x00" not in raw and _is_utf8(raw):
        # UTF-16/32 of Latin text has NUL bytes, of CJK text bytes that are not UTF-8:
        # NUL-free valid UTF-8 under a wide label is UTF-8 mislabelled ("ab" is not "扡")
        return None
    try:
        text = raw.decode(name)
    except UnicodeDecodeError:
        return None
    return (text, name) if _is_clean(text) and "\x00" not in text else None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _reject_binary(raw: bytes) -> None:
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise BinaryInput(f"the input looks like {what}, not text")
    if b"\x00" in raw:
        raise BinaryInput("the input contains NUL bytes: looks like binary data")
    sample = raw[:_CONTROL_SAMPLE]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if controls >= 3 and controls / len(sample) > 0.05:
        raise BinaryInput(
            f"{controls} of the first {len(sample)} bytes are control characters: "
            "looks like binary data"
        )


def sniff_label(raw: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 2 KB, if any."""
    head = raw[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            label = match.group(1).decode("ascii", "ignore").strip().lower()
            # A document readable as ASCII cannot really be UTF-16/32 (HTML spec).
            return None if label.startswith(("utf-16", "utf-32")) else label
    return None


def _label_from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    match = _HINT_CHARSET.search(hint)
    label = match.group(1) if match else hint
    return label.strip().strip("\"'").lower() or None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # refuses codecs that are not text encodings (uu, zlib...)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    return name


def _try_label(raw: bytes, label: str | None) -> tuple[str, str] | None:
    """Decode with a declared label; keep the result only when it reads cleanly."""
    name = _codec_name(label)
    if name is None or name.startswith(("utf-16", "utf-32")):
        return None
    candidates = [name, "latin-1"] if name == "cp1252" else [name]
    for candidate in candidates:
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _is_clean(text):
            return text, candidate
    return None


def _is_clean(text: str) -> bool:
    sample = text[:_MESS_SAMPLE]
    return mess_ratio(sample, _MAX_MESS) < _MAX_MESS


def _detect(raw: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best clean guess, ties broken towards common web encodings."""
    matches = [
        match
        for match in from_bytes(raw)
        if not match.encoding.startswith(("utf_16", "utf_32")) and match.chaos < _MAX_MESS
    ]
    if not matches:
        return None
    best = min(
        matches,
        key=lambda m: (
            round(m.chaos, 2),
            -round(m.coherence, 2),
            _PREFERENCE.get(m.encoding, 50),
        ),
    )
    name = codecs.lookup(best.encoding).name
    try:
        return raw.decode(name), name
    except UnicodeDecodeError:
        return str(best), name
