"""The outlet a whole-page copy comes from, as its furniture names it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from generator.ingest import debris

# A site named as its domain ('Cleveland.com', 'POLYGRAPH.info'): the surest name a page gives.
_DOMAIN = re.compile(
    r"(?<![\w.@/])[A-Za-z][A-Za-z0-9-]{1,40}\.(?:com|net|org|info|co\.uk|co|in|ca|it|ru|kr)(?![\w.])"
)
_COPYRIGHT = re.compile(
    r"(?i)(?:©|\(c\)|ⓒ|copyright)(?:\s*(?:©|\(c\)|ⓒ|copyright))*[\s:]*"
    r"(?:\d{4}(?:\s*[-–]\s*(?:\d{4})?)?[\s,]*)?(?P<holder>[^|·•©]{2,80}?)"
    r"(?:\s*(?:[,.]?\s*all rights reserved|[,.]\s|\s[|·•-]\s|$|\.$|,?\s*\d{4}))"
)
# What follows a name in a copyright notice without being part of it.
_LEGAL = re.compile(
    r"(?i)(?:[\s,&]+(?:inc|llc|ltd|limited|plc|corp|corporation|company|co|gmbh|s\.?a|pty|"
    r"private|pvt|l\.?p)\.?|\s*[,&])$"
)
_MAX_WORDS = 5
_MIN_DOMAIN_LINES = 2


def find_outlet(lines: Sequence[str], furniture: Sequence[bool]) -> str | None:
    """The outlet's name: the holder of the page's copyright notice (in the furniture, the
    lines outside the article), else a domain the furniture names twice or more, else None."""
    holder = _copyright_holder(lines, furniture)
    if holder is not None:
        return holder
    domains: Counter[str] = Counter()
    for line, outside in zip(lines, furniture, strict=True):
        if outside and len(line) <= 200:
            domains.update({m[0] for m in _DOMAIN.finditer(line)})
    named = [d for d, n in domains.most_common() if n >= _MIN_DOMAIN_LINES]
    return named[0] if named else None


def _copyright_holder(lines: Sequence[str], furniture: Sequence[bool]) -> str | None:
    """The holder a copyright notice in the furniture names ('© 2019 X Inc. All rights
    reserved'), the lowest notice on the page first, without its legal suffix."""
    for index in range(len(lines) - 1, -1, -1):
        if not furniture[index] or len(lines[index]) > 400:
            continue
        match = _COPYRIGHT.search(lines[index])
        if match is None:
            continue
        if debris.photo_credit(lines[index]) is not None:
            continue  # a photo's credit ('© Reuters / Pool'), not the page's notice
        holder = re.sub(r"(?i)^copyright\s+", "", match["holder"].strip(" .,:;"))
        if debris.agencies_in(holder):
            continue  # a wire story's notice: the agency is credited, the outlet is another
        while (trimmed := _LEGAL.sub("", holder).strip(" .,")) != holder:
            holder = trimmed
        if holder[:1].isupper() and len(holder.split()) <= _MAX_WORDS:
            return holder
    return None
