"""Refuse absurdly nested query text before any parser reads it.

pyoxigraph's parser recurses once per level of ``{``, ``(``, ``[`` or ``!``: at a few
thousand levels it overflows an 8 MB stack and the process dies. Query workers run
queries on a thread with a large stack (:mod:`kg.service.worker`), which moves that
point far beyond anything this bound lets through; this check is the first line, so a
client gets a 400 saying why instead of a worker crash. The count is deliberately naive
(brackets inside strings count too): no real query comes near the bound.
"""

from __future__ import annotations

from itertools import accumulate

from kg.service import QuerySyntaxError

#: Deepest nesting accepted; a query of the library nests 6 deep at most.
MAX_NESTING = 500
_OPEN, _CLOSE = "{([", "})]"
# Brackets become two control characters (any in the text itself count alike: harmless).
_UP, _DOWN = "\x01", "\x02"
_STEPS = str.maketrans({**{c: _UP for c in _OPEN}, **{c: _DOWN for c in _CLOSE}})
_KEEP = {_UP, _DOWN, "!"}
#: What can add a level (see depth()).
_OPENERS = (*_OPEN, _UP, "!")


def depth(text: str) -> int:
    """The deepest bracket nesting of ``text``, counting a run of ``!`` as levels too.

    >>> depth("SELECT * { ?s ?p ?o FILTER(?o > (1 + 2)) }"), depth("ASK { FILTER(!!!true) }")
    (3, 5)
    """
    steps = [c for c in text.translate(_STEPS) if c in _KEEP]
    deepest, level, run = 0, 0, 0
    for level_now, step in zip(accumulate(
            (1 if c == _UP else -1 if c == _DOWN else 0) for c in steps), steps, strict=True):
        level = level_now
        run = run + 1 if step == "!" else 0
        deepest = max(deepest, level + run)
    return deepest


def check(text: str, limit: int = MAX_NESTING) -> None:
    """Raise when ``text`` nests deeper than ``limit``.

    >>> check("SELECT * " + "{" * 600 + "}" * 600)
    Traceback (most recent call last):
    ...
    kg.service.QuerySyntaxError: the query nests 600 levels deep; at most 500 are accepted

    Raises:
        QuerySyntaxError: too deep.
    """
    if sum(map(text.count, _OPENERS)) <= limit:
        return  # cannot nest deeper than it has openers: the common case, in C
    found = depth(text)
    if found > limit:
        raise QuerySyntaxError(f"the query nests {found} levels deep; at most {limit} "
                               "are accepted")
