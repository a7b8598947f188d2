"""Actor and place recognition on short texts written for the tests, and on the seed article."""

from __future__ import annotations

import pytest

from generator.extract.entities import EntityAnalysis, extract_entities
from tests.conftest import shared_file


def _actor(ea: EntityAnalysis, name: str):  # type: ignore[no-untyped-def]
    """The actor called `name`, failing the test when there is none."""
    found = [a for a in ea.actors if a.name == name]
    assert found, f"{name} not among {[a.name for a in ea.actors]}"
    return found[0]


TEXT = (
    "Marta Olsen, the chief executive of Northwind Shipping, said on Tuesday the company "
    "would open a new terminal in Rotterdam. Ms Olsen told reporters in Oslo that Norway "
    "and Germany had backed the plan.\n\n"
    "Shares in Northwind Shipping rose 4 percent. Olsen added that the European Union "
    "had approved the deal."
)


def test_finds_people_organizations_countries_and_places() -> None:
    ea = extract_entities("Northwind to build Rotterdam terminal", TEXT)
    kinds = {a.name: a.kind for a in ea.actors}
    assert kinds["Marta Olsen"] == "person"
    assert kinds["Northwind Shipping"] == "organization"
    assert kinds["Norway"] == "country"
    assert kinds["Germany"] == "country"
    assert kinds["European Union"] == "organization"
    places = {p.name: p.kind for p in ea.places}
    assert places.get("Rotterdam") == "city"
    assert places.get("Oslo") == "city"


def test_mentions_point_into_title_and_body() -> None:
    title = "Northwind to build Rotterdam terminal"
    ea = extract_entities(title, TEXT)
    text = f"{title}\n\n{TEXT}"
    assert ea.mentions, "no mentions"
    for m in ea.mentions:
        assert text[m.start : m.end] == m.text
    assert [m.start for m in ea.mentions] == sorted(m.start for m in ea.mentions)
    olsen = [m for m in ea.mentions if m.canonical == "Marta Olsen"]
    assert {m.text for m in olsen} >= {"Marta Olsen", "Ms Olsen", "Olsen"}


def test_short_forms_merge_and_count_every_mention() -> None:
    ea = extract_entities("Northwind to build Rotterdam terminal", TEXT)
    olsen = _actor(ea, "Marta Olsen")
    assert olsen.mentions == 3
    assert "Ms Olsen" in olsen.aliases and "Olsen" in olsen.aliases
    assert [a.name for a in ea.actors].count("Olsen") == 0


def test_demonyms_are_not_actors() -> None:
    ea = extract_entities(
        "Talks resume", "German and French officials met Canadian negotiators in Geneva."
    )
    names = {a.name for a in ea.actors}
    assert not names & {"German", "French", "Canadian"}


def test_actor_order_is_by_mentions() -> None:
    ea = extract_entities("Vote", TEXT)
    counts = [a.mentions for a in ea.actors]
    assert counts == sorted(counts, reverse=True)


def test_site_aliases_override_canonical_names() -> None:
    ea = extract_entities("Vote", TEXT, aliases={"Northwind Shipping": "Northwind Group"})
    assert _actor(ea, "Northwind Group").kind == "organization"


def test_empty_article() -> None:
    ea = extract_entities("", "")
    assert ea.actors == () and ea.places == () and ea.mentions == ()


def _seed() -> tuple[str, str]:
    """The seed article, cleaned by the real cleaner (or skipped when absent)."""
    path = shared_file("seeds", "000_0d201b724c6686a4.txt")
    clean = pytest.importorskip("generator.ingest.clean")
    cleaned = clean.clean_web_text(path.read_text(encoding="utf-8"))
    return cleaned.title, cleaned.body


