"""Raw input bytes -> text: bounded reading, encoding detection, NFC, plain newlines."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from generator.errors import InputError

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Largest input file read; bigger ones are refused before they are read."""

_BINARY_SAMPLE = 8192
"""How many characters the binary check looks at: enough to judge, bounded in time."""

_MAX_CONTROL_SHARE = 0.1

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

# latin-1 maps every byte; this turns the 0x80-0x9F range into cp1252's
# characters, leaving its five undefined bytes as their latin-1 code points.
_CP1252_FIXUP: dict[int, str] = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Unicode's control characters (category Cc) but the allowed \t \n \v \f \r: one regex
# scan instead of a unicodedata lookup per character.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def load_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a whole input file, refusing one over `limit` bytes before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(_too_big(size, limit), path)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from exc
    if len(data) > limit:  # grew while we looked
        raise InputError(_too_big(len(data), limit), path)
    return data


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode an input's bytes to NFC text with `\\n` newlines; return (text, warnings).

    `declared` is the character set the server named for a fetched page: it is used for
    bytes that are not UTF-8, before the Windows-1252 guess."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(_too_big(len(data), MAX_INPUT_BYTES), path)
    warnings: list[str] = []
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            text = _decode_utf16_without_bom(data)
            if text is None:
                raise InputError("looks like a binary file (it contains NUL bytes)", path)
            warnings.append("no byte order mark: decoded as UTF-16 from its NUL bytes")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = _decode_declared(data, declared)
                if text is None:
                    text = data.decode("latin-1").translate(_CP1252_FIXUP)
                    warnings.append(
                        f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                        "decoded as Windows-1252"
                    )
    return _finish(text, warnings, path)


def _finish(text: str, warnings: list[str], path: str) -> tuple[str, list[str]]:
    """Refuse binary or empty text; plain newlines, NFC."""
    if _looks_binary(text):
        raise InputError("looks like a binary file (mostly control characters)", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError("empty file", path)
    return text, warnings


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    """The bytes in the declared character set, or None when it is unknown or does not fit."""
    if not declared:
        return None
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    if codec in ("utf-8", "latin-1", "iso8859-1", "cp1252", "ascii"):
        return None  # not UTF-8 after all: the Windows-1252 guess reads these best
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):  # LookupError: not a text encoding (rot13)
        return None


def _decode_with_bom(data: bytes) -> str | None:
    """Decode by byte order mark, or None when there is none."""
    for bom, codec, _name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    return None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """Decode UTF-16 text saved without a BOM (ASCII-heavy: every other byte NUL)."""
    sample = data[: _BINARY_SAMPLE * 2]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.5 and even_nul < 0.05:
        return data.decode("utf-16-le", errors="replace")
    if even_nul > 0.5 and odd_nul < 0.05:
        return data.decode("utf-16-be", errors="replace")
    return None


def _looks_binary(text: str) -> bool:
    """True when the text holds NULs or mostly control characters."""
    sample = text[:_BINARY_SAMPLE]
    if "\x00" in sample:
        return True
    if not sample:
        return False
    controls = len(_CONTROL_RE.findall(sample))
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _too_big(size: int, limit: int) -> str:
    """The message for an input over the size limit."""
    return (
        f"file too large: {size / 1_048_576:.1f} MB (the limit is {limit / 1_048_576:.0f} MB); "
        "split it or trim it"
    )
