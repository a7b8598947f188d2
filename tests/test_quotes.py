"""Quotes and their speakers, on short texts written for the tests."""

from __future__ import annotations

from generator.extract.pipeline import extract
from generator.model import Article, Quote


def _quotes(body: str, title: str = "A test story") -> tuple[Quote, ...]:
    article = Article(title=title, body=body, file="t.txt", sha256="0")
    return extract(article).quotes


def test_quote_split_by_its_attribution_is_one_quote_of_that_speaker() -> None:
    body = (
        "Finance Minister Maria Lopez spoke in Madrid on Monday.\n\n"
        "“We will not raise taxes this year,” she said. “The budget is balanced.”"
    )
    assert _quotes(body) == (
        Quote("Maria Lopez", "We will not raise taxes this year. The budget is balanced."),
    )


def test_split_quote_mid_sentence_keeps_its_comma() -> None:
    body = (
        "Mayor Anna Berg opened the bridge.\n\n"
        "“If the repairs had waited,” Ms Berg said, “the river would have closed the road.”"
    )
    assert _quotes(body) == (
        Quote("Anna Berg", "If the repairs had waited, the river would have closed the road."),
    )


def test_pronoun_speaker_is_the_last_person_named_before() -> None:
    body = (
        "The union leader, Tom Harris, met the company's board on Tuesday.\n\n"
        "He added that “nobody will accept a pay cut while profits are rising”."
    )
    quotes = _quotes(body)
    assert [q.speaker for q in quotes] == ["Tom Harris"]


def test_speaker_before_with_warned_that() -> None:
    body = (
        "Talks resumed in Geneva.\n\n"
        "On tariffs, Mr Peter Novak warned that “a trade war helps nobody at all”."
    )
    assert [q.speaker for q in _quotes(body)] == ["Peter Novak"]


def test_speaker_after_the_quote_with_apposition() -> None:
    body = (
        '"The results show the treatment works for most patients," said Dr Helen Wu, '
        "the head of research at the hospital."
    )
    assert [q.speaker for q in _quotes(body)] == ["Helen Wu"]


def test_scare_quote_without_speaker_is_not_a_quote() -> None:
    body = (
        "The plan was described in the report as a “bold step” for the city.\n\n"
        "Critics called the scheme a “white elephant” that nobody would use."
    )
    assert _quotes(body) == ()


def test_a_phrase_quoted_with_a_named_speaker_is_still_no_quote() -> None:
    """Issue 23: two or three words inside a sentence are not a quote, speaker or not; four
    words or more are a partial quote of the speaker."""
    body = (
        "Professor Karen Holt, an adviser to the government, has said the country is now "
        "treated as an “equal partner” by its neighbours."
    )
    assert _quotes(body) == ()
    longer = body.replace("“equal partner”", "“an equal and trusted partner”")
    assert _quotes(longer) == (Quote("Karen Holt", "an equal and trusted partner"),)


def test_multi_paragraph_quote_continues_into_the_next_paragraph() -> None:
    body = (
        "Coach Sam Reed spoke after the match.\n\n"
        "“We played well in the first half and deserved the lead.\n\n"
        "“After the break we lost our shape and they punished us,” Reed said."
    )
    quotes = _quotes(body)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Sam Reed"
    assert quotes[0].text.startswith("We played well")
    assert quotes[0].text.endswith("punished us")


def test_apposition_before_the_verb_names_the_person() -> None:
    body = (
        "Anna Kowalski, the head of the Warsaw Stock Exchange, said: "
        "“Trading volumes have doubled since the reform came in.”"
    )
    assert [q.speaker for q in _quotes(body)] == ["Anna Kowalski"]


def test_an_organization_can_speak() -> None:
    body = (
        "The Ministry of Health published new figures on Friday.\n\n"
        "“Waiting times have fallen in every region for the third month,” the ministry said."
    )
    assert [q.speaker for q in _quotes(body)] == ["Ministry of Health"]


def test_a_possessive_is_not_the_speaker() -> None:
    body = (
        "Lord Fenwick died on Sunday.\n\n"
        "Lord Fenwick's nephew Daniel Ashby said the family would miss him and called him "
        "“a kind and patient man”."
    )
    assert [q.speaker for q in _quotes(body)] == ["Daniel Ashby"]


def test_a_short_phrase_quoted_inside_a_sentence_is_no_quote() -> None:
    body = (
        "Coach Ann Vale spoke after training.\n\n"
        'Ms Vale said the striker had only a "slim chance" of playing, calling it "bad luck".\n\n'
        '"We will manage without him," said Ms Vale.'
    )
    assert _quotes(body) == (Quote("Ann Vale", "We will manage without him"),)


def test_a_short_quote_that_is_a_whole_sentence_stays() -> None:
    body = 'Runner Kim Lee won the final.\n\n"It\'s awesome," said Lee.'
    assert [q.speaker for q in _quotes(body)] == ["Kim Lee"]


def test_the_subject_is_the_clause_before_the_verb() -> None:
    body = (
        "Minister Ross Hale met students.\n\n"
        "In answer to a question from student Jo Dunne about his record, Mr Hale said "
        'talking was the only answer. "You have to face it and talk to people about it."'
    )
    assert [q.speaker for q in _quotes(body)] == ["Ross Hale"]


def test_a_relative_clause_is_not_the_subject() -> None:
    body = (
        "Trader Max Bell, who worked with Lena Roth, said: "
        '"Markets will fall before they rise again this year."'
    )
    assert [q.speaker for q in _quotes(body)] == ["Max Bell"]


def test_a_participle_speaks_for_the_sentence_subject() -> None:
    body = (
        "Minister Ross Hale spoke in Leeds.\n\n"
        "He denied there was any plan to close the plant, saying: "
        '"Sometimes people say things that are simply not true."'
    )
    assert [q.speaker for q in _quotes(body)] == ["Ross Hale"]


def test_a_generic_subject_after_the_verb_is_resolved() -> None:
    body = (
        "Security firm Norvale Systems unveiled a new lock on Monday.\n\n"
        '"The lock is designed to stop most attacks on the doors," said the firm.'
    )
    assert [q.speaker for q in _quotes(body)] == ["Norvale Systems"]


def test_he_added_goes_to_the_last_speaker_named_nearby() -> None:
    body = (  # "Marsh" comes after another person in the nearest sentence naming people
        'Striker Tom Marsh said: "I am happy to be back in the team again."\n\n'
        "Rovers scored twice before the break. The hosts hit the post late on. The crowd "
        "of 20,000 stayed to the end. Victory, sealed by keeper Sam Ode, took Rovers to "
        "within six points of the leaders and Marsh is confident they can close the gap. He added: "
        '"We had several chances and I think we can get back in touch."'
    )
    assert [q.speaker for q in _quotes(body)] == ["Tom Marsh", "Tom Marsh"]


def test_a_pronoun_skips_a_person_whose_title_tells_the_other_gender() -> None:
    body = (
        "Ms Ann Cole chairs the board.\n\n"
        "The board met Mr Bo Reed on Monday. She said: "
        '"We will not sell the company to anyone this year."'
    )
    assert [q.speaker for q in _quotes(body)] == ["Ann Cole"]
