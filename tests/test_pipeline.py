"""End to end: the seed article, the example site and the BBC corpus through the real CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from generator.briefing_md import parse_briefing
from generator.cli import cli
from generator.model import Briefing
from tests.conftest import REPO, shared_file


def run(*args: str) -> tuple[int, str]:
    """Run the CLI in-process; (exit code, stdout + stderr)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def load(path: Path) -> Briefing:
    return parse_briefing(path.read_text(encoding="utf-8"), str(path))[0]


# ------------------------------------------------------------------ seed


@pytest.fixture(scope="module")
def seed_briefing(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    seed = shared_file("seeds", "000_0d201b724c6686a4.txt")
    out = tmp_path_factory.mktemp("seed") / "briefings"
    code, output = run("--root", str(out.parent), "ingest", str(seed), "--out", str(out))
    assert code == 0, output
    (path,) = out.glob("*.md")
    return load(path)


def test_seed_body_is_clean(seed_briefing: Briefing) -> None:
    body = seed_briefing.body
    for debris in ("Sign up", "newsletter", "Follow topic", "PHOTO:", "See more on", "BLOOMBERG"):
        assert debris not in body
    lead = "China called on the US to avoid four sensitive issues"
    assert body.count(lead) == 1
    assert (
        "the one-year truce reached on Oct 30 in South Korea can come undone." in body
    )  # split link texts rejoined into their sentence
    assert body.rstrip().endswith("that would be resolved.")
    assert {"Reuters", "Bloomberg"} <= set(seed_briefing.credits)


def test_seed_people_once_each_with_honorifics_and_roles(seed_briefing: Briefing) -> None:
    people = {a.name: a for a in seed_briefing.actors if a.kind == "person"}
    expected = ["Xi Jinping", "Donald Trump", "Xie Feng", "Pete Hegseth", "Dong Jun",
                "Scott Bessent", "David Daokui Li"]  # fmt: skip
    for name in expected:
        assert name in people, sorted(people)
    names = [a.name for a in seed_briefing.actors] + [
        alias for a in seed_briefing.actors for alias in a.aliases
    ]
    assert len(names) == len(set(names)), "an actor or alias listed twice"
    assert "Mr Xie" in people["Xie Feng"].aliases
    assert "Prof Li" in people["David Daokui Li"].aliases
    assert "Mr Trump" in people["Donald Trump"].aliases
    assert people["Scott Bessent"].role and "Treasury Secretary" in people["Scott Bessent"].role
    assert people["Pete Hegseth"].role and "Defence Secretary" in people["Pete Hegseth"].role
    assert people["Dong Jun"].role and "Defence Minister" in people["Dong Jun"].role
    assert people["Xie Feng"].role and "Ambassador" in people["Xie Feng"].role


def test_seed_organizations_countries_and_no_debris_actors(seed_briefing: Briefing) -> None:
    orgs = {a.name.removeprefix("the ") for a in seed_briefing.actors if a.kind == "organization"}
    for name in (
        "US-China Business Council",
        "Wall Street Journal",
        "Nvidia",
        "Tsinghua University",
    ):
        assert name in orgs, sorted(orgs)
    countries = {a.name for a in seed_briefing.actors if a.kind == "country"}
    assert "China" in countries
    assert countries & {"United States", "US"}
    words = {w for a in seed_briefing.actors for w in a.name.split()}
    assert not words & {"Follow", "Sign", "PHOTO", "See", "REUTERS", "BLOOMBERG", "Photo"}


def test_seed_quotes_and_events(seed_briefing: Briefing) -> None:
    speakers = {q.text[:30]: q.speaker for q in seed_briefing.quotes}
    assert speakers["The most important thing is to"] == "Xie Feng"
    assert speakers["all will lead to nothing but a"] == "Xie Feng"
    assert not any(q.text == "equal partner" for q in seed_briefing.quotes)  # a phrase: no quote
    assert all(q.speaker is not None for q in seed_briefing.quotes)
    days = {(e.date.month, e.date.day) for e in seed_briefing.events}
    assert {(10, 30), (10, 31), (11, 3), (11, 4)} <= days


# ------------------------------------------------------------------ example site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def broken_links(out: Path) -> list[str]:
    """Internal links of every page that resolve to no file."""
    broken = []
    for page in out.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")) or not parts.path:
                continue
            if page.name == "404.html":
                continue  # served at any depth: its links are absolute by design
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(out)} -> {link}")
    return broken


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content" / "articles", root / "content" / "articles")
    shutil.copy(REPO / "briefing.toml", root / "briefing.toml")
    code, output = run("--root", str(root), "build")
    assert code == 0, output
    return root