def test_seed_people_once_each_with_honorifics_and_roles() -> None:
    ea = extract_entities(*_seed())
    people = [a for a in ea.actors if a.kind == "person"]
    names = [a.name for a in people]
    for name in (
        "Xi Jinping", "Donald Trump", "Xie Feng", "Pete Hegseth", "Dong Jun",
        "Scott Bessent", "David Daokui Li",
    ):  # fmt: skip
        assert names.count(name) == 1, names
    assert len(people) == 7, names
    assert "Mr Xie" in _actor(ea, "Xie Feng").aliases
    assert "Mr Xi" in _actor(ea, "Xi Jinping").aliases
    assert "Prof Li" in _actor(ea, "David Daokui Li").aliases
    assert "Mr Hegseth" in _actor(ea, "Pete Hegseth").aliases
    for a in people:
        assert a.role, f"{a.name} has no role"
    assert _actor(ea, "Dong Jun").role == "Chinese Defence Minister"
    assert _actor(ea, "Pete Hegseth").role == "US Defence Secretary"
    assert "Ambassador" in (_actor(ea, "Xie Feng").role or "")


def test_seed_organizations_countries_and_no_debris() -> None:
    ea = extract_entities(*_seed())
    orgs = {a.name for a in ea.actors if a.kind == "organization"}
    assert {"US-China Business Council", "Wall Street Journal", "Nvidia"} <= orgs
    assert "Tsinghua University" in orgs
    countries = {a.name for a in ea.actors if a.kind == "country"}
    assert {"China", "United States"} <= countries
    words = {w for a in ea.actors for w in (a.name, *a.aliases)}
    assert not words & {"Follow", "Sign", "PHOTO", "See"}


def test_tokenizer_keeps_offsets_abbreviations_and_clitics() -> None:
    from generator.extract.tokens import tokenize

    text = "Mr. O'Brien's firm, U.S.-based Acme Inc., didn't sell."
    toks = tokenize(text)
    assert [t.text for t in toks] == [
        "Mr.", "O'Brien", "'s", "firm", ",", "U.S.-based", "Acme", "Inc.", ",",
        "did", "n't", "sell", ".",
    ]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in toks)


def test_a_name_and_its_bracketed_gloss_are_two_names() -> None:
    body = "Members of Hezbollah (Party of God) marched in Beirut on Friday."
    orgs = {a.name for a in extract_entities("March", body).actors if a.kind == "organization"}
    assert not any("(" in o for o in orgs)


def test_based_adjective_is_not_part_of_the_company_name() -> None:
    body = "Shares of Minneapolis-based First Harbor Bancorp Inc. rose 3 percent on Monday."
    orgs = {a.name for a in extract_entities("Shares", body).actors if a.kind == "organization"}
    assert "First Harbor Bancorp Inc." in orgs


def test_regnal_numbers_stay_with_the_name() -> None:
    body = "The portrait of Queen Elizabeth I was sold in London for a record sum."
    people = {a.name for a in extract_entities("Sale", body).actors if a.kind == "person"}
    assert "Elizabeth I" in people


def test_sums_of_money_and_shares_are_never_actors() -> None:
    # The tagger takes a currency sign, or a sum glued after a name, for part of a name.
    text = (
        "Harwell Motors has announced £100m of new investment after selling its stake in "
        "Dunmore Logistics for £750m. Kestrel Freight paid $11.5bn for a carrier. "
        "Furthermore, 16% of the shares went to Brightwater Capital, which paid €2.4bn."
    )
    ea = extract_entities("Harwell Motors invests £100m", text)
    names = [a.name for a in ea.actors]
    assert not [n for n in names if any(c in n for c in "£$€%") or not n.strip("?,. ")], names
    assert {"Harwell Motors", "Dunmore Logistics", "Kestrel Freight"} <= set(names), names


def test_a_title_case_headline_gives_names_not_headline_phrases() -> None:
    # Every word of such a headline is capitalized: the tagger read it as one long name.
    title = "Harwell Motors Buys Dunmore Chip Maker Amid Record Profits"
    body = (
        "Harwell Motors said on Monday it would buy Dunmore, a maker of car chips, for an "
        "undisclosed sum. Chief executive Petra Lind said the deal would close in June."
    )
    names = [a.name for a in extract_entities(title, body).actors]
    assert "Harwell Motors" in names and "Dunmore" in names, names
    assert not [n for n in names if {"Buys", "Maker", "Record"} & set(n.split())], names


