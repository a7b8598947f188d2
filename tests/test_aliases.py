"""Canonical names: short forms, honorifics, acronyms, capitals as governments, overrides."""

from __future__ import annotations

from generator.extract.aliases import Surface, acronym_of, canonical_names
from generator.extract.entities import EntityAnalysis, extract_entities
from generator.model import Actor


def _names(ea: EntityAnalysis) -> dict[str, Actor]:
    return {a.name: a for a in ea.actors}


def test_surname_and_honorific_forms_merge_into_the_full_name() -> None:
    body = (
        "Finance Minister Amara Okafor presented the budget on Monday. "
        "Mrs Okafor said spending would fall. Okafor later met bankers."
    )
    actors = _names(extract_entities("Budget day", body))
    assert "Okafor" not in actors and "Mrs Okafor" not in actors
    a = actors["Amara Okafor"]
    assert {"Mrs Okafor", "Okafor"} <= set(a.aliases)
    assert a.mentions == 3


def test_professor_title_merges() -> None:
    body = (
        "Professor Henrik Dahl Lund, a historian at Uppsala University, wrote the report. "
        "Prof Lund said the findings were clear."
    )
    actors = _names(extract_entities("Report", body))
    assert "Prof Lund" in actors["Henrik Dahl Lund"].aliases


def test_acronym_given_by_the_article_merges_into_its_expansion() -> None:
    body = (
        "The Securities and Exchange Commission (SEC) opened an inquiry on Friday. "
        "The SEC declined to comment further."
    )
    actors = _names(extract_entities("Inquiry", body))
    assert "SEC" not in actors
    sec = actors["Securities and Exchange Commission"]
    assert "SEC" in sec.aliases and sec.mentions == 3  # the name, "(SEC)", "The SEC"


def test_acronym_of_skips_function_words() -> None:
    assert acronym_of("Securities and Exchange Commission") == "SEC"
    assert acronym_of("North Atlantic Treaty Organization") == "NATO"
    assert acronym_of("Nvidia") == ""


def test_capital_used_as_government_counts_for_the_country() -> None:
    body = (
        "Beijing said on Monday it would retaliate. Washington warned of new tariffs. "
        "Trade between China and the United States fell."
    )
    ea = extract_entities("Trade row", body)
    actors = _names(ea)
    assert "Beijing" in actors["China"].aliases
    assert "Washington" in actors["United States"].aliases
    assert "Beijing" not in actors and "Washington" not in actors


def test_country_names_resolve_to_one_canonical() -> None:
    body = "The US and Britain signed the pact. The U.S. and the UK will review it in 2026."
    actors = _names(extract_entities("Pact", body))
    assert {"US", "U.S."} <= set(actors["United States"].aliases)
    assert {"Britain", "UK"} <= set(actors["United Kingdom"].aliases)
    assert not {"US", "U.S.", "Britain", "UK"} & set(actors)


def test_overrides_win() -> None:
    surfaces = [Surface("Jon Tal", "person", "Jon Tal"), Surface("Tal", "person", "Tal")]
    assert canonical_names(surfaces, overrides={"Jon Tal": "Jonathan Tal"}) == [
        "Jonathan Tal",
        "Jonathan Tal",
    ]


def test_two_people_with_one_surname_stay_apart() -> None:
    surfaces = [
        Surface("Ana Ruiz", "person", "Ana Ruiz"),
        Surface("Luis Ruiz", "person", "Luis Ruiz"),
        Surface("Ruiz", "person", "Ruiz"),
    ]
    names = canonical_names(surfaces)
    assert names[0] == "Ana Ruiz" and names[1] == "Luis Ruiz"
    assert names[2] in {"Ana Ruiz", "Luis Ruiz"}


def test_acronym_in_brackets_is_recognized_and_merged() -> None:
    body = (
        "The Coastal Fishermen's Federation (CFF) called a strike on Monday. "
        "Leaders of the CFF met port officials in Valparaiso."
    )
    actors = _names(extract_entities("Strike", body))
    assert "CFF" not in actors
    assert "CFF" in actors["Coastal Fishermen's Federation"].aliases


def test_capital_after_an_auxiliary_still_acts_but_a_city_described_does_not() -> None:
    ea = extract_entities(
        "Tariffs",
        "Ottawa has warned of retaliation. Canada exports steel. Madrid is sunny in May.",
    )
    actors = _names(ea)
    assert "Ottawa" in actors["Canada"].aliases
    assert "Madrid" in {p.name for p in ea.places}
    assert "Spain" not in actors


def test_post_nominal_letters_are_not_part_of_the_name() -> None:
    body = "Helena Marsh QC told the court on Monday that her client was innocent."
    actors = _names(extract_entities("Trial", body))
    assert "Helena Marsh" in actors


def test_spellings_that_differ_in_accents_or_hyphens_are_one_actor() -> None:
    from generator.extract.aliases import one_spelling
    from generator.extract.entities import extract_entities

    assert one_spelling(["Pascal Papé", "Pascal Pape", "Ann Lee"]) == [
        "Pascal Papé",
        "Pascal Papé",
        "Ann Lee",
    ]
    body = (
        "Robert Kilroy-Silk launched his party on Monday. Mr Kilroy-Silk said it would win. "
        "Later Robert Kilroy Silk told reporters he was confident."
    )
    names = [a.name for a in extract_entities("Party launch", body).actors]
    assert names.count("Robert Kilroy-Silk") == 1 and "Robert Kilroy Silk" not in names
