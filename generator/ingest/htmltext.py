"""Plain text from HTML with lxml: block elements become lines, page furniture is dropped."""

from __future__ import annotations

import re
from itertools import islice

# lxml ships no type stubs; the override keeps mypy quiet with or without lxml-stubs.
import lxml.etree  # type: ignore[import-untyped,unused-ignore]
import lxml.html  # type: ignore[import-untyped,unused-ignore]

MAX_TAG_ATTRIBUTES = 100
"""Attributes kept of one tag; the rest are dropped before any parser sees the markup.
lxml's parse and trafilatura's date search take time growing with the square of a tag's
attributes: one tag of 100,000 (1.1 MB) took a minute."""
# A start tag long enough to hold more than MAX_TAG_ATTRIBUTES attributes (each takes two
# characters at least): only those are looked at. `[^<>]` keeps the search linear.
_LONG_TAG = re.compile(rf"<([A-Za-z][^\s/<>]*)([^<>]{{{2 * MAX_TAG_ATTRIBUTES},}})")
# lxml refuses characters XML cannot hold (in parsing, and in text it sets while dropping a
# tag); a page has no use for them either.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE = re.compile(r"""\s*[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>]*))?""")

_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "nav", "header", "footer", "aside", "form", "button", "select", "figure", "figcaption",
    "head", "title", "meta", "link",
)  # fmt: skip
_BLOCKS = frozenset(
    ("p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
     "h6", "blockquote", "pre", "tr", "table", "dd", "dt", "dl", "address", "hr", "td", "th")
)  # fmt: skip


def bound_tags(markup: str) -> tuple[str, int]:
    """The markup with every tag cut to its first MAX_TAG_ATTRIBUTES attributes and the
    characters lxml refuses removed, and how many tags were cut."""
    markup = _NOT_XML.sub("", markup)
    cut = 0

    def shorten(m: re.Match[str]) -> str:
        nonlocal cut
        attributes = _ATTRIBUTE.finditer(m.group(2))
        kept = [a.group() for a in islice(attributes, MAX_TAG_ATTRIBUTES)]
        if next(attributes, None) is None:
            return m.group()
        cut += 1
        return f"<{m.group(1)}{''.join(kept)}"

    return _LONG_TAG.sub(shorten, markup), cut


def parse_html(markup: str) -> lxml.html.HtmlElement | None:
    """Parse HTML leniently (tags bounded: bound_tags); None when nothing can be parsed."""
    markup, _ = bound_tags(markup)
    if not markup.strip():
        return None
    try:
        return lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an XML tree may not hold."""


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment or page, one block per line."""
    root = parse_html(markup)
    if root is None:
        return ""
    body = root.find("body")
    return element_text(body if body is not None else root)


def element_text(element: lxml.html.HtmlElement) -> str:
    """The visible text of an element (the element is modified: parse a fresh tree)."""
    for node in element.iter():
        # lxml parses '&#11;' into a text it will not take back when a dropped element's
        # tail joins its neighbour's: such characters go first.
        if node.text and _NOT_XML.search(node.text):
            node.text = _NOT_XML.sub("", node.text)
        if node.tail and _NOT_XML.search(node.tail):
            node.tail = _NOT_XML.sub("", node.tail)
    for dropped in list(element.iter(*_DROP)):
        if dropped is not element:
            dropped.drop_tree()
    for node in element.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        if node.tag == "br":
            node.tail = "\n" + (node.tail or "")
        elif node.tag in _BLOCKS:
            node.text = "\n" + (node.text or "")
            node.tail = "\n" + (node.tail or "")
    text: str = element.text_content()
    return text


def page_meta(root: lxml.html.HtmlElement, *names: str) -> str | None:
    """The first non-empty <meta property|name=...> content among `names`."""
    for name in names:
        for value in root.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            text = " ".join(str(value).split())
            if text:
                return text
    return None


def page_title(root: lxml.html.HtmlElement) -> str | None:
    """The page's headline: og:title, then the first h1, then <title>."""
    for xpath in ('//meta[@property="og:title"]/@content', "//h1", "//title"):
        found = root.xpath(xpath)
        if found:
            first = found[0]
            text = first if isinstance(first, str) else first.text_content()
            text = " ".join(str(text).split())
            if text:
                return text
    return None
