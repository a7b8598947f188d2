"""The build cache: used when valid, ignored when stale, corrupt, foreign or --clean."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path

import pytest

from generator.commands import ingest as ingesting
from generator.commands.ingest import IngestOptions, ingest
from generator.config import SiteConfig, load_config
from generator.site import build_site
from generator.site.incremental import cache, parallel
from generator.site.incremental import run as site_run
from generator.site.incremental.cache import Sharded, cache_file, read_shards, write_shards
from generator.site.model import load

FIXTURE = Path(__file__).parent / "fixtures" / "site"
OLD = 1_600_000_000  # a stat time long past, so cached stat data is trusted


@pytest.fixture(autouse=True)
def no_search_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind (a subprocess) is not what these tests are about."""
    monkeypatch.setattr(site_run, "build_search_index", lambda *a, **k: None)


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    """A copy of the fixture site whose briefing files look long unchanged."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("golden"))
    for path in (root / "content" / "briefings").iterdir():
        os.utime(path, (OLD, OLD))
    return load_config(root)


def tree(out: Path) -> dict[str, bytes]:
    """Every output file by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def poison_parse_cache(config: SiteConfig) -> None:
    """Give one cached parse a wrong title: only a build that trusts the cache shows it."""
    parses = read_shards(config.cache_path, "briefings")
    assert parses
    name = sorted(parses)[0]
    entry = parses[name]
    assert entry.briefing is not None
    wrong = dataclasses.replace(entry.briefing, title="Poisoned title")
    parses[name] = dataclasses.replace(entry, briefing=wrong)
    write_shards(config.cache_path, "briefings", Sharded(parses, {}))
    cache_file(config.cache_path, "quick").unlink()


def test_unchanged_files_come_from_the_cache_and_clean_ignores_it(config: SiteConfig) -> None:
    build_site(config)
    expected = tree(config.output_path)
    poison_parse_cache(config)
    build_site(config)
    assert any(b"Poisoned title" in data for data in tree(config.output_path).values())
    build_site(config, clean=True)
    assert tree(config.output_path) == expected


def test_a_new_generator_version_never_trusts_the_old_cache(
    config: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config)
    expected = tree(config.output_path)
    poison_parse_cache(config)
    monkeypatch.setattr(cache, "code_key", lambda: "another version")
    assert read_shards(config.cache_path, "briefings") == {}
    build_site(config)
    assert tree(config.output_path) == expected


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", b"\x80\x05\x95garbage", "truncate", "wrong-type"],
)
def test_a_corrupt_cache_file_is_rebuilt_never_a_crash(
    config: SiteConfig, damage: bytes | str
) -> None:
    build_site(config)
    expected = tree(config.output_path)
    for path in config.cache_path.glob("*.pickle"):
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        elif damage == "wrong-type":
            path.write_bytes(pickle.dumps((cache.code_key(), ["not", "what", "it", "holds"])))
        else:
            assert isinstance(damage, bytes)
            path.write_bytes(damage)
    report = build_site(config)
    assert report.errors == ()
    assert tree(config.output_path) == expected
    assert read_shards(config.cache_path, "briefings")  # written anew


def test_only_changed_briefing_files_are_parsed_again(
    config: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config)
    parsed: list[str] = []
    real = load.parse_file

    def counting(path: str, size: int, mtime_ns: int) -> load.Parsed:
        parsed.append(Path(path).name)
        return real(path, size, mtime_ns)

    monkeypatch.setattr(load, "parse_file", counting)
    monkeypatch.setattr(parallel, "parse_file", counting)
    edited = config.briefings_path / "levy-vote-delayed.md"
    edited.write_text(edited.read_text("utf-8").replace("Levy", "Toll", 1), "utf-8")
    build_site(config)
    assert parsed == ["levy-vote-delayed.md"]
    # Touched but not changed: hashed, not parsed.
    parsed.clear()
    other = config.briefings_path / "fishing-quota-dispute.md"
    os.utime(other, (OLD + 5, OLD + 5))
    build_site(config)
    assert parsed == []


def test_an_edit_rewrites_only_the_cache_shard_holding_its_parse(config: SiteConfig) -> None:
    build_site(config)
    shards = sorted(config.cache_path.glob("briefings.*.pickle"))
    assert len(shards) > 1  # the fixture's briefings fall into several shards
    before = {p.name: p.stat().st_ino for p in shards}
    edited = config.briefings_path / "levy-vote-delayed.md"
    edited.write_text(edited.read_text("utf-8").replace("Levy", "Toll", 1), "utf-8")
    build_site(config)
    after = {p.name: p.stat().st_ino for p in config.cache_path.glob("briefings.*.pickle")}
    assert after.keys() == before.keys()
    assert len([n for n in after if after[n] != before[n]]) == 1  # replaced: a new inode
    assert "Toll" in read_shards(config.cache_path, "briefings")[str(edited)].briefing.title


