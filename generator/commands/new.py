"""`briefing new`: the files and folders of an empty site."""

from __future__ import annotations

from pathlib import Path

from generator.errors import ConfigError

CONFIG_TEMPLATE = """\
# Briefing site settings. Every key is optional.
title = "{title}"
description = "Briefings built from news articles."
language = "en"
# Absolute address the site will be published at (used in feeds and the sitemap).
base_url = ""
# Outlet name for articles that do not say where they come from.
# source = "Example Times"

# [folders]
# articles = "content/articles"
# briefings = "content/briefings"
# output = "site"

# Actor aliases across the whole site: surface form = canonical name.
[aliases]
# "The Fed" = "Federal Reserve"

# Topics added to the IPTC Media Topics vocabulary (replace = true to use only yours).
# [topics]
# replace = false
# [[topics.add]]
# id = "energy-transition"
# label = "energy transition"
# keywords = ["renewables", "solar", "wind farm"]
"""

THEME_README = """\
Templates placed here override the default theme's, file by file:
copy a template from the default theme (for example base.html) into
themes/default/templates/ here and edit it. Static files in
themes/default/static/ override the default theme's assets the same way.
"""


def scaffold_site(directory: Path) -> list[Path]:
    """Create a new site in `directory`; refuses to overwrite an existing site."""
    config = directory / "briefing.toml"
    if config.exists():
        raise ConfigError("a site already exists here (briefing.toml found)", directory)
    made = [
        directory / "content" / "articles",
        directory / "content" / "briefings",
        directory / "themes" / "default" / "templates",
        directory / "themes" / "default" / "static",
    ]
    for folder in made:
        folder.mkdir(parents=True, exist_ok=True)
    title = directory.resolve().name.replace("-", " ").replace("_", " ").title() or "Briefing"
    config.write_text(CONFIG_TEMPLATE.format(title=title.replace('"', "")), encoding="utf-8")
    (directory / "themes" / "README.txt").write_text(THEME_README, encoding="utf-8")
    (directory / ".gitignore").write_text("/site/\n.briefing-cache/\n", encoding="utf-8")
    return [config, *made]
