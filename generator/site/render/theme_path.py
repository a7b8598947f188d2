"""Where the shipped default theme lives (kept apart from render.py: the no-op check needs
it without importing the rendering stack)."""

from __future__ import annotations

from pathlib import Path

import generator


def default_theme_path() -> Path:
    """The shipped default theme: inside the installed package, else next to the source tree.

    A wheel carries it as generator/themes/default (forced into the package); a source
    checkout has it at the top of the repository.
    """
    package = Path(generator.__file__).resolve().parent
    packaged = package / "themes" / "default"
    return packaged if packaged.is_dir() else package.parent / "themes" / "default"
