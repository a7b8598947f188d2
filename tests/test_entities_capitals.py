"""Capitals as governments, portfolios in titles, products: short texts written for tests."""

from __future__ import annotations

from generator.extract.capitals import capital_is_government
from generator.extract.entities import EntityAnalysis, extract_entities
from generator.extract.tokens import tokenize


def _kinds(ea: EntityAnalysis) -> dict[str, str]:
    return {a.name: a.kind for a in ea.actors}


def _government(text: str, capital: str) -> bool:
    tokens = tokenize(text)
    i = next(k for k, t in enumerate(tokens) if t.text == capital)
    return capital_is_government(tokens, i, i + 1)


def test_capital_before_a_speech_verb_is_the_government() -> None:
    assert _government("Moscow has warned that the pipeline deal is off.", "Moscow")
    assert _government("Officials said Paris rejected the offer.", "Paris")
    assert _government("Ottawa and Canberra said they would respond.", "Ottawa")


def test_capital_possessive_on_a_policy_noun_is_the_government() -> None:
    assert _government("The move hardened Tokyo's stance on fishing rights.", "Tokyo")
    assert not _government("Flights left Tokyo's main airport late.", "Tokyo")
    assert not _government("Crowds filled Moscow's Red Square.", "Moscow")


def test_capital_as_a_party_or_as_a_location() -> None:
    assert _government("The envoy held talks with Ottawa on Monday.", "Ottawa")
    assert _government("She is a senior adviser to Canberra on trade.", "Canberra")
    assert not _government("The summit was held in Ottawa last week.", "Ottawa")
    assert not _government("Ottawa is cold in January.", "Ottawa")


def test_capital_counts_for_the_country_and_stays_a_place_where_it_is_one() -> None:
    body = (
        "Canberra said on Friday it would review the wool tariffs. The review follows "
        "months of talks with Canberra, and Canberra's trade policy has hardened since. "
        "Farmers met officials in Canberra to press their case."
    )
    ea = extract_entities("Wool tariffs under review", body)
    australia = next(a for a in ea.actors if a.name == "Australia")
    assert australia.kind == "country"
    assert "Canberra" in australia.aliases
    assert australia.mentions == 3
    assert "Canberra" in [p.name for p in ea.places]


def test_a_portfolio_in_a_title_is_part_of_the_role() -> None:
    body = "Interior Secretary Maria Lindqvist said the parks would reopen on Monday."
    ea = extract_entities("Parks to reopen", body)
    kinds = _kinds(ea)
    assert "Interior" not in kinds
    assert kinds["Maria Lindqvist"] == "person"
    assert ea.actors[0].role == "Interior Secretary"


def test_a_name_used_only_for_a_product_is_no_actor() -> None:
    body = (
        "Orvane Systems said demand for the Quillfire chip had doubled. Orvane Systems "
        "shares rose 3 percent."
    )
    kinds = _kinds(extract_entities("Chip demand doubles", body))
    assert "Quillfire" not in kinds
    assert kinds.get("Orvane Systems") == "organization"
