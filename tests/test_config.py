"""briefing.toml: defaults, overrides, and clear errors for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.slug import is_slug, slugify, unique_slug


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg.articles_path == tmp_path.resolve() / "content" / "articles"
    assert cfg.output_path == tmp_path.resolve() / "site"
    assert cfg.theme == "default"


def test_settings_and_command_line_overrides(tmp_path: Path) -> None:
    (tmp_path / "briefing.toml").write_text(
        'title = "Dam watch"\nbase_url = "https://example.org/x/"\n'
        '[folders]\noutput = "public"\n[aliases]\n"The Fed" = "Federal Reserve"\n'
        '[topics]\nreplace = true\n[[topics.add]]\nid = "dams"\nlabel = "dams"\n',
        encoding="utf-8",
    )
    cfg = load_config(tmp_path, {"base_url": "https://other.example/", "output_dir": None})
    assert cfg.title == "Dam watch"
    assert cfg.base_url == "https://other.example/"
    assert cfg.output_path == tmp_path.resolve() / "public"
    assert cfg.aliases == {"The Fed": "Federal Reserve"}
    assert cfg.replace_topics and cfg.topics[0]["id"] == "dams"


@pytest.mark.parametrize(
    "text",
    [
        "title = [unclosed",
        "title = 3",
        '[folders]\noutput = "../outside"',
        "[aliases]\nx = 1",
        '[[topics.add]]\nlabel = "no id"',
    ],
)
def test_bad_settings_are_config_errors(tmp_path: Path, text: str) -> None:
    (tmp_path / "briefing.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "briefing.toml" in str(info.value)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("China urges US to avoid ‘red lines’ after reaching trade truce",
         "china-urges-us-to-avoid-red-lines-after-reaching-trade-truce"),
        ("Zürich’s Straße: café & crème", "zurichs-strasse-cafe-and-creme"),
        ("../../etc/passwd", "etc-passwd"),
        ("北京", "untitled"),
    ],
)  # fmt: skip
def test_slugs_are_ascii_and_safe(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert is_slug(slugify(title))


def test_unique_slug_adds_a_suffix() -> None:
    assert unique_slug("a", {"a", "a-2"}) == "a-3"
    assert unique_slug("b", {"a"}) == "b"
