"""Each line of a page copy judged among the others: the two line models' features."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from generator.ingest.webcopy.lines import PROSE_WORDS, WORD, Features, LineShape, Page, bucket

_WINDOW = 4
_WIDE_WINDOW = 12


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags it belongs to."""
    runs = [0] * len(flags)
    start = 0
    for index in range(1, len(flags) + 1):
        if index == len(flags) or flags[index] != flags[start]:
            for j in range(start, index):
                runs[j] = index - start
            start = index
    return runs


def _main_block(shapes: list[LineShape]) -> tuple[int, int]:
    """The stretch of lines with the most prose in it (a maximum-sum run: prose characters
    count for it, other lines against it), as (first, last) line indexes."""
    best, best_span = 0.0, (0, len(shapes) - 1)
    total, start = 0.0, 0
    for index, s in enumerate(shapes):
        gain = s.chars if s.prose else (s.chars * 0.3 if s.words >= PROSE_WORDS else -40.0)
        if total + gain < 0:
            total, start = 0.0, index + 1
            continue
        total += gain
        if total > best:
            best, best_span = total, (start, index)
    return best_span


def _lead_overlap(lines: list[str], shapes: list[LineShape], index: int) -> float:
    """Share of a line's content words found in the next prose lines (a headline's are)."""
    own = {w.lower() for w in WORD.findall(lines[index]) if len(w) > 3}
    if not own:
        return 0.0
    following: set[str] = set()
    seen = 0
    for j in range(index + 1, min(len(lines), index + 15)):
        if shapes[j].prose:
            following.update(w.lower() for w in WORD.findall(lines[j]))
            seen += 1
            if seen == 3:
                break
    return len(own & following) / len(own)


def coherence(words: list[set[str]], weights: Sequence[float]) -> list[float]:
    """For each line, the share of its words that the rest of the weighted text also uses:
    paragraphs of one article share their names and subject, menus and teasers for other
    stories do not."""
    totals: dict[str, float] = {}
    for own, weight in zip(words, weights, strict=True):
        for word in own:
            totals[word] = totals.get(word, 0.0) + weight
    shares = []
    for own, weight in zip(words, weights, strict=True):
        if not own:
            shares.append(0.0)
            continue
        shared = sum(1 for word in own if totals[word] - weight >= 0.5)
        shares.append(shared / len(own))
    return shares


def _relative(distance: int) -> str:
    """A signed distance in lines, bucketed."""
    sign = "-" if distance < 0 else "+"
    return sign + str(bucket(abs(distance), (1, 2, 3, 5, 9, 20)))


def page_features(page: Page) -> list[Features]:
    """The first model's features of every line: its own, and how it sits among the others."""
    lines, gaps, shapes, own, words = page.lines, page.gaps, page.shapes, page.own, page.words
    count = len(lines)
    counts = Counter(line.lower() for line in lines)
    short_runs = _run_lengths([s.short for s in shapes])
    prose = [s.prose for s in shapes]
    prefix = [0]
    for flag in prose:
        prefix.append(prefix[-1] + flag)

    def prose_in(lo: int, hi: int) -> int:
        lo, hi = max(0, lo), min(count, hi)
        return prefix[hi] - prefix[lo] if hi > lo else 0

    first, last = _main_block(shapes)
    total_prose = prefix[-1]
    shared = coherence(
        words, [1.0 if first <= i <= last and s.prose else 0.0 for i, s in enumerate(shapes)]
    )
    stamped = [
        ("time" in f or "month" in f) and s.words <= 12 for f, s in zip(own, shapes, strict=True)
    ]
    stamp_prefix = [0]
    for flag in stamped:
        stamp_prefix.append(stamp_prefix[-1] + flag)
    enders = [("kind.end" in f or "kind.trailer" in f) for f in own]
    ends_above = 0
    result: list[Features] = []
    for index in range(count):
        f = dict(own[index])
        f[f"pos{bucket(index / max(1, count), (0.1, 0.25, 0.5, 0.75, 0.9))}"] = 1.0
        if index < 3:
            f["top"] = 1.0
        if index >= count - 3:
            f["bottom"] = 1.0
        before = gaps[index]
        after = index + 1 >= count or gaps[index + 1]
        f["gap" + "b" * before + "a" * after] = 1.0
        if counts[lines[index].lower()] > 1:
            f["repeated"] = 1.0
        if shapes[index].short:
            f[f"shortrun{bucket(short_runs[index], (2, 3, 5, 9))}"] = 1.0
        near = prose_in(index - _WINDOW, index) + prose_in(index + 1, index + 1 + _WINDOW)
        wide = prose_in(index - _WIDE_WINDOW, index + _WIDE_WINDOW + 1)
        f[f"near{bucket(near, (1, 2, 4, 6))}"] = 1.0
        f[f"wide{bucket(wide, (1, 3, 6, 10))}"] = 1.0
        f[f"before{bucket(prose_in(0, index), (1, 3, 10))}"] = 1.0
        f[f"after{bucket(total_prose - prose_in(0, index + 1), (1, 3, 10))}"] = 1.0
        if first <= index <= last:
            f["main"] = 1.0
        elif index < first:
            f["main" + _relative(index - first)] = 1.0
        else:
            f["main" + _relative(index - last)] = 1.0
        lo, hi = max(0, index - 8), min(count, index + 9)
        stamps = stamp_prefix[hi] - stamp_prefix[lo] - stamped[index]
        f[f"stamps{bucket(stamps, (1, 2, 4))}"] = 1.0
        f[f"ends{bucket(ends_above, (1, 2, 4))}"] = 1.0
        ends_above += enders[index]
        if words[index]:
            f[f"coh{bucket(shared[index], (0.1, 0.3, 0.5, 0.7))}"] = 1.0
        if shapes[index].headline_like:
            overlap = _lead_overlap(lines, shapes, index)
            f[f"lead{bucket(overlap, (0.01, 0.2, 0.4, 0.6))}"] = 1.0
        result.append(f)
    # The neighbours' own shapes, so a line is read with the ones around it.
    for index in range(count):
        f = result[index]
        for offset in (-2, -1, 1, 2):
            j = index + offset
            if not 0 <= j < count:
                f[f"{offset}:none"] = 1.0
                continue
            for name in _NEIGHBOUR_KEYS:
                if name in own[j]:
                    f[f"{offset}:{name}"] = 1.0
            f[f"{offset}:w{bucket(shapes[j].words, (3, 7, 13, 25))}"] = 1.0
    return result


