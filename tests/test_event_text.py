"""An event's text is its sentence without the date phrase, and still a sentence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.extract.dates import _words
from generator.extract.events import extract_events
from generator.extract.sentences import split_sentences
from tests.conftest import SHARED

REF = dt.date(2005, 3, 1)
BBC = SHARED / "corpus" / "bbc"


def events_of(sentence: str) -> list[str]:
    """The event texts extract_events makes of one sentence."""
    return [e.text for e in extract_events(split_sentences(sentence), REF)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The date and the preposition that dates it come out; the rest stays as it was.
        ("The truce was reached on Oct 30 in South Korea.",
         "The truce was reached in South Korea."),
        ("The truce was reached in South Korea on Oct 30.",
         "The truce was reached in South Korea."),
        ("On Monday, the council approved the new budget.", "The council approved the new budget."),
        # A word that goes with the date goes with it.
        ("The ministers met late on Monday in Brussels.", "The ministers met in Brussels."),
        # A date in brackets takes its brackets along; a dash before the stop goes too.
        ("We can win the title at home (on 10 April), he said.",
         "We can win the title at home, he said."),
        ("The writers won their categories - novel and poetry - on 6 January.",
         "The writers won their categories - novel and poetry."),
        # A sentence opening with a conjunction keeps it, without a comma after it.
        ("But in September, the firm said its profits had fallen.",
         "But the firm said its profits had fallen."),
        ("Some investors sold, while on Thursday, the bank refused to comment.",
         "Some investors sold, while the bank refused to comment."),
        # A capital article is a name's word ("Group A"), and a number no day.
        ("The team qualified from Group A on Saturday.", "The team qualified from Group A."),
        ("Unemployment rose by 7,000 in November to 4.46 million.",
         "Unemployment rose by 7,000 to 4.46 million."),
        ('"On Monday we will vote," the leader said.', '"We will vote," the leader said.'),
    ],
)  # fmt: skip
def test_the_date_phrase_comes_out_cleanly(sentence: str, expected: str) -> None:
    assert events_of(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "Voters will go to the polls on the expected polling day of 5 May.",  # an object
        "The tour is badly hit by the tsunami of 26 December, which killed many.",
        "The concerts were held on a Thursday, then moved to the weekend.",  # an article's noun
        "The Indoors will be held in Madrid on 4-6 March.",  # a range
        "Paintings will go under the hammer in London on 22 and 23 June.",  # a list
        "Coach Woodward's squad will play Tests on 25 June, 2 and 9 July.",
        "The board discussed Sunday's announcement at length.",  # a possessive
        "A spokesman said the reports in the Sunday Times were wrong.",  # a name
        "The band promoted their second single, What Happens Tomorrow.",
        "The final is scheduled for Saturday.",
        "The new laws, due to be phased in next month, could help.",
        "Figures rose again, but more slowly than in January.",
        "The festival starts in Miami, starting on 21 March.",
    ],
)
def test_no_event_when_the_date_cannot_come_out(sentence: str) -> None:
    assert events_of(sentence) == []


# ------------------------------------------------------------ the property

_WORD_RE = re.compile(r"[\w'’]+|[^\w\s]")
_NEEDS_OBJECT = frozenset(_words()["needs-object"])
_CONJUNCTIONS = frozenset(_words()["conjunction"])
_OPENS = frozenset("-–—(")
_STOPS = frozenset(".,;:!?)…")


def _tokens(text: str) -> list[str]:
    """Words (a capitalized one names something: "Group A") and punctuation marks."""
    return _WORD_RE.findall(text)


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    """Adjacent tokens, the end of the text as ''."""
    return set(zip(tokens, [*tokens[1:], ""], strict=True))


def _mark(token: str) -> str:
    """A token lower-cased, every stop and the end as '.'."""
    return "." if token in _STOPS or not token else token.lower()


def broken_joins(sentence: str, event: str) -> list[tuple[str, str]]:
    """Pairs of tokens the event has and its sentence does not, where a word is left without
    what must follow it: a preposition or article before a stop, the end or another such
    word; a conjunction, bracket or dash before a stop or the end."""
    bad = []
    # A clause cut at a comma ends with a stop: a comma and a stop are one mark here.
    old = {(w.lower(), _mark(n)) for w, n in _pairs(_tokens(sentence))}
    new = {(w, _mark(n)) for w, n in _pairs(_tokens(event)) if w.islower() or w in _OPENS}
    for word, nxt in new - old:
        ends = nxt == "."
        hangs = ends or nxt in _NEEDS_OBJECT | _CONJUNCTIONS
        if (word in _NEEDS_OBJECT and hangs) or (word in _CONJUNCTIONS | _OPENS and ends):
            bad.append((word, nxt))
    return bad


def is_subsequence(event: str, sentence: str) -> bool:
    """Whether the event's words are the sentence's, in order (words only come out)."""
    words = iter(re.findall(r"[\w'’]+", sentence.lower()))
    return all(w in words for w in re.findall(r"[\w'’]+", event.lower()))


def check_events(sentence: str) -> None:
    """Every event of `sentence` is well formed."""
    for text in events_of(sentence):
        assert is_subsequence(text, sentence), (sentence, text)
        assert not broken_joins(sentence, text), (sentence, text, broken_joins(sentence, text))
        assert "  " not in text and not re.search(r"\s[,.;:!?]", text), (sentence, text)
        assert not text[:1].islower() or sentence[:1].islower(), (sentence, text)
        if sentence.count("(") == sentence.count(")"):
            assert text.count("(") == text.count(")"), (sentence, text)
        assert text.rstrip("\"'”’)")[-1:] in ".!?…", (sentence, text)


_SUBJECTS = ["The council", "Ministers from both sides", "The company", "Mr Brown", "Police"]
_VERBS = ["approved the plan", "met", "said prices would rise", "resigned", "signed a deal"]
_DATES = [
    "on Monday", "on 3 May", "in March", "yesterday", "last Tuesday", "on Oct 30", "late on Friday",
    "on 4-6 March", "on 20 and 21 August", "(on 10 April)", "of 5 May", "for Saturday",
    "on a Sunday", "earlier this month", "on Sunday's", "- on 6 January -", "in March 2004",
    "between 6 and 12 December", "on Monday and Tuesday", "by the end of next month",
]  # fmt: skip
_RESTS = ["", " in South Korea", ", officials said", " after long talks", " and left", " with the"]


@st.composite
def dated_sentences(draw: st.DrawFn) -> str:
    """A short news sentence with a date phrase at its start, middle or end."""
    subject, verb = draw(st.sampled_from(_SUBJECTS)), draw(st.sampled_from(_VERBS))
    date, rest = draw(st.sampled_from(_DATES)), draw(st.sampled_from(_RESTS))
    where = draw(st.sampled_from(["start", "middle", "end"]))
    if where == "start":
        return f"{date[0].upper()}{date[1:]}, {subject[0].lower()}{subject[1:]} {verb}{rest}."
    if where == "middle":
        return f"{subject} {date} {verb}{rest}."
    return f"{subject} {verb}{rest} {date}."


@settings(max_examples=400, deadline=None)
@given(sentence=dated_sentences())
def test_written_sentences_keep_their_grammar(sentence: str) -> None:
    check_events(sentence)


def _bbc_sentences() -> Iterator[str]:
    """Every sentence of the BBC corpus."""
    for path in sorted(BBC.glob("*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        for sentence in split_sentences(text.partition("\n")[2]):
            yield sentence.text


def test_bbc_event_sentences_keep_their_grammar() -> None:
    if not BBC.is_dir():
        pytest.skip("../shared/corpus/bbc is not present")
    made = 0
    for sentence in _bbc_sentences():
        check_events(sentence)
        made += len(events_of(sentence))
    assert made > 1000  # the corpus has thousands of dated sentences


def test_a_long_event_is_cut_at_a_word_that_can_end_it() -> None:
    sentence = (
        "The court ruled on Monday that the detentions discriminated on the ground of "
        + "nationality or status and the rights of those held " * 3
        + "were broken."
    )
    (text,) = events_of(sentence)
    assert len(text) <= 200 and text.endswith("…")
    assert text[:-1].split()[-1] not in _NEEDS_OBJECT | _CONJUNCTIONS


def test_a_long_event_is_never_cut_inside_brackets() -> None:
    sentence = (
        "Russian papers have long claimed that the little known buyer of the oil unit sold "
        "at the state auction for $9.4bn (261bn roubles, £4.8bn) has strong links with a "
        "rival producer that denied the claim on Monday in a short statement to reporters, "
        "saying it had no ties of any kind."
    )
    (text,) = events_of(sentence)
    assert text.count("(") == text.count(")")
