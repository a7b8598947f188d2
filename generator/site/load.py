"""Briefing files on disk -> Briefings, broken files reported, duplicate slugs made unique."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from generator.briefing_md import parse_briefing
from generator.errors import InputError
from generator.model import Briefing
from generator.slug import unique_slug

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    """What loading a briefings folder gives: the good briefings and what went wrong."""

    briefings: tuple[Briefing, ...]
    """In file-name order, slugs unique."""
    files: tuple[str, ...]
    """The file each briefing came from, same order."""
    errors: tuple[InputError, ...]
    warnings: tuple[str, ...]
    duplicates: tuple[str, ...] = ()
    """One message per duplicate slug (also in warnings), for `briefing check`."""


def briefing_files(folder: Path) -> list[Path]:
    """Every *.md file under `folder`, sorted by relative path so builds are deterministic."""
    if not folder.is_dir():
        return []
    return sorted(folder.rglob("*.md"), key=lambda p: p.relative_to(folder).as_posix())


def load_briefings(folder: Path, root: Path | None = None) -> LoadResult:
    """Parse every briefing file; a broken file becomes an InputError and the rest still load.

    With `root`, a file that is a symlink to somewhere outside it is refused: a build must
    never publish what lies outside the site.
    """
    real_root = root.resolve() if root is not None else None
    briefings: list[Briefing] = []
    files: list[str] = []
    errors: list[InputError] = []
    warnings: list[str] = []
    duplicates: list[str] = []
    owner: dict[str, str] = {}
    for path in briefing_files(folder):
        name = str(path)
        if real_root and path.is_symlink() and not path.resolve().is_relative_to(real_root):
            errors.append(InputError("symlink points outside the site root; refused", name))
            continue
        try:
            text = path.read_text(encoding="utf-8")
            briefing, notes = parse_briefing(text, name)
        except InputError as exc:
            errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(InputError(f"cannot read briefing: {exc}", name))
            continue
        warnings.extend(f"{name}: {note}" for note in notes)
        if briefing.slug in owner:
            # Neither is lost: the later file (in name order) gets a suffix, both are named.
            new = unique_slug(briefing.slug, set(owner))
            message = (
                f"{name}: slug {briefing.slug!r} is already used by {owner[briefing.slug]}; "
                f"published as {new!r}"
            )
            warnings.append(message)
            duplicates.append(message)
            briefing = replace(briefing, slug=new)
        owner[briefing.slug] = name
        briefings.append(briefing)
        files.append(name)
    log.debug("loaded %d briefings, %d errors", len(briefings), len(errors))
    return LoadResult(
        tuple(briefings), tuple(files), tuple(errors), tuple(warnings), tuple(duplicates)
    )
