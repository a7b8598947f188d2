"""Topic assignment from the IPTC vocabulary, and a site's own topics."""

from __future__ import annotations

import pytest

from generator.errors import ConfigError
from generator.extract.topic_index import build_index, prefix_fits
from generator.extract.topics import _lead_first, assign_topics
from generator.extract.vocabulary import default_vocabulary, load_vocabulary
from generator.model import Actor

SPORT = (
    "United beat City 2-1 in the league",
    "The striker scored twice in the second half as United came from behind to win the derby. "
    "The manager praised his players and said the team had shown great character. "
    "The goalkeeper saved a penalty late on, and fans celebrated the victory.",
)
BUSINESS = (
    "Retailer's profits rise as sales grow",
    "The retailer said pre-tax profit rose 12% to 450 million pounds in the year to March, "
    "helped by strong online sales. Shares rose 5% as investors welcomed a higher dividend. "
    "Analysts said the company had gained market share from its rivals.",
)


def test_vocabulary_has_the_iptc_top_level_and_second_level_terms() -> None:
    vocab = default_vocabulary()
    tops = [t for t in vocab.terms if t.parent is None]
    assert len(tops) == 17
    assert vocab.get("conflict-war-and-peace") is not None
    trade = vocab.get("economy-business-and-finance/international-trade")
    assert trade is not None and trade.iptc == "medtop:20000373"
    assert "IPTC" in vocab.credit


def test_a_sports_report_is_sport_first() -> None:
    topics = assign_topics(*SPORT, (), default_vocabulary())
    assert topics[0].id == "sport"
    assert topics[0].iptc == "medtop:15000000"
    assert any(t.id == "sport/soccer" for t in topics)
    assert all(0 <= t.score <= 1 for t in topics)


def test_a_results_story_is_business_first() -> None:
    topics = assign_topics(*BUSINESS, (), default_vocabulary())
    assert topics[0].id == "economy-business-and-finance"
    assert 1 <= len(topics) <= 4
    assert [t.score for t in topics] == sorted((t.score for t in topics), reverse=True)


def test_actor_kinds_count_as_evidence() -> None:
    text = ("Talks end", "The two sides met for three hours and agreed to meet again.")
    countries = tuple(Actor(n, "country") for n in ("France", "Germany", "Italy"))
    assert assign_topics(*text, countries, default_vocabulary())[0].id == "politics"


def test_site_topics_extend_or_replace_the_vocabulary() -> None:
    extra = [{"id": "chess", "label": "chess", "parent": "sport", "keywords": ["checkmate"]}]
    vocab = load_vocabulary(extra=extra)
    assert vocab.get("sport/chess") is not None
    topics = assign_topics("Checkmate in Oslo", "A checkmate after 40 moves.", (), vocab)
    assert [t.id for t in topics][:2] == ["sport", "sport/chess"]
    only = load_vocabulary(extra=[{"id": "local-news", "label": "local news"}], replace=True)
    assert [t.id for t in only.terms] == ["local-news"]


def test_bad_site_topics_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        load_vocabulary(extra=[{"id": "Not A Slug", "label": "x"}])
    with pytest.raises(ConfigError):
        load_vocabulary(extra=[{"id": "x", "label": "x", "parent": "nowhere"}])


def test_a_court_case_about_a_sports_star_is_sport_first_with_the_law_second() -> None:
    title = "Striker charged with assault after nightclub brawl"
    body = (
        "The league's top scorer was charged with assault by police on Sunday and will "
        "appear in court next month. His club said the player would miss the cup final. "
        "His lawyer said he would plead not guilty at the trial."
    )
    ids = [t.id for t in assign_topics(title, body, (), default_vocabulary())]
    assert ids[0] == "sport"
    assert "crime-law-and-justice" in ids


def test_a_court_case_without_another_subject_stays_crime() -> None:
    title = "Man jailed for burglary"
    body = (
        "A man who broke into six homes was jailed for four years at the crown court on "
        "Monday. The judge said the burglaries had left victims afraid in their own homes."
    )
    assert assign_topics(title, body, (), default_vocabulary())[0].id == "crime-law-and-justice"


def test_team_and_company_names_count_only_with_their_capitals() -> None:
    vocab = default_vocabulary()
    team = ("Colts rally past Jets", "The Colts came back in the fourth quarter to beat the Jets.")
    assert assign_topics(*team, (), vocab)[0].id == "sport"
    fruit = ("Bumper harvest", "The apple harvest in the valley was the largest for a decade.")
    assert assign_topics(*fruit, (), vocab)[0].id != "science-and-technology"


def test_phrases_ending_in_a_prefix_match_their_longer_forms() -> None:
    topics = assign_topics(
        "Two car bombings", "Two car bombings hit the capital.", (), default_vocabulary()
    )
    assert topics[0].id == "conflict-war-and-peace"


def test_a_technology_companys_results_are_business_in_the_computing_sector() -> None:
    title = "Software maker's profit rises"
    body = (
        "Microsoft said quarterly profit rose 12% on strong sales of Windows and its server "
        "software, and raised its revenue forecast. Shares rose 3% in after-hours trading."
    )
    ids = [t.id for t in assign_topics(title, body, (), default_vocabulary())]
    assert ids[:2] == [
        "economy-business-and-finance",
        "economy-business-and-finance/computing-and-information-technology",
    ]
    assert "science-and-technology" in ids


