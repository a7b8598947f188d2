"""Kind from all the evidence: one kind per actor in an article; events and groups are no actors."""

from __future__ import annotations

import pytest

from generator.extract.entities import extract_entities
from generator.extract.kinds import not_an_actor


def _kinds(title: str, body: str) -> dict[str, set[str]]:
    """Actor name -> the kinds the article gives it."""
    out: dict[str, set[str]] = {}
    for a in extract_entities(title, body).actors:
        out.setdefault(a.name, set()).add(a.kind)
    return out


@pytest.mark.parametrize(
    "name",
    ["Super Bowl LIII", "Gunpowder Plot", "World Cup", "Venice Film Festival", "Young People"],
)
def test_events_works_and_groups_are_no_actors(name: str) -> None:
    assert not_an_actor(name)


@pytest.mark.parametrize(
    "name", ["Organisation of Islamic Conference", "Labour Party", "Tony Blair", "Acme Holdings"]
)
def test_bodies_and_people_are_actors(name: str) -> None:
    assert not not_an_actor(name)


def test_every_mention_votes_and_each_actor_has_one_kind() -> None:
    body = (
        "Dorchester boss Alan Pryce said the club would appeal. Dorchester are third in the "
        "league and Dorchester fans were angry. The Dorchester players trained on Monday.\n\n"
        "Mr Pryce said Dorchester had done nothing wrong."
    )
    kinds = _kinds("Club to appeal", body)
    assert kinds.get("Dorchester") == {"organization"}
    assert kinds.get("Alan Pryce") == {"person"}
    assert all(len(k) == 1 for k in kinds.values())


def test_a_title_makes_a_person_of_a_name_tagged_otherwise() -> None:
    body = "Mr Estravia met the board on Monday. Mr Estravia said talks went well."
    assert _kinds("Talks", body).get("Estravia") == {"person"}


def test_a_name_modifying_a_noun_after_the_is_not_made_a_body() -> None:
    body = (
        "Police in Liege suspected a link with the Marc Dutroux case, officials said. "
        "Marc Dutroux was arrested in August."
    )
    assert _kinds("Inquiry", body).get("Marc Dutroux") == {"person"}


def test_an_event_is_not_listed_as_an_actor() -> None:
    body = "Fans packed the stadium for the Super Bowl on Sunday, and Tom Brady said he was ready."
    kinds = _kinds("Big game", body)
    assert "Super Bowl" not in kinds and "Tom Brady" in kinds


def test_a_work_of_art_is_no_actor() -> None:
    body = (
        "The sitcom Early Doors won a prize, and Ann Lee's first novel, Runaway Days, "
        "sold well. Ann Lee thanked her readers."
    )
    kinds = _kinds("Prizes", body)
    assert "Early Doors" not in kinds and "Runaway Days" not in kinds and "Ann Lee" in kinds


def test_a_person_never_ends_in_a_place_word() -> None:
    body = "Mr Wang went to Tiananmen Square. Tiananmen Square was closed to visitors on Monday."
    kinds = _kinds("Crowds", body)
    assert "Tiananmen Square" not in kinds and kinds.get("Wang") == {"person"}


def test_a_newspaper_the_tagger_took_for_a_person_is_an_organization() -> None:
    from generator.extract.kinds import vote_kinds
    from generator.extract.tokens import tokenize

    tokens = tokenize("Riverton Courier reported the deal, and Riverton Courier said talks failed.")
    spans = [(0, 2, "person"), (7, 9, "person")]
    assert vote_kinds(tokens, spans, ["Riverton Courier"] * 2) == ["organization"] * 2
    assert vote_kinds(tokens, spans[:1], ["Riverton Courier"])[0] == "organization"
    assert vote_kinds(tokenize("Kelly Hall reported it"), spans[:1], ["Kelly Hall"]) == ["person"]


def test_a_city_the_gazetteer_knows_is_no_person_without_a_title() -> None:
    from generator.extract.kinds import _a_place

    assert _a_place("Khartoum", {"person": 1.0})
    assert not _a_place("Khartoum", {"person": 4.0})  # a title vouched for a person
    assert not _a_place("Ann Lee", {"person": 0.5})


def test_a_role_in_a_film_makes_the_film_a_work() -> None:
    body = (
        "Jo Hart won praise for her role in Finding Homeland on Sunday. Finding Homeland "
        "was nominated for five awards, and the Consumer Credit Bill was passed."
    )
    kinds = _kinds("Awards", body)
    assert "Finding Homeland" not in kinds and "Consumer Credit Bill" not in kinds
    assert "Jo Hart" in kinds


def test_a_given_name_and_a_surname_like_an_organization_word_is_a_person() -> None:
    from generator.extract.kinds import vote_kinds
    from generator.extract.tokens import tokenize

    tokens = tokenize("It stars Nathalie Press as a mother, and Acme Press said so.")
    spans = [(2, 4, "person"), (10, 12, "organization")]
    assert vote_kinds(tokens, spans, ["Nathalie Press", "Acme Press"]) == [
        "person",
        "organization",
    ]
    assert not_an_actor("Roman Catholics")
