"""How deeply a YAML text nests, known before composing it.

ruamel's C composer recurses once per nesting level and overflows the C stack (SIGSEGV) at about 25,000
levels, long before hubctl's own limit (MAX_DEPTH) could refuse the document. `nesting_bound` bounds the
depth in linear time without parsing; only when that bound is high is the depth measured exactly on the
parser's events, which libyaml produces with its own stack, without recursion.
"""

from __future__ import annotations


def nesting_bound(text: str) -> int:
    """An upper bound of how deeply any node of `text` is nested, in linear time and without parsing.

    Every flow collection opens with `[` or `{`; the open block collections at any point sit at strictly
    increasing columns (an indentless sequence shares its mapping's), so there are at most two per column
    of the longest line (lines split at newlines only: each holds whole lines of the parser's).
    """
    longest = max(map(len, text.split("\n")))
    return text.count("[") + text.count("{") + 2 * longest + 3


def too_deep_line(events, max_depth: int) -> int | None:
    """The line of the first document with a node nested deeper than `max_depth`, or None, from a stream
    of parser events (a syntax error ends the stream: composing stops at the same event and reports it)."""
    from ruamel.yaml.error import YAMLError

    depth, root_line = 0, 1
    try:
        for event in events:
            name = type(event).__name__
            if name in ("ScalarEvent", "AliasEvent", "MappingStartEvent", "SequenceStartEvent"):
                if depth == 0:
                    root_line = event.start_mark.line + 1
                if depth > max_depth:
                    return root_line
                depth += name.endswith("StartEvent")
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except (YAMLError, ValueError):
        return None
    return None
