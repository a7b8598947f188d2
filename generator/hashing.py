"""Short hashes of bytes and of values: what keys and fingerprints are made of."""

from __future__ import annotations

import hashlib
import io
import pickle
import struct
from typing import Any


def digest(*parts: bytes) -> bytes:
    """A short hash of byte strings; their count and lengths lead, so parts cannot run together.

    One update of joined bytes: page keys hash tens of thousands of small parts per build.
    """
    head = struct.pack(f"<{len(parts) + 1}Q", len(parts), *map(len, parts))
    return hashlib.blake2b(head + b"".join(parts), digest_size=16).digest()


def value_bytes(value: Any) -> bytes | None:
    """`value` serialized so that equal values give equal bytes; None when it cannot be.

    pickle is the fastest faithful serialization of the frozen view dataclasses, but by
    default it writes a back-reference for an object seen twice, so equal values built
    differently (a string parsed now, the same string from the cache) would differ:
    'fast' mode turns that memo off. Sets would still vary between runs; the views have
    none, and a value that does not pickle (a callable, say) is rendered every time.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: bytes depend on values only, never on object identity
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return buffer.getvalue()