_NEIGHBOUR_KEYS = (
    "end.stop", "end.colon", "hlike", "by", "month", "time", "allcaps", "start.lower",
    "kind.debris", "kind.trailer", "kind.end", "kind.date", "kind.byline", "copyright",
)  # fmt: skip


def _segments(flags: list[bool], gap: int) -> list[tuple[int, int]]:
    """Runs of set flags, joined across at most `gap` unset ones, as (first, last)."""
    spans: list[tuple[int, int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if spans and index - spans[-1][1] <= gap + 1:
            spans[-1] = (spans[-1][0], index)
        else:
            spans.append((index, index))
    return spans


def stacked_features(
    page: Page, first: list[Features], body: list[float], head: list[float]
) -> list[Features]:
    """Second-pass features: the first pass's features with what it made of the lines around
    (its body and headline probabilities, the body's largest stretch)."""
    lines, words = page.lines, page.words
    count = len(lines)
    prefix = [0.0]
    for p in body:
        prefix.append(prefix[-1] + p)

    def mean(lo: int, hi: int) -> float:
        lo, hi = max(0, lo), min(count, hi)
        return (prefix[hi] - prefix[lo]) / (hi - lo) if hi > lo else 0.0

    spans = _segments([p >= 0.4 for p in body], gap=3)
    weight = [sum(len(lines[i]) * body[i] for i in range(a, b + 1)) for a, b in spans]
    main = spans[max(range(len(spans)), key=weight.__getitem__)] if spans else (count, count)
    ranks = sorted(range(len(spans)), key=lambda i: -weight[i])
    rank_of = {spans[i]: r for r, i in enumerate(ranks)}
    best_head = max(range(count), key=head.__getitem__) if count else 0
    edges = (0.05, 0.2, 0.4, 0.6, 0.8, 0.95)
    shared = coherence(words, body)
    headline_words = words[best_head] if count else set()
    result: list[Features] = []
    for index in range(count):
        f = dict(first[index])
        f[f"pb{bucket(body[index], edges)}"] = 1.0
        f[f"ph{bucket(head[index], edges)}"] = 1.0
        for offset in (-2, -1, 1, 2):
            j = index + offset
            if 0 <= j < count:
                f[f"{offset}:pb{bucket(body[j], edges)}"] = 1.0
        f[f"m3_{bucket(mean(index - 3, index + 4), edges)}"] = 1.0
        f[f"m8_{bucket(mean(index - 8, index + 9), edges)}"] = 1.0
        f[f"mb_{bucket(mean(index - 10, index), edges)}"] = 1.0
        f[f"ma_{bucket(mean(index + 1, index + 11), edges)}"] = 1.0
        if main[0] <= index <= main[1]:
            f["inmain"] = 1.0
        elif index < main[0]:
            f["tomain" + _relative(index - main[0])] = 1.0
        else:
            f["frommain" + _relative(index - main[1])] = 1.0
        span = next((s for s in spans if s[0] <= index <= s[1]), None)
        if span is not None:
            f[f"spanrank{min(rank_of[span], 3)}"] = 1.0
        f["tohead" + _relative(index - best_head)] = 1.0
        if words[index]:
            f[f"coh2_{bucket(shared[index], (0.1, 0.3, 0.5, 0.7))}"] = 1.0
            if index != best_head:
                share = len(words[index] & headline_words) / len(words[index])
                f[f"hw{bucket(share, (0.01, 0.15, 0.3))}"] = 1.0
        result.append(f)
    return result
