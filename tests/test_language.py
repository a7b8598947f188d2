"""The language of each article: detected at ingest, written in the briefing, and an
extraction left empty (not filled with junk) for a language the extractor does not know."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.briefing_md import parse_briefing
from generator.commands.ingest import IngestOptions, ingest
from generator.config import load_config
from generator.extract.pipeline import extract
from generator.ingest import read_articles
from generator.ingest.language import SAMPLE_CHARS, detect_language, sample
from generator.model import Article

ENGLISH = (
    "The transport minister, Anna Berg, said on Monday that the port of Ardith would reopen "
    'next week. "We have done everything we can," she told reporters in the capital.'
)
GERMAN = (
    "Die Verkehrsministerin Anna Berg hat am Montag angekündigt, dass der Hafen von Ardith "
    'in der nächsten Woche wieder öffnen wird. "Wir haben alles getan, was wir konnten", '
    "sagte sie vor Journalisten in der Hauptstadt. Die Gewerkschaft der Hafenarbeiter "
    "begrüßte die Entscheidung und kündigte an, den Streik am Mittwoch zu beenden."
)
PORTUGUESE = (
    "A ministra dos Transportes, Anna Berg, afirmou na segunda-feira que o porto de Ardith "
    'voltará a abrir na próxima semana. "Fizemos tudo o que podíamos", disse ela aos '
    "jornalistas na capital. O sindicato dos estivadores saudou a decisão."
)


DUTCH = (
    "De minister van Verkeer, Anna Berg, zei maandag dat de haven van Ardith volgende week "
    'weer opengaat. "We hebben alles gedaan wat we konden", zei ze tegen verslaggevers in '
    "de hoofdstad. De bond van havenarbeiders was blij met het besluit en het is nu over."
)
# Page debris around a short English text: few of the commonest English words, yet English.
MENU = "Home News Sport Weather Sign in Menu Search Video World Business Tech " * 3


@pytest.mark.parametrize(
    ("text", "code"),
    [(ENGLISH, "en"), (GERMAN, "de"), (PORTUGUESE, "pt"), (DUTCH, "nl"), (MENU + ENGLISH, "en")],
)
def test_the_language_of_a_text_is_detected(text: str, code: str) -> None:
    assert detect_language("Port to reopen", text) == code


@pytest.mark.parametrize("text", ["", "OK", "12 34 56", "Port reopens", "2025-03-04 10:00"])
def test_too_little_text_cannot_tell(text: str) -> None:
    assert detect_language("", text) is None


def test_only_a_bounded_sample_is_read() -> None:
    long = " ".join([GERMAN] * 4 + [ENGLISH] * 400)
    assert len(sample("Hafen", long)) <= SAMPLE_CHARS
    assert detect_language("Hafen", long) == "de"  # the opening tells, not the bulk after it


def _article(body: str, language: str | None) -> Article:
    return Article("Hafen von Ardith", body, "a.txt", "0", language=language)


def test_an_unknown_language_gets_a_lead_and_no_junk() -> None:
    ex = extract(_article(GERMAN, "de"), fallback_date=dt.date(2025, 3, 4))
    assert ex.language == "de"
    assert ex.summary.startswith("Die Verkehrsministerin Anna Berg hat am Montag")
    assert (ex.actors, ex.quotes, ex.topics, ex.places, ex.events) == ((), (), (), (), ())
    assert (ex.key_points, ex.tags) == ((), ())
    assert ex.date == dt.date(2025, 3, 4)


def test_english_is_extracted_as_before() -> None:
    ex = extract(_article(ENGLISH, "en"), fallback_date=dt.date(2025, 3, 4))
    assert ex.language == "en"
    assert "Anna Berg" in {a.name for a in ex.actors}
    assert ex.quotes and ex.events


def test_an_undecided_text_takes_the_sites_language() -> None:
    assert extract(_article(ENGLISH, None)).language == "en"
    ex = extract(_article(ENGLISH, None), language="fr")
    assert ex.language == "fr" and ex.actors == ()


def test_ingest_writes_the_language_into_the_front_matter(tmp_path: Path) -> None:
    (tmp_path / "briefing.toml").write_text('title = "T"\n')
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "de.txt").write_text("Hafen von Ardith öffnet wieder\n\n" + GERMAN, "utf-8")
    (articles / "en.txt").write_text("Port of Ardith to reopen\n\n" + ENGLISH, "utf-8")
    assert read_articles(articles / "de.txt")[0].language == "de"
    config = load_config(tmp_path)
    result = ingest(config, [articles], IngestOptions(date=dt.date(2025, 3, 4)))
    assert not result.errors
    found = {}
    for path in config.briefings_path.glob("*.md"):
        text = path.read_text("utf-8")
        b = parse_briefing(text, str(path))[0]
        found[b.language] = b
        assert f"\ndate_inferred: false\nlanguage: {b.language}\n" in text
    assert found["de"].actors == () and found["de"].summary
    assert found["en"].actors != ()


def test_check_reports_a_language_that_is_no_iso_code(tmp_path: Path) -> None:
    from generator.briefing_md import render_briefing
    from generator.model import Briefing, Source
    from generator.site.output.check import check_site

    (tmp_path / "briefing.toml").write_text('title = "T"\n')
    folder = tmp_path / "content" / "briefings"
    folder.mkdir(parents=True)
    b = Briefing("Hafen", "hafen", dt.date(2025, 3, 4), False, Source(), language="de")
    path = folder / "hafen.md"
    path.write_text(render_briefing(b).replace("language: de", "language: german"), "utf-8")
    problems = check_site(load_config(tmp_path))
    assert any(f"{path}:6:" in p and "ISO 639-1" in p for p in problems), problems
