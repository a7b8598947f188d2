"""The site stage: load briefings, group them, render the theme, write the output folder.

Exports load lazily: a build with nothing to do (site/incremental/quick.py) must not pay for
importing the rendering stack (Jinja2, Markdown, YAML) just to find that out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.site.incremental.build import build_site
    from generator.site.incremental.quick import SiteReport
    from generator.site.output.check import check_site

__all__ = ["SiteReport", "build_site", "check_site"]
_HOMES = {
    "SiteReport": "generator.site.incremental.quick",
    "build_site": "generator.site.incremental.build",
    "check_site": "generator.site.output.check",
}


def __getattr__(name: str) -> Any:
    """Import an export on first use."""
    import importlib

    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