def test_a_headline_that_is_a_result_keeps_its_team_names() -> None:
    body = "A late goal from Tom Reyes gave the visitors a deserved win on Saturday."
    names = [a.name for a in extract_entities("Kestrel Town 1-2 Harbour Rovers", body).actors]
    assert "Harbour Rovers" in names, names


def test_a_rank_abbreviation_is_no_actor() -> None:
    body = "The No. 3 seed, Lena Varga, beat the No. 12 seed in straight sets on Tuesday."
    names = [a.name for a in extract_entities("Varga through to the final", body).actors]
    assert "Lena Varga" in names and not [n for n in names if n.startswith("No")], names


def test_a_name_needs_a_capital_where_its_script_has_them() -> None:
    from generator.extract.entities import _classify
    from generator.extract.ner_gazetteer import load_gazetteer
    from generator.extract.ner_repair import NameSpan
    from generator.extract.tokens import tokenize

    gaz = load_gazetteer()
    for text, kind in [("the pop-punk band", None), ("met eBay staff", "organization"),
                       ("met 王小明 today", "person")]:  # fmt: skip
        tokens = tokenize(text)
        label = "PER" if kind == "person" else "ORG"
        got = _classify(text, tokens, NameSpan(1, 2, label), gaz)
        assert (got[0] if got else None) == kind, (text, got)


def test_a_function_word_is_a_name_only_where_the_article_capitalizes_it_mid_sentence() -> None:
    from generator.extract.aliases import Surface
    from generator.extract.entities import _openers_dropped, _Raw
    from generator.extract.tokens import sentences, tokenize

    text = "Plan\n\nHowever, the band played on. Fans of The Who cheered. Who knew?"
    tokens = tokenize(text)
    sents = list(sentences(text, tokens))

    def raw(k: int) -> _Raw:
        word = tokens[k].text
        return _Raw(k, k, k + 1, "organization", Surface(word, "organization", word))

    at = {t.text: [k for k, u in enumerate(tokens) if u.text == t.text] for t in tokens}
    raws = [raw(at["However"][0]), *(raw(k) for k in at["Who"])]
    kept = [tokens[r.first].text for r in _openers_dropped(raws, tokens, sents, len("Plan"))]
    assert kept == ["Who", "Who"]  # "The Who" mid-sentence vouches for the opener too


def test_a_plural_acronym_is_never_an_actor() -> None:
    body = "The PCs and TVs sold by Harwell Motors were cheap. The NGOs and the BBC agreed."
    names = [a.name for a in extract_entities("Harwell Motors cuts prices", body).actors]
    assert "BBC" in names and not {"PCs", "TVs", "NGOs"} & set(names), names


def test_holidays_and_awards_are_never_actors() -> None:
    body = (
        "Lena Varga won an Oscar and two Baftas before Christmas, and the Academy Awards "
        "followed in the new year."
    )
    names = [a.name for a in extract_entities("Varga takes the Oscar", body).actors]
    assert "Lena Varga" in names and not {"Oscar", "Baftas", "Christmas", "Academy Awards"} & set(
        names
    ), names


def test_a_verb_before_a_split_nt_is_no_name() -> None:
    # A title-case headline: "Can't" splits into "Ca" and "n't", "Don't" into "Do" and "n't".
    ea = extract_entities(
        "Why Can’t Lena Varga Play Her Own Songs? Don't Ask",
        "Lena Varga said on Monday that her label owns the recordings.",
    )
    names = {a.name for a in ea.actors}
    assert "Lena Varga" in names
    assert not any(n.endswith((" Ca", " Do")) or n in ("Ca", "Do") for n in names)
