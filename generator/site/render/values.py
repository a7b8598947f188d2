"""A page's template values as its spec carries them: made now, made on demand, or made
from a page kind's frozen inputs (which is what the incremental layer hashes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Values = dict[str, Any]


@dataclass(frozen=True)
class Deferred:
    """A page's template values, built on demand; `key` hashes all they are built from."""

    key: bytes
    build: Callable[[], Values]


@dataclass(frozen=True)
class FromInputs:
    """A page's template values as its kind makes them from `inputs` (a frozen value).

    `kind` names the page kind; the page's fingerprint hashes it with `inputs`, so it
    covers everything the values are made from.
    """

    kind: str
    inputs: Any
    make: Callable[[Any], Values]


def resolve(values: Values | Deferred | FromInputs) -> Values:
    """Template values, made now when they were deferred or are made from inputs."""
    if isinstance(values, Deferred):
        return values.build()
    if isinstance(values, FromInputs):
        return values.make(values.inputs)
    return values