def test_example_site_builds_every_contract_page(example_site: Path) -> None:
    out = example_site / "site"
    for rel in ("index.html", "topics/index.html", "actors/index.html", "timeline/index.html",
                "search/index.html", "feed.xml", "feed.json", "sitemap.xml", "robots.txt",
                "404.html"):  # fmt: skip
        assert (out / rel).is_file(), rel
    briefings = list((example_site / "content" / "briefings").glob("*.md"))
    assert len(briefings) == len(list((example_site / "content" / "articles").glob("*.txt")))
    for path in briefings:
        assert (out / "briefings" / path.stem / "index.html").is_file()


def test_example_site_cross_links_shared_actors(example_site: Path) -> None:
    briefings = [load(p) for p in (example_site / "content" / "briefings").glob("*.md")]
    counts: dict[str, int] = {}
    for b in briefings:
        for a in b.actors:
            counts[a.name] = counts.get(a.name, 0) + 1
    recurring = [name for name, n in counts.items() if n >= 3]
    assert len(recurring) >= 3, counts
    assert sum(len(b.quotes) for b in briefings) >= 20
    assert all(not b.date_inferred or b.date.year == 2025 for b in briefings)
    profiles = example_site / "site" / "actors"
    pages = [p for p in profiles.glob("*/index.html") if "Ilena Dravos" in p.read_text("utf-8")]
    assert pages


def test_example_site_has_no_broken_links_and_passes_check(example_site: Path) -> None:
    assert broken_links(example_site / "site") == []
    code, output = run("--root", str(example_site), "check")
    assert code == 0, output


def test_rebuild_with_nothing_changed_writes_nothing(example_site: Path) -> None:
    code, output = run("--root", str(example_site), "build")
    assert code == 0, output
    assert re.search(r": 0 written", output), output


# ------------------------------------------------------------------ command line


def test_new_scaffolds_a_site_that_builds(tmp_path: Path) -> None:
    site = tmp_path / "mysite"
    code, output = run("new", str(site))
    assert code == 0, output
    assert (site / "briefing.toml").is_file()
    assert (site / "content" / "articles").is_dir()
    (site / "content" / "articles" / "a.txt").write_text(
        "Council approves budget\n\nThe city council approved the budget on Tuesday, "
        "Mayor Lena Ortiz said.\n\n“It is a fair plan,” Ms Ortiz said.\n",
        encoding="utf-8",
    )
    code, output = run("--root", str(site), "build")
    assert code == 0, output
    assert (site / "site" / "briefings" / "council-approves-budget" / "index.html").is_file()
    code, output = run("new", str(site))
    assert code == 2 and "already exists" in output


def test_bad_config_is_exit_code_2(tmp_path: Path) -> None:
    (tmp_path / "briefing.toml").write_text("title = [", encoding="utf-8")
    code, output = run("--root", str(tmp_path), "build")
    assert code == 2
    assert "briefing.toml" in output and "Traceback" not in output


def test_bad_input_is_exit_code_1_and_the_rest_is_built(tmp_path: Path) -> None:
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "good.txt").write_text("Good title\n\nA body that says something.\n")
    (articles / "empty.txt").write_text("   \n")
    code, output = run("--root", str(tmp_path), "build")
    assert code == 1
    assert "empty.txt" in output
    assert (tmp_path / "site" / "briefings" / "good-title" / "index.html").is_file()


def test_usage_error_is_exit_code_2() -> None:
    code, _ = run("ingest", "--date", "not-a-date")
    assert code == 2


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "generator", "--version"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0
    assert "briefing" in proc.stdout


# ------------------------------------------------------------------ the BBC corpus


@pytest.mark.slow
def test_whole_bbc_corpus_ingests_and_builds(tmp_path: Path) -> None:
    corpus = shared_file("corpus", "bbc")
    shutil.copytree(
        corpus, tmp_path / "content" / "articles", ignore=shutil.ignore_patterns("*.md")
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(tmp_path), "build"],
        capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error:" not in result.stderr
    n = len(list(corpus.glob("*.txt")))
    assert len(list((tmp_path / "content" / "briefings").glob("*.md"))) == n
    assert len(list((tmp_path / "site" / "briefings").glob("*/index.html"))) == n
    # The one file that is not UTF-8 is read with a warning naming it, not refused.
    assert "cp1252" in result.stderr or "Windows-1252" in result.stderr


def test_debug_output_is_ours_not_the_libraries(example_site: Path) -> None:
    """-vv shows each build stage's timing, not markdown-it's log of every rule it tries."""
    (example_site / "content" / "briefings").joinpath("extra.md").write_text(
        "---\ntitle: One more\nslug: one-more\ndate: 2025-06-01\n---\n\nSome *text*.\n", "utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(example_site), "-vv", "build"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "DEBUG generator.site.incremental.build: load:" in proc.stderr
    assert "markdown_it" not in proc.stderr
