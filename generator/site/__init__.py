"""The site stage: load briefings, group them, render the theme, write the output folder."""

from __future__ import annotations

from generator.site.build import SiteReport, build_site
from generator.site.check import check_site

__all__ = ["SiteReport", "build_site", "check_site"]
