"""Roles of people: titles before names, appositions, "X, the Y of Z"."""

from __future__ import annotations

from generator.extract.entities import extract_entities


def _roles(title: str, body: str) -> dict[str, str | None]:
    return {a.name: a.role for a in extract_entities(title, body).actors if a.kind == "person"}


def test_title_before_the_name() -> None:
    roles = _roles(
        "Talks", "US Treasury Secretary Janet Morrow met Brazilian Finance Minister Paulo Reis."
    )
    assert roles["Janet Morrow"] == "US Treasury Secretary"
    assert roles["Paulo Reis"] == "Brazilian Finance Minister"


def test_title_with_a_prepositional_phrase() -> None:
    roles = _roles("Visit", "Ambassador to the US Ren Wei spoke at the dinner on Monday.")
    assert roles["Ren Wei"] == "Ambassador to the US"


def test_apposition_after_the_name() -> None:
    roles = _roles(
        "Results", "Richard Calder, chairman and chief executive, said profits had doubled."
    )
    assert roles["Richard Calder"] == "chairman and chief executive"


def test_the_y_of_z_pattern() -> None:
    roles = _roles(
        "Dam", "Greta Lindqvist, the director of the Nordic Water Institute, opposed the dam."
    )
    assert roles["Greta Lindqvist"] == "director of the Nordic Water Institute"


def test_courtesy_titles_are_not_roles() -> None:
    roles = _roles("Court", "Mr Albert Henning arrived at the court in Hamburg on Monday.")
    assert roles["Albert Henning"] is None


def test_plural_title_is_no_role_but_a_later_one_is() -> None:
    roles = _roles(
        "Summit",
        "A deal between Presidents Mark Ellison and Oren Tal was signed. "
        "Israeli President Oren Tal praised it.",
    )
    assert roles.get("Oren Tal") == "Israeli President"
    assert roles.get("Mark Ellison") is None


def test_a_role_ends_where_a_sentence_opens_after_an_abbreviation() -> None:
    from generator.extract.entities import extract_entities

    body = (
        "Jo Ray, head of marketing at Warner Bros. However, the studio said the film would "
        "open in May. Jo Ray declined to comment."
    )
    roles = {a.name: a.role for a in extract_entities("Studio news", body).actors}
    assert roles.get("Jo Ray") == "head of marketing at Warner Bros."