def test_a_technology_companys_product_is_science_and_technology() -> None:
    title = "New chip doubles battery life of laptops"
    body = (
        "Intel unveiled a processor that uses half the power of its predecessor, letting "
        "laptops run twice as long. The chip uses a new transistor design."
    )
    assert assign_topics(title, body, (), default_vocabulary())[0].id == "science-and-technology"


def test_generic_words_do_not_make_a_topic() -> None:
    # "general", "future", "people", "set" and "try" are everyday words; only "generals",
    # "futures" and real tennis or rugby vocabulary are evidence.
    title = "Council sets out plans"
    body = (
        "The council set out its general plan for the future and said people should try "
        "the new bus routes. The council will vote on the plan next month."
    )
    ids = [t.id for t in assign_topics(title, body, (), default_vocabulary())]
    assert ids and ids[0] == "politics"
    assert not {"sport", "conflict-war-and-peace", "human-interest"} & set(ids)


def test_a_short_keyword_prefix_takes_endings_not_longer_words() -> None:
    endings = build_index(default_vocabulary()).endings
    assert prefix_fits("taxes", "tax", endings)
    assert prefix_fits("courtroom", "court", endings)
    assert prefix_fits("chipped", "chip", endings)  # a doubled last letter
    assert prefix_fits("flood-hit", "flood", endings)
    assert not prefix_fits("taxi", "tax", endings)
    assert not prefix_fits("europe", "euro", endings)
    assert not prefix_fits("courtesy", "court", endings)
    assert prefix_fits("investigators", "investigat", endings)  # long prefixes take anything


def test_europe_is_not_the_euro() -> None:
    # Lexicons alone: "euro*" once made "Europe" and "Europeans" evidence for business.
    title = "Europe and its neighbours"
    body = "Europe's leaders and the Europeans they govern."
    topics = assign_topics(title, body, (), default_vocabulary(), use_learned=False)
    assert "economy-business-and-finance" not in [t.id for t in topics]


def test_a_disaster_leads_over_the_business_it_hits_only_when_nearly_as_strong() -> None:
    vocab = default_vocabulary()
    storm = (
        "Hurricane survivors wait for water and fuel",
        "Rescue teams and insurance adjusters reached the towns the hurricane flattened; "
        "survivors queued for water, and the homeless waited in shelters as the storm moved on.",
    )
    assert assign_topics(*storm, (), vocab)[0].id == "disaster-accident-and-emergency-incident"
    insurers = (
        "Insurers count the cost of a stormy year",
        "A string of storms and earthquakes made the year the most expensive on record for "
        "insurers, whose claims rose to 42 billion dollars. Shares in the largest insurers fell "
        "as analysts cut their profit forecasts.",
    )
    assert assign_topics(*insurers, (), vocab)[0].id == "economy-business-and-finance"


def test_hyphenated_words_count_as_their_parts_for_learned_evidence() -> None:
    # tools/topic_expand.py learned words from text split at hyphens.
    vocab = default_vocabulary()
    joined = assign_topics("Flood-hit towns", "The flood-hit towns wait for aid.", (), vocab)
    apart = assign_topics("Flood hit towns", "The flood hit towns wait for aid.", (), vocab)
    assert [(t.id, t.score) for t in joined] == [(t.id, t.score) for t in apart]


def test_a_dotted_abbreviation_is_the_name_it_spells() -> None:
    topics = assign_topics(
        "Proposal rejected", "The N.H.L. said no on Friday.", (), default_vocabulary(),
        use_learned=False,
    )  # fmt: skip
    assert [t.id for t in topics] == ["sport"]


def test_a_compound_counts_its_later_parts_too() -> None:
    vocab = default_vocabulary()
    rebel = assign_topics("Pro-rebel town", "A pro-rebel town.", (), vocab, use_learned=False)
    assert rebel[0].id == "conflict-war-and-peace"
    smuggling = assign_topics("Anti-smuggling drive", "It began.", (), vocab, use_learned=False)
    assert smuggling[0].id == "crime-law-and-justice"


def test_the_strongest_subject_takes_the_lead_from_a_way_of_telling() -> None:
    # An awards story about a video game: arts are how it is told; of the subjects holding
    # half the arts' evidence (technology, and sport through "game" and "won"), the stronger.
    vocab = default_vocabulary()
    index = build_index(vocab)
    arts, sport, tech = (
        index.tops[t]
        for t in ("arts-culture-entertainment-and-media", "sport", "science-and-technology")
    )
    total = [0.0] * len(vocab.terms)
    total[arts], total[tech], total[sport] = 20.0, 18.0, 11.0
    tops = [arts, tech, sport]
    _lead_first(tops, total, vocab, index)
    assert tops == [tech, arts, sport]


def test_a_news_agency_credit_or_a_verb_is_no_media_story() -> None:
    # "press" names news agencies and is a verb ("ministers press for"), "show" a verb
    # ("figures show"): weak evidence for arts and media.
    topics = assign_topics(
        "Swimmer killed by shark off the coast (Northern Press)",
        "A swimmer was killed by a shark near a popular beach on Sunday, rescuers said. "
        "Lifeguards pulled the man from the water but he died at the scene.",
        (),
        default_vocabulary(),
    )
    leads = [t.id for t in topics if "/" not in t.id][:2]
    assert "arts-culture-entertainment-and-media" not in leads


def test_a_tax_bill_is_economy_news_first() -> None:
    topics = assign_topics(
        "President signs tax bill",
        "The president signed into law the widest rewrite of the tax code in two decades, "
        "cutting taxes for manufacturers and exporters.",
        (),
        default_vocabulary(),
    )
    assert topics[0].id == "economy-business-and-finance"
