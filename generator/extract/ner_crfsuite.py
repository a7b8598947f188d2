"""The attribute names a crfsuite model knows, read from the model file's attribute dictionary.

A tagger ignores attributes its model does not know, but passing them to it is most of what
tagging costs; knowing the model's attributes lets the features skip them. Reading the file
directly takes a few milliseconds, where pycrfsuite's `Tagger.info()` dumps the whole model.
"""

from __future__ import annotations

import logging
import struct
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

# crfsuite's CRF1d model header: magic, size, type, version, counts and chunk offsets.
_HEADER = struct.Struct("<4sI4sIIIIIIIII")
# A CQDB chunk header: id, size, flag, byte order, backward array length and offset.
_CQDB = struct.Struct("<4sIIIII")
_RECORD = struct.Struct("<iI")


def _read_attributes(data: bytes) -> frozenset[str]:
    """Every key of the model's attribute CQDB (its backward array lists them all)."""
    magic, _size, kind, *_counts, off_attrs, _lrefs, _arefs = _HEADER.unpack_from(data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError("not a crfsuite CRF1d model")
    chunk, _csize, _flag, _order, count, bwd = _CQDB.unpack_from(data, off_attrs)
    if chunk != b"CQDB":
        raise ValueError("no attribute dictionary where the header says")
    offsets = struct.unpack_from(f"<{count}I", data, off_attrs + bwd)
    names: set[str] = set()
    for rel in offsets:
        if rel:
            at = off_attrs + rel
            _id, size = _RECORD.unpack_from(data, at)
            # The key is stored with its terminating NUL.
            names.add(data[at + 8 : at + 7 + size].decode("utf-8"))
    return frozenset(names)


@cache
def model_attributes(path: Path) -> frozenset[str] | None:
    """The attributes the model at `path` knows, or None when they cannot be read (then
    every attribute must be passed: the tagger still gives the same tags, only slower)."""
    try:
        return _read_attributes(path.read_bytes())
    except (OSError, ValueError, struct.error, UnicodeDecodeError) as err:
        log.warning("cannot read the attributes of %s (%s): tagging passes them all", path, err)
        return None
