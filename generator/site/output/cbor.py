"""The CBOR subset Pagefind's index files use: unsigned integers, text, byte strings, lists.

Definite lengths and the shortest head for every number, as minicbor (Pagefind's encoder)
writes them, so a decoded file encodes back to its very bytes (search_order checks this
before it rewrites anything).
"""

from __future__ import annotations

from typing import Any

_UINT, _BYTES, _TEXT, _LIST = 0, 2, 3, 4


class CborError(ValueError):
    """Bytes outside the subset, or cut short."""


def _head(major: int, n: int) -> bytes:
    """A data item's head: its major type and length (or value) in the fewest bytes."""
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise CborError(f"number too large: {n}")


def encode(value: Any) -> bytes:
    """CBOR of `value` (int >= 0, str, bytes, list)."""
    out = bytearray()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bool) or item is None:
            raise CborError(f"not in the subset: {item!r}")
        if isinstance(item, int):
            if item < 0:
                raise CborError(f"negative number: {item}")
            out += _head(_UINT, item)
        elif isinstance(item, str):
            data = item.encode("utf-8")
            out += _head(_TEXT, len(data)) + data
        elif isinstance(item, bytes):
            out += _head(_BYTES, len(item)) + item
        elif isinstance(item, list):
            out += _head(_LIST, len(item))
            stack.extend(reversed(item))
        else:
            raise CborError(f"not in the subset: {type(item).__name__}")
    return bytes(out)


def decode(data: bytes) -> Any:
    """The value of one CBOR data item filling `data`."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise CborError(f"{len(data) - end} bytes after the value")
    return value


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    """The item starting at `at` and where it ends (lists read without recursion)."""
    root: list[Any] = []
    open_lists: list[tuple[list[Any], int]] = [(root, 1)]
    while True:
        target, wanted = open_lists[-1]
        if len(target) == wanted:
            open_lists.pop()
            if not open_lists:
                return root[0], at
            continue
        if at >= len(data):
            raise CborError("cut short")
        major, extra = data[at] >> 5, data[at] & 31
        at += 1
        if extra < 24:
            n = extra
        elif 24 <= extra <= 27:
            size = 1 << (extra - 24)
            if at + size > len(data):
                raise CborError("cut short")
            n = int.from_bytes(data[at : at + size], "big")
            at += size
        else:
            raise CborError(f"indefinite or reserved length at byte {at - 1}")
        if major == _UINT:
            target.append(n)
        elif major in (_BYTES, _TEXT):
            if at + n > len(data):
                raise CborError("cut short")
            chunk = data[at : at + n]
            target.append(chunk.decode("utf-8") if major == _TEXT else bytes(chunk))
            at += n
        elif major == _LIST:
            item: list[Any] = []
            target.append(item)
            open_lists.append((item, n))
        else:
            raise CborError(f"major type {major} at byte {at - 1} is not in the subset")
