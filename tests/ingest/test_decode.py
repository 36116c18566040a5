"""corridor.ingest.decode: encodings, labels that lie, and inputs that are not text."""

from __future__ import annotations

import codecs
import random

import pytest

from corridor import errors
from corridor.ingest.decode import sniff_label, to_text

CHINESE = "中巴经济走廊建设取得新进展，双方同意加快港口和公路项目。"
# Urdu as written in cp1256 (Arabic yeh; the Urdu full stop has no cp1256 byte).
URDU = "پاکستان اور چین نے آج اسلام آباد میں تعاون کے نئے معاہدے پر دستخط کیے".replace("ی", "ي")
FRENCH = "Le ministre a déclaré à la presse que l'accord était «très important»."


def test_ascii_and_utf8() -> None:
    assert to_text(b"Plain news text.") == ("Plain news text.", "ascii")
    assert to_text(FRENCH.encode("utf-8")) == (FRENCH, "utf-8")


def test_utf8_with_bom_is_stripped() -> None:
    text, encoding = to_text(codecs.BOM_UTF8 + "Café talks".encode())
    assert (text, encoding) == ("Café talks", "utf-8")


def test_utf16_with_bom() -> None:
    raw = codecs.BOM_UTF16_LE + "Ports and roads\r\n港口".encode("utf-16-le")
    assert to_text(raw) == ("Ports and roads\n港口", "utf-16-le")


def test_newlines_are_normalised() -> None:
    assert to_text(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"


def test_gb2312_chinese_without_label() -> None:
    assert to_text(CHINESE.encode("gb2312")) == (CHINESE, "gb18030")


def test_utf8_label_on_gbk_bytes_is_not_trusted() -> None:
    assert to_text(CHINESE.encode("gbk"), hint="utf-8")[0] == CHINESE


def test_latin1_label_on_gbk_bytes_is_not_trusted() -> None:
    assert to_text(CHINESE.encode("gbk"), hint="ISO-8859-1")[0] == CHINESE


def test_meta_charset_is_sniffed() -> None:
    html = b'<html><head><meta charset="gb2312"><title>t</title></head><body>'
    raw = html + CHINESE.encode("gb2312") + b"</body></html>"
    assert sniff_label(raw) == "gb2312"
    assert CHINESE in to_text(raw)[0]
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    assert sniff_label(http_equiv) == "windows-1256"


def test_latin1_label_on_utf8_bytes_gives_no_mojibake() -> None:
    text, encoding = to_text(FRENCH.encode("utf-8"), hint="text/html; charset=ISO-8859-1")
    assert (text, encoding) == (FRENCH, "utf-8")
    assert "Ã" not in text


def test_utf8_with_a_stray_byte_stays_utf8() -> None:
    raw = (FRENCH * 3).encode("utf-8") + b" \xff " + "Zürich, Genève.".encode()
    text, encoding = to_text(raw, hint="windows-1252")
    assert encoding == "utf-8"
    assert text == FRENCH * 3 + " \ufffd Zürich, Genève."


def test_latin1_label_reads_as_windows_1252() -> None:
    raw = b"\x93Quoted\x94 caf\xe9 \x96 r\xe9sum\xe9"
    assert to_text(raw, hint="latin-1") == ("“Quoted” café – résumé", "cp1252")


def test_cp1252_without_label() -> None:
    assert to_text(FRENCH.encode("cp1252")) == (FRENCH, "cp1252")


def test_urdu_utf8_wins_over_a_cp1256_label() -> None:
    urdu = "وزیر اعظم نے کہا کہ پاکستان اور چین کی دوستی مضبوط ہے۔"
    assert to_text(urdu.encode("utf-8"), hint="windows-1256") == (urdu, "utf-8")


def test_urdu_cp1256() -> None:
    raw = URDU.encode("cp1256")
    assert to_text(raw, hint="windows-1256") == (URDU, "cp1256")
    assert to_text(raw)[0] == URDU


@pytest.mark.parametrize(
    ("raw", "looks_like"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ],
)
def test_known_binary_formats(raw: bytes, looks_like: str) -> None:
    with pytest.raises(errors.BinaryInput, match=looks_like):
        to_text(raw)


def test_random_bytes_with_nuls_are_binary() -> None:
    rng = random.Random(42)
    raw = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00"
    with pytest.raises(errors.BinaryInput, match="NUL"):
        to_text(raw)


def test_many_control_characters_are_binary() -> None:
    with pytest.raises(errors.BinaryInput, match="control"):
        to_text(b"ab\x01\x02cd\x03\x04ef\x05\x06gh\x07\x08" * 10)


@pytest.mark.parametrize("raw", [b"", b"   \n\t \r\n"])
def test_empty(raw: bytes) -> None:
    with pytest.raises(errors.EmptyInput):
        to_text(raw)


def test_too_large() -> None:
    with pytest.raises(errors.TooLarge):
        to_text(b"x" * 101, max_bytes=100)
    assert to_text(b"x" * 100, max_bytes=100)[0] == "x" * 100


def test_undecodable_bytes() -> None:
    rng = random.Random(7)
    raw = bytes(rng.randrange(0x80, 0x100) for _ in range(500))
    with pytest.raises(errors.EncodingError):
        to_text(raw)
