"""Pagefind's filter and meta indexes in a fixed order: the same pages give the same bytes.

Pagefind (1.5) writes each filter's values, and the meta index's list of filters, in the
order of a Rust hash map, which is seeded at random in every run (its source says so:
"TODO: Change filter indexes to BTree to give them a stable hash"; its issue #638: the
fragments are stable since 1.3, the filter and meta indexes are not). So two runs over the
same pages write filter files of other bytes under other hashed names, a meta index naming
those, and an entry file naming that meta index: a clean build was not reproducible.

`stabilize` rewrites a freshly written bundle: each filter's values sorted, the filters and
sorts of the meta index sorted by name, and each rewritten file named by a hash of its new
content (as Pagefind names them: `<language>_<hex>`). A bundle laid out in a way this does
not know (another Pagefind version) is left as Pagefind wrote it, and the build says so.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from generator.site.output.cbor import CborError, decode, encode

ENTRY = "pagefind-entry.json"
SIGNATURE = b"pagefind_dcd"
"""What Pagefind puts before the CBOR of its index files (inside the gzip stream)."""
_FILTERS, _SORTS = 3, 4
"""Where the meta index (a CBOR list) keeps its filters and sorts, as [name, ...] lists."""


class UnknownLayout(ValueError):
    """The bundle is not laid out as the Pagefind versions this knows lay it out."""


def _read(path: Path) -> Any:
    """The value of an index file, checked to encode back to its very bytes."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownLayout(f"{path.name}: no Pagefind signature")
    value = decode(data[len(SIGNATURE) :])
    if encode(value) != data[len(SIGNATURE) :]:
        raise UnknownLayout(f"{path.name}: does not encode back to its bytes")
    return value


def _write(folder: Path, stem: str, suffix: str, value: Any, digits: int) -> str:
    """Write `value` as an index file named by a hash of its content; returns the name's hash
    part (`en_1a2b3c4`). Identical content gets the identical name and file."""
    data = SIGNATURE + encode(value)
    name = f"{stem}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def _named_lists(value: Any, what: str) -> list[list[Any]]:
    """A list of [name, ...] lists, or UnknownLayout."""
    if not isinstance(value, list) or not all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in value
    ):
        raise UnknownLayout(f"meta index: {what} are not [name, value] lists")
    return value


def _stable_filters(
    bundle: Path, language: str, filters: list[list[Any]], stale: list[Path]
) -> list[list[Any]]:
    """Each filter file written anew with its values sorted (the old one noted in `stale`);
    the new [name, hash] list, sorted."""
    folder = bundle / "filter"
    out: list[list[Any]] = []
    for name, old in sorted(filters, key=lambda f: str(f[0])):
        path = folder / f"{old}.pf_filter"
        index = _read(path)
        if not (isinstance(index, list) and len(index) == 2 and index[0] == name):
            raise UnknownLayout(f"{path.name}: not the filter {name!r}")
        values = _named_lists(index[1], f"values of {name!r}")
        new = _write(folder, language, ".pf_filter", [name, sorted(values)], 7)
        if new != old:
            stale.append(path)
        out.append([name, new])
    return out


def _stabilize(bundle: Path) -> None:
    """stabilize, raising UnknownLayout (or CborError, OSError) on a layout it does not know.
    The files it replaces are removed last: until then the old ones still name each other."""
    stale: list[Path] = []
    raw = (bundle / ENTRY).read_text("utf-8")
    entry = json.loads(raw)
    if json.dumps(entry, separators=(",", ":"), ensure_ascii=False) != raw:
        raise UnknownLayout(f"{ENTRY}: not written as this expects")
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        if not isinstance(meta, list) or len(meta) <= _SORTS:
            raise UnknownLayout(f"{meta_path.name}: not a meta index")
        filters = _named_lists(meta[_FILTERS], "filters")
        meta[_FILTERS] = _stable_filters(bundle, language, filters, stale)
        meta[_SORTS] = sorted(_named_lists(meta[_SORTS], "sorts"), key=lambda s: str(s[0]))
        new = _write(bundle, f"pagefind.{language}", ".pf_meta", meta, 10)
        new_hash = new.removeprefix("pagefind.")
        if new_hash != info["hash"]:
            stale.append(meta_path)
            info["hash"] = new_hash
    text = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
    (bundle / ENTRY).write_text(text, "utf-8")
    for path in stale:
        path.unlink()


def stabilize(bundle: Path) -> str | None:
    """Put a Pagefind bundle's filter and meta indexes in a fixed order (see the module);
    None when done, else why not (the bundle then stays as Pagefind wrote it: it works,
    but two builds may differ in those files)."""
    try:
        _stabilize(bundle)
    except (UnknownLayout, CborError, OSError, KeyError, TypeError, ValueError) as exc:
        return f"search index left in Pagefind's own order (not reproducible): {exc}"
    return None
