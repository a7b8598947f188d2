"""The lines of a page copy that may be its headline, each with its features, read against
the article body the line models found."""

from __future__ import annotations

import re

from generator.ingest.webcopy.lines import Features, Page, bucket

REACH = 16
"""How far above the body's start a headline is looked for, in lines (a run of short lines
counting one)."""
_MAX_WORDS = 40
_MAX_CHARS = 300
_ECHO = 6
_LEAD_WORDS = 40
_CONTACT = re.compile(r"\w@\w|https?://|\bwww\.|\+\d[\d ]{6,}")
_AROUND_KEYS = ("by", "month", "time", "hlike", "end.stop", "w0", "w1", "kind.debris")


def body_start(page: Page, body: list[float]) -> int:
    """The first line of the body: of its first stretch that weighs (by length and
    probability) at least a third of its largest (a 'Related' box may split the body)."""
    spans: list[tuple[int, float]] = []
    start, weight, gap = None, 0.0, 0
    for index, p in enumerate([*body, 0.0]):
        if p >= 0.4 and index < len(page.lines):
            if start is None:
                start, weight = index, 0.0
            weight += len(page.lines[index]) * p
            gap = 0
            continue
        gap += 1
        if start is not None and (gap > 3 or index == len(page.lines)):
            spans.append((start, weight))
            start = None
    if not spans:
        return 0
    heaviest = max(weight for _start, weight in spans)
    return next(start for start, weight in spans if weight >= heaviest / 3)


def candidates(page: Page, body: list[float], head: list[float]) -> list[tuple[int, Features]]:
    """Each line near the body's start that could be the headline, with its features, in
    page order."""
    lines, shapes = page.lines, page.shapes
    start = body_start(page, body)
    body_words: set[str] = set()
    lead_words: set[str] = set()
    for index in range(start, len(lines)):
        if body[index] >= 0.4:
            if len(lead_words) < _LEAD_WORDS:
                lead_words |= page.words[index]
            body_words |= page.words[index]
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.lower()] = counts.get(line.lower(), 0) + 1
    longest = max(
        (len(lines[i]) for i in range(max(0, start - 8), min(start + 1, len(lines)))), default=0
    )
    runs = _short_runs(page)
    found: list[tuple[int, Features]] = []
    rank = units = 0
    after_menu = False
    for index in range(min(start + 2, len(lines) - 1), -1, -1):
        # Distance in units: a run of short lines (a menu, a list of car makes) counts as one.
        if index < start and not (
            runs[index] >= 3 and index + 1 < len(lines) and shapes[index + 1].short
        ):
            units += 1
        if units > REACH:
            break
        line, line_shape = lines[index], shapes[index]
        if (
            not 2 <= line_shape.words <= _MAX_WORDS
            or len(line) > _MAX_CHARS
            or _furniture(page, index)
        ):
            continue
        rank += line_shape.headline_like
        f = dict(page.own[index])
        distance = start - index
        f["d" + ("-" if distance <= 0 else str(bucket(distance, (2, 3, 4, 6, 9, 16))))] = 1.0
        f[f"u{bucket(units, (2, 3, 4, 6, 9, 16))}"] = 1.0
        if index > 0 and runs[index - 1] >= 3:
            f["aftermenu"] = 1.0
            if line_shape.headline_like and not after_menu:
                f["firstaftermenu"] = 1.0
                after_menu = True
        f[f"rank{min(rank, 4)}"] = 1.0
        if index == 0:
            f["first"] = 1.0
        words = page.words[index]
        if words:
            f[f"inbody{bucket(len(words & body_words) / len(words), (0.2, 0.4, 0.6, 0.8))}"] = 1.0
            f[f"inlead{bucket(len(words & lead_words) / len(words), (0.2, 0.4, 0.6))}"] = 1.0
        f[f"ph{bucket(head[index], (0.05, 0.2, 0.5, 0.8))}"] = 1.0
        f[f"pb{bucket(body[index], (0.2, 0.5, 0.8))}"] = 1.0
        if counts[line.lower()] > 1:
            f["repeated"] = 1.0
            near = lines[max(0, index - _ECHO) : index] + lines[index + 1 : index + 1 + _ECHO]
            if line.lower() in (n.lower() for n in near):
                f["echo"] = 1.0  # the headline again, in a breadcrumb or a share line
        if len(line) == longest and distance > 0:
            f["longest"] = 1.0
        above = runs[index - 1] if index > 0 else 0
        f[f"menu{bucket(above, (1, 3, 6))}"] = 1.0
        if _meta_near(page, index + 1, index + 4):
            f["meta_after"] = 1.0
        if _meta_near(page, index - 3, index):
            f["meta_before"] = 1.0
        for offset in (-1, 1):
            j = index + offset
            if 0 <= j < len(lines):
                for key in _AROUND_KEYS:
                    if key in page.own[j]:
                        f[f"{offset}:{key}"] = 1.0
        found.append((index, f))
    found.reverse()
    return found


def _furniture(page: Page, index: int) -> bool:
    """True for a line no headline is: a byline, an address to write to."""
    return "by" in page.own[index] or bool(_CONTACT.search(page.lines[index]))


def _meta_near(page: Page, lo: int, hi: int) -> bool:
    """True when a line in [lo, hi) looks like a byline or a date stamp."""
    for j in range(max(0, lo), min(len(page.lines), hi)):
        if page.shapes[j].words <= 15:
            own = page.own[j]
            if "by" in own or "month" in own or "time" in own:
                return True
    return False


def _short_runs(page: Page) -> list[int]:
    """For each line, the length of the run of short lines it ends (0 for a longer line)."""
    runs = [0] * len(page.lines)
    for index, line_shape in enumerate(page.shapes):
        if line_shape.short:
            runs[index] = (runs[index - 1] if index else 0) + 1
    return runs