def test_ingest_does_not_read_unchanged_inputs_again(
    config: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = config.articles_path
    articles.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        (articles / f"a{i}.txt").write_text(
            f"Harbour story {i}\n\nThe harbour board met on Monday to discuss levy {i}.\n", "utf-8"
        )
        os.utime(articles / f"a{i}.txt", (OLD, OLD))
    first = ingest(config, [articles], IngestOptions(jobs=1))
    assert len(first.written) == 3 and not first.errors
    real = Path.read_bytes

    def no_inputs(self: Path) -> bytes:
        assert self.parent != articles, f"{self} was read again"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", no_inputs)
    again = ingest(config, [articles], IngestOptions(jobs=1))
    assert sorted(again.unchanged) == sorted(first.written) and not again.written


def _settle(*folders: Path) -> None:
    """Make every file in `folders` look long unchanged, so stat data alone is trusted."""
    for folder in folders:
        for path in folder.iterdir():
            os.utime(path, (OLD, OLD))


def test_a_run_with_nothing_new_is_repeated_until_a_file_moves(
    config: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that read and wrote nothing is repeated without per-file work while no input
    or briefing file moves; an edited article, a deleted briefing or a hand edit is still
    seen."""
    articles, briefings = config.articles_path, config.briefings_path
    articles.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        (articles / f"a{i}.txt").write_text(f"Harbour story {i}\n\nThe board met on {i}.\n")
    slugs = sorted(ingest(config, [articles], IngestOptions(jobs=1)).written)
    _settle(articles, briefings)
    assert sorted(ingest(config, [articles], IngestOptions(jobs=1)).unchanged) == slugs
    real_read_cache = ingesting._read_cache
    monkeypatch.setattr(ingesting, "_read_cache", lambda c: pytest.fail("per-file work done"))
    quiet = ingest(config, [articles], IngestOptions(jobs=1))
    assert sorted(quiet.unchanged) == slugs and not quiet.written
    assert quiet.scan is not None and len(quiet.scan.files) == len(list(briefings.iterdir()))
    monkeypatch.setattr(ingesting, "_read_cache", real_read_cache)

    (articles / "a1.txt").write_text("Harbour story 1\n\nThe board met on Friday instead.\n")
    os.utime(articles / "a1.txt", (OLD + 10, OLD + 10))
    edited = ingest(config, [articles], IngestOptions(jobs=1))
    assert len(edited.written) == 1 and edited.scan is None  # the folder it scanned changed
    _settle(briefings)
    ingest(config, [articles], IngestOptions(jobs=1))  # quiet again
    gone = briefings / f"{edited.written[0]}.md"
    gone.unlink()
    assert ingest(config, [articles], IngestOptions(jobs=1)).written == edited.written
    assert gone.exists()


def test_a_file_changed_as_the_last_run_looked_is_read_again(config: SiteConfig) -> None:
    """File times tick coarsely: an article rewritten in the instant after a run looked at
    it can keep its size and mtime, so a run that saw fresh files is never repeated."""
    articles = config.articles_path
    articles.mkdir(parents=True, exist_ok=True)
    story = articles / "a.txt"
    story.write_text("Harbour story\n\nThe board met on Monday.\n")
    first = ingest(config, [articles], IngestOptions(jobs=1))
    _settle(config.briefings_path)
    now = story.stat().st_mtime_ns
    assert ingest(config, [articles], IngestOptions(jobs=1)).unchanged == first.written
    story.write_text("Harbour story\n\nThe board met on Sunday.\n")  # same size
    os.utime(story, ns=(now, now))
    assert ingest(config, [articles], IngestOptions(jobs=1)).written == first.written


def test_single_file_caches_of_earlier_versions_are_removed(config: SiteConfig) -> None:
    """An upgrade leaves no dead megabytes: the unsharded parse and Markdown caches and
    the grouping cache of earlier versions are deleted by the next build."""
    config.cache_path.mkdir(parents=True)
    old = [cache_file(config.cache_path, n) for n in ("briefings", "markdown", "group")]
    for path in old:
        path.write_bytes(pickle.dumps(("an older generator", {})))
    build_site(config)
    assert [p for p in old if p.exists()] == []
    assert read_shards(config.cache_path, "briefings")  # the current caches are there


def test_ingest_never_reads_or_writes_through_a_briefing_symlink_leaving_the_root(
    config: SiteConfig, tmp_path: Path
) -> None:
    """A briefing file that is a symlink out of the site is not read, and its slug stays
    taken: a new article's briefing goes beside it, never through it."""
    outside = tmp_path / "outside.md"
    outside.write_text("not a briefing\n", "utf-8")
    (config.briefings_path / "harbour-story.md").symlink_to(outside)
    config.articles_path.mkdir(parents=True, exist_ok=True)
    (config.articles_path / "a.txt").write_text("Harbour story\n\nThe board met on Monday.\n")
    result = ingest(config, [config.articles_path], IngestOptions(jobs=1))
    assert result.written == ["harbour-story-2"]
    assert outside.read_text("utf-8") == "not a briefing\n"
