"""Character references are decoded once at ingest, by every reader, before extraction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.ingest import read_articles
from generator.ingest.charrefs import decode_references

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BBC = SHARED / "corpus" / "bbc"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a cost of &#163;1.8m", "a cost of £1.8m"),
        ("Pascal Pap&#233; (Bourgoin)", "Pascal Papé (Bourgoin)"),
        ("S&#227;o Paulo", "São Paulo"),
        ("caf&#xE9; and caf&eacute;", "café and café"),
        ("&amp;#163;5 twice escaped", "£5 twice escaped"),
        ("Mr Blair&#191;s government", "Mr Blair's government"),
        ("¿Qué pasa? said Ana", "¿Qué pasa? said Ana"),
        ("cut at S&#", "cut at S"),
        ("cut at Blair&#19 here", "cut at Blair here"),
        ("M&S and AT&T and B&Q", "M&S and AT&T and B&Q"),
        ("Marks&notes stays", "Marks&notes stays"),
        ("a &#0; null", "a  null"),
        ("&#146;smart quote&#148;", "’smart quote”"),
    ],
)
def test_references_are_decoded(raw: str, clean: str) -> None:
    assert decode_references(raw) == clean


def test_decoding_is_idempotent_on_clean_text() -> None:
    text = "£1.8m, São Paulo, AT&T & friends; 5 < 6"
    assert decode_references(text) == text
    assert decode_references(decode_references("&amp;lt;")) == "<"


def test_every_reader_decodes(tmp_path: Path) -> None:
    body = "The deal, worth &#163;1.8m, was signed in S&#227;o Paulo by Jos&#233; Silva."
    (tmp_path / "a.txt").write_text(f"Caf&#233; deal\n\n{body}\n", encoding="utf-8")
    entry = {"title": "Caf&#233; deal", "text": body, "date": "2024-01-02"}
    (tmp_path / "b.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    page = "<html><head><title>Caf&amp;#233; deal</title></head><body><h1>Caf&amp;#233; deal</h1>"
    page += f"<article><p>{body.replace('&', '&amp;')}</p><p>{body}</p></article></body></html>"
    (tmp_path / "c.html").write_text(page, encoding="utf-8")
    for name in ("a.txt", "b.jsonl", "c.html"):
        (article,) = read_articles(tmp_path / name)
        assert "&#" not in article.title + article.body, name
        assert "£1.8m" in article.body and "São Paulo" in article.body, name


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpus/bbc")
def test_no_reference_survives_ingest_of_the_bbc_files() -> None:
    paths = [p for p in sorted(BBC.glob("*.txt")) if "&#" in p.read_bytes().decode("latin-1")]
    assert len(paths) >= 10
    for path in paths:
        for article in read_articles(path):
            assert "&#" not in article.title + article.body, path.name
            assert "¿s" not in article.body, path.name


@pytest.mark.parametrize("code", [1, 11, 12, 31, 65534])
def test_a_control_character_reference_beside_dropped_markup_is_no_crash(code: int) -> None:
    from generator.ingest.htmltext import element_text, parse_html

    root = parse_html(f"<div><p><noscript>x</noscript>&#{code};b</p><script>1</script>c</div>")
    assert root is not None
    assert element_text(root).split() == ["b", "c"]
