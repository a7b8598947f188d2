"""Article Markdown -> HTML: raw HTML shown as text, unsafe links dropped, time bounded."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from generator.briefing_md import MAX_MARKDOWN_CHARS

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape of ASCII punctuation (ingest escapes `*`, `_`, `[`, `<`...)."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _validate_link(url: str) -> bool:
    """Only web, mail and relative links survive: javascript:, data:, file: and the like drop."""
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True
    return lowered.startswith(_SAFE_SCHEMES)


def plain_paragraphs(text: str) -> str:
    """A body as plain text: a paragraph per block between blank lines, escaped, Markdown's
    backslash escapes undone (linear time, whatever the text holds)."""
    paragraphs = (_ESCAPED.sub(r"\1", block.strip()) for block in _BLANK_LINE.split(text))
    return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs if p)


def make_markdown() -> Callable[[str], str]:
    """Article Markdown -> HTML: raw HTML shown as text, headings below the page title; a
    body over MAX_MARKDOWN_CHARS (the loader warns of it) as plain paragraphs."""
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]

    def render(text: str) -> str:
        """HTML of one article body."""
        if len(text) > MAX_MARKDOWN_CHARS:
            return plain_paragraphs(text)
        tokens = md.parse(text)
        for tok in tokens:
            # The page title is the only h1; article headings start at h2.
            if tok.type in ("heading_open", "heading_close") and tok.tag in ("h1", "h2", "h3"):
                tok.tag = f"h{int(tok.tag[1]) + 1}"
        rendered: str = md.renderer.render(tokens, md.options, {})
        return rendered

    return render
