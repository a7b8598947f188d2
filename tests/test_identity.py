"""The site-level identity join: short forms join their one referent, competitors stay apart."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from generator.identity import (
    ActorRecord,
    Identity,
    Rules,
    actors_json,
    join_identities,
    records_from_briefings,
)
from generator.identity_rules import default_rules
from generator.model import Actor, Briefing, Source, Topic

RULES = default_rules()
DAY = dt.date(2005, 1, 1)


def rec(name: str, briefing: str, kind: str = "person", **kw: object) -> ActorRecord:
    """A record on the politics topic, dated DAY unless told."""
    kw.setdefault("topics", ("politics",))
    kw.setdefault("date", DAY)
    return ActorRecord(name=name, kind=kind, briefing=briefing, **kw)  # type: ignore[arg-type]


def by_name(idents: tuple[Identity, ...]) -> dict[str, Identity]:
    """Identities keyed by display name."""
    return {i.name: i for i in idents}


def test_initial_form_joins_the_one_full_name_and_says_why() -> None:
    join = join_identities([rec("Joel Ross", "a"), rec("J Ross", "b")], RULES)
    (ident,) = join.identities
    assert ident.name == "Joel Ross" and ident.briefings == ("a", "b")
    (alias,) = ident.aliases
    assert alias.name == "J Ross" and alias.reason.startswith("initial form")
    assert join.links[("b", "J Ross")] == join.links[("a", "Joel Ross")] == "joel-ross"


def test_initial_form_stays_apart_when_two_full_names_compete() -> None:
    recs = [rec("Joel Ross", "a"), rec("Jane Ross", "c"), rec("J. Ross", "b")]
    names = by_name(join_identities(recs, RULES).identities)
    assert set(names) == {"Joel Ross", "Jane Ross", "J. Ross"}


def test_initial_must_match_the_first_name() -> None:
    names = by_name(join_identities([rec("Joel Ross", "a"), rec("S Ross", "b")], RULES).identities)
    assert set(names) == {"Joel Ross", "S Ross"}


def filler(n: int) -> list[ActorRecord]:
    """Unrelated briefings, so that co-actors named in few briefings weigh something."""
    return [rec(f"Filler Person{i}", f"f{i}", topics=("sport",)) for i in range(n)]


def test_surname_joins_by_shared_co_actors_even_beside_a_competitor() -> None:
    recs = [
        rec("Tony Blair", "a", co_actors=("Gordon Brown", "Labour")),
        rec("Gordon Brown", "a"),
        rec("Lionel Blair", "c", co_actors=("Strictly Dancing",), topics=("arts",)),
        rec("Blair", "b", co_actors=("Gordon Brown",)),
        rec("Gordon Brown", "b"),
        *filler(40),
    ]
    names = by_name(join_identities(recs, RULES).identities)
    assert {"Tony Blair", "Lionel Blair"} <= set(names) and "Blair" not in names
    few = by_name(join_identities(recs[:5], RULES).identities)
    assert "Blair" in few  # a co-actor in 2 of 3 briefings says nothing
    assert "sharing its co-actors" in names["Tony Blair"].aliases[0].reason


def test_surname_stays_apart_when_two_referents_compete() -> None:
    recs = [rec("Kamala Harris", "a"), rec("Gareth Harris", "c"), rec("Harris", "b")]
    assert "Harris" in by_name(join_identities(recs, RULES).identities)
    both = ("Joe Biden",)
    recs = [rec("Kamala Harris", "a", co_actors=both), rec("Gareth Harris", "c", co_actors=both)]
    recs += [rec("Joe Biden", "a"), rec("Joe Biden", "c"), rec("Joe Biden", "b")]
    recs += [rec("Harris", "b", co_actors=both), *filler(40)]
    assert "Harris" in by_name(join_identities(recs, RULES).identities)


def test_surname_stays_apart_without_a_compatible_context() -> None:
    far = dt.date(1995, 1, 1)
    recs = [rec("Tony Blair", "a"), rec("Blair", "b", topics=("sport",))]
    assert "Blair" in by_name(join_identities(recs, RULES).identities)
    recs = [rec("Tony Blair", "a"), rec("Blair", "b", date=far)]
    assert "Blair" in by_name(join_identities(recs, RULES).identities)


def test_title_form_joins_and_is_not_a_name_of_its_own() -> None:
    recs = [rec("Tony Blair", "a"), rec("Mr Blair", "b"), rec("Mr Tony Blair", "c")]
    (ident,) = join_identities(recs, RULES).identities
    assert ident.name == "Tony Blair"
    reasons = {a.name: a.reason for a in ident.aliases}
    assert reasons["Mr Tony Blair"] == "title form"
    assert reasons["Mr Blair"].startswith("surname")


def test_a_surname_is_never_joined_to_an_organization() -> None:
    recs = [rec("Blair Holdings Group", "a", kind="organization"), rec("Group", "b")]
    assert len(join_identities(recs, RULES).identities) == 2


def test_organization_variants_join() -> None:
    recs = [
        rec("Trades Union Congress", "a", kind="organization", mentions=3),
        rec("Trade Unions Congress", "b", kind="organization"),
        rec("New Line Cinema", "c", kind="organization"),
        rec("New Line", "d", kind="organization"),
        rec("Acme plc", "e", kind="organization"),
        rec("Acme", "f", kind="organization"),
    ]
    names = by_name(join_identities(recs, RULES).identities)
    assert set(names) == {"Trades Union Congress", "New Line Cinema", "Acme plc"}
    assert names["Trades Union Congress"].aliases[0].reason == "organization variant"


def test_short_organization_name_stays_apart_when_two_longer_fit() -> None:
    recs = [
        rec("New Line Cinema", "c", kind="organization"),
        rec("New Line Records", "e", kind="organization"),
        rec("New Line", "d", kind="organization"),
    ]
    assert len(join_identities(recs, RULES).identities) == 3


def test_one_kind_per_identity_by_vote() -> None:
    recs = [
        rec("Estravia", "a", kind="person"),
        rec("Estravia", "b", kind="organization", mentions=3),
        rec("Estravia", "c", kind="organization"),
    ]
    (ident,) = join_identities(recs, RULES).identities
    assert ident.kind == "organization"
    assert ident.kinds == (("organization", 4), ("person", 1))


def test_briefing_alias_joins_its_one_owner() -> None:
    recs = [rec("Securities and Exchange Commission", "a", kind="organization", aliases=("SEC",))]
    recs.append(rec("SEC", "b", kind="organization"))
    (ident,) = join_identities(recs, RULES).identities
    assert ident.name == "Securities and Exchange Commission"


def test_user_overrides_come_first() -> None:
    recs = [rec("Beeb", "a", kind="organization"), rec("BBC", "b", kind="organization")]
    join = join_identities(recs, RULES, overrides={"beeb": "BBC"})
    (ident,) = join.identities
    assert ident.name == "BBC" and ident.aliases[0].reason == "the site's aliases"


def test_empty_rules_still_join_exact_names() -> None:
    (ident,) = join_identities([rec("Ann Lee", "a"), rec("Ann Lee", "b")], Rules()).identities
    assert ident.briefings == ("a", "b") and ident.aliases == ()


def test_records_from_briefings_and_actors_json() -> None:
    actors = (Actor("Tony Blair", "person", mentions=4), Actor("Labour", "organization"))
    b1 = Briefing(
        "t", "one", DAY, False, Source(), actors=actors, topics=(Topic("politics/uk", "uk"),)
    )
    b2 = Briefing("t", "two", DAY, False, Source(), actors=(Actor("Mr Blair", "person"),))
    b2 = replace(b2, topics=b1.topics)
    recs = records_from_briefings([b1, b2])
    assert recs[0].co_actors == ("Labour",) and recs[0].topics == ("politics",)
    rows = json.loads(actors_json(join_identities(recs, RULES).identities))
    assert [r["slug"] for r in rows] == ["labour", "tony-blair"]
    assert set(rows[1]) == {"slug", "name", "kind", "aliases", "briefings"}
    assert rows[1]["briefings"] == ["one", "two"]
    assert [a["name"] for a in rows[1]["aliases"]] == ["Blair", "Mr Blair"]
    assert rows[1]["aliases"][0]["reason"].startswith("surname: ")


def test_identity_modules_are_pure() -> None:
    root = Path(__file__).resolve().parents[1] / "generator"
    for name in ("identity.py", "identity_steps.py", "identity_types.py", "identity_names.py"):
        text = (root / name).read_text("utf-8")
        for banned in ("generator.site", "open(", "read_text", "pathlib", "import os"):
            assert banned not in text, (name, banned)


def test_a_far_more_named_full_name_takes_a_surname_on_its_topic() -> None:
    recs = [rec("Tony Blair", f"a{i}") for i in range(12)] + [rec("Selma Blair", "c")]
    recs.append(rec("Blair", "b"))
    names = by_name(join_identities(recs, RULES).identities)
    assert set(names) == {"Tony Blair", "Selma Blair"}
    recs[-1] = rec("Blair", "b", topics=("arts",))
    assert "Blair" in by_name(join_identities(recs, RULES).identities)


def test_middle_initial_variant_joins_one_fuller_name() -> None:
    recs = [rec("George W Bush", "a"), rec("George Bush", "b")]
    (ident,) = join_identities(recs, RULES).identities
    assert ident.name == "George W Bush" and ident.aliases[0].reason == "middle initial left out"
    recs.append(rec("George H Bush", "c"))
    assert len(join_identities(recs, RULES).identities) == 3


def test_one_word_variants_and_short_forms_join_only_on_a_suffix_or_a_company_tail() -> None:
    org = "organization"
    recs = [rec("State", "a", kind=org), rec("States", "b", kind=org)]
    recs += [rec("Oxford", "c", kind=org), rec("Oxford University", "d", kind=org)]
    recs += [rec("Altria", "e", kind=org), rec("Altria Group", "f", kind=org)]
    recs += [rec("And City", "g", kind=org), rec("City", "h", kind=org)]
    names = set(by_name(join_identities(recs, RULES).identities))
    assert names == {"State", "States", "Oxford", "Oxford University", "Altria Group"} | {
        "And City",
        "City",
    }


def test_a_junk_full_name_takes_no_surname() -> None:
    recs = [rec("Oh My God", "a"), rec("God", "b"), rec("U2 frontman Bono", "c"), rec("Bono", "d")]
    assert len(join_identities(recs, RULES).identities) == 4
