"""A briefing file's YAML front matter -> plain data, every bad value an InputError with its line.

PyYAML raises more than YAMLError on hostile input: an impossible date (`2025-02-30`,
`T25:00`, an offset of 99 hours) or an integer over Python's 4,300-digit limit raises
ValueError while the value is made, and deep nesting (`[[[[...`, 50,000 levels) overflows
the C stack of the libyaml composer and kills the process. Here such a value is an error
with its line (found again only when a load failed: a good file pays nothing), and nesting
is bounded before the composer sees it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import InputError

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FRONT_MATTER = 1_000_000
"""Largest front matter read, in characters."""
MAX_NESTING = 100
"""Deepest nesting of lists and mappings allowed in front matter (the schema needs 3)."""
_OPENERS = 1_000
"""Below this many `[`, `{`, `- ` and `? ` (what opens a level without a new, more indented
line) nesting cannot come near what hurts, so the event walk is skipped (a briefing has
a few dozen; indentation alone bounds the depth of a 1 MB text to about 1,400)."""
_SHOWN = 40
"""How much of a bad value a message quotes."""

_FM_RE = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """(yaml text, body, line number where the body starts)."""
    if not text.strip():
        raise InputError("empty file (a briefing needs YAML front matter)", path, 1)
    m = _FM_RE.match(text)
    if not m:
        raise InputError("no YAML front matter (the file must start with a '---' line)", path, 1)
    yaml_text = m.group(1)
    if len(yaml_text) > MAX_FRONT_MATTER:
        raise InputError(f"front matter larger than {MAX_FRONT_MATTER} bytes", path, 1)
    body_line = text.count("\n", 0, m.end()) + 1
    return yaml_text, text[m.end() :], body_line


def _shown(value: object) -> str:
    """A value as a message quotes it: the start of a long one, and its length."""
    text = str(value)
    return repr(text) if len(text) <= _SHOWN else f"{text[:_SHOWN]!r}... ({len(text):,} characters)"


_CHECKED = {
    "tag:yaml.org,2002:timestamp": (
        "date",
        yaml.constructor.SafeConstructor.construct_yaml_timestamp,
    ),
    "tag:yaml.org,2002:int": ("number", yaml.constructor.SafeConstructor.construct_yaml_int),
    "tag:yaml.org,2002:float": ("number", yaml.constructor.SafeConstructor.construct_yaml_float),
}
"""The scalars whose making can raise ValueError, with what they are called in a message."""


def _bad_value(yaml_text: str) -> tuple[str, int | None] | None:
    """(message, line) of the first scalar that cannot be made, found by making each date and
    number of the composed tree again: only after a load failed, so a good file pays nothing."""
    loader = SafeLoader(yaml_text)
    try:
        root = loader.get_single_node()
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                kind, construct = _CHECKED.get(node.tag, ("", None))
                try:
                    if construct is not None:
                        construct(loader, node)
                except (ValueError, OverflowError) as exc:
                    return f"{_shown(node.value)} is not a valid {kind}: {exc}", _line(
                        node.start_mark
                    )
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
    finally:
        loader.dispose()
    return None


def _line(mark: Any) -> int | None:
    """The file's line of a YAML mark (front matter starts on the file's second line)."""
    return mark.line + 2 if mark is not None else None


def _error_line(exc: yaml.YAMLError, yaml_text: str) -> int:
    """The file's line a YAML error points at: its mark, or (a character the reader refused,
    a raw NUL) its position; the opening `---` line when it says nothing."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 2
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return yaml_text.count("\n", 0, position) + 2
    return 1


def _check_events(yaml_text: str, path: str) -> None:
    """Refuse anchors and aliases (billion-laughs bombs) before anything is expanded, and
    nesting deeper than MAX_NESTING before the composer recurses into it. Syntax errors
    are left to the real load, which reports them with their line."""
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise InputError("YAML aliases (*name) are not allowed in front matter",
                                 path, _line(event.start_mark))  # fmt: skip
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise InputError(f"front matter nested too deep (over {MAX_NESTING} levels)",
                                     path, _line(event.start_mark))  # fmt: skip
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        # libyaml 0.2.5's scanner, reading ahead of the events, has a limit of its own.
        if "nesting depth" in str(getattr(exc, "problem", "")):
            raise InputError(f"front matter nested too deep (over {MAX_NESTING} levels)",
                             path, _error_line(exc, yaml_text)) from None  # fmt: skip


def _may_nest_deep(yaml_text: str) -> bool:
    """Whether the text holds enough openers of nesting levels to need the event walk."""
    count = yaml_text.count
    return count("[") + count("{") + count("- ") + count("? ") > _OPENERS


def load_front_matter(yaml_text: str, path: str) -> dict[str, Any]:
    """The front matter's mapping; any problem an InputError naming the line."""
    if "&" in yaml_text or "*" in yaml_text or _may_nest_deep(yaml_text):
        _check_events(yaml_text, path)
    try:
        data = yaml.load(yaml_text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = _error_line(exc, yaml_text)
        raise InputError(f"front matter is not valid YAML: {problem}", path, line) from None
    except (ValueError, OverflowError) as exc:  # an impossible date, too many digits
        message, at = _bad_value(yaml_text) or (str(exc), None)
        raise InputError(f"front matter is not valid YAML: {message}", path, at or 1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("front matter must be a mapping of keys to values", path, 2)
    return data
