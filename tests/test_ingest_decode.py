"""Decoding raw input bytes: encodings, BOMs, fallbacks and refusals."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.ingest.decode import MAX_INPUT_BYTES, decode_bytes, load_bytes

TEXT = "Café talks in Zürich\r\nThe minister’s “red lines” — again.\r\n"
EXPECTED = "Café talks in Zürich\nThe minister’s “red lines” — again.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_unicode_encodings_decode_without_warning(data: bytes) -> None:
    text, warnings = decode_bytes(data, "a.txt")
    assert text == EXPECTED
    assert warnings == []


def test_utf16_without_bom_is_recognised_with_a_warning() -> None:
    text, warnings = decode_bytes(TEXT.encode("utf-16-le"), "a.txt")
    assert text == EXPECTED
    assert warnings and "UTF-16" in warnings[0]


def test_cp1252_fallback_warns_and_keeps_the_characters() -> None:
    data = "Price £15.8m – “quoted” café".encode("cp1252")
    text, warnings = decode_bytes(data, "a.txt")
    assert text == "Price £15.8m – “quoted” café"
    assert len(warnings) == 1
    assert "not valid UTF-8" in warnings[0] and "Windows-1252" in warnings[0]


def test_cp1252_undefined_bytes_do_not_raise() -> None:
    data = (
        b"Headline\n\n" + b"A body long enough to be read as text. " * 3 + b"\x81\x8d\x8f\x90\x9d"
    )
    text, warnings = decode_bytes(data, "a.txt")
    assert text.startswith("Headline")
    assert text.endswith("\x81\x8d\x8f\x90\x9d")  # latin-1 code points: nothing raised
    assert warnings


def test_text_is_nfc_normalised() -> None:
    text, _ = decode_bytes("Cafe\u0301 ok".encode(), "a.txt")
    assert text == "Caf\u00e9 ok"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(256)) * 4, b"\x01\x02\x03" * 100],
    ids=["png", "all-bytes", "controls"],
)
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "a.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n"])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty file") as info:
        decode_bytes(data, "empty.txt")
    assert info.value.path == "empty.txt"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES * 2)  # sparse: no time or disk spent
    with pytest.raises(InputError, match="too large") as info:
        load_bytes(big)
    assert "MB" in str(info.value) and "big.txt" in str(info.value)


def test_load_bytes_names_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read") as info:
        load_bytes(tmp_path / "missing.txt")
    assert "missing.txt" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_decode_never_raises_other_than_input_error(data: bytes) -> None:
    try:
        text, warnings = decode_bytes(data, "x.txt")
    except InputError:
        return
    assert "\r" not in text and text.strip()
    assert all(isinstance(w, str) for w in warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_utf8_text_round_trips_up_to_newlines_and_nfc(text: str) -> None:
    try:
        decoded, warnings = decode_bytes(text.encode("utf-8"), "x.txt")
    except InputError:
        return  # mostly control characters: refused as binary
    assert warnings == [] or text.startswith("\ufeff")
    assert decoded.strip()
