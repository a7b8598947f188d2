"""HTML character references decoded once, at ingest, before anything else reads the text."""

from __future__ import annotations

import html
import re

_DOUBLE = re.compile(r"&amp;(?=#?[0-9A-Za-z]{1,32};)", re.IGNORECASE)
"""'&amp;#163;': a reference escaped twice, as pages and feeds often carry it."""
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
"""A numeric reference (its semicolon optional, as browsers read it) or a named one."""
_CUT = re.compile(r"&#[xX]?[0-9a-fA-F]*(?=$|\s)")
"""'S&#' or 'Blair&#19' at a cut: half a reference, which no reader can decode."""
_MISREAD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])¿(?=[^\W\d_])")
"""'America¿s': an apostrophe a legacy encoder wrote as an inverted question mark, which
opens a Spanish sentence and never sits between two letters."""


def decode_references(text: str) -> str:
    """The text with character references decoded ('&#163;1.8m' -> '£1.8m'), halves cut."""
    if "&" not in text and "¿" not in text:
        return text
    text = _DOUBLE.sub("&", text)
    text = _REFERENCE.sub(_decode_one, text)
    text = _CUT.sub("", text)
    return _MISREAD_APOSTROPHE.sub("'", text)


def _decode_one(match: re.Match[str]) -> str:
    """One reference decoded; an invalid or control code point becomes nothing harmful."""
    raw = match.group(0)
    if raw.startswith("&#") and not raw.endswith(";"):
        raw += ";"
    out = html.unescape(raw)
    if out == raw:
        return match.group(0)
    if any(ord(c) < 32 and c not in "\n\t" for c in out) or "\ufffd" in out:
        return ""
    return out
