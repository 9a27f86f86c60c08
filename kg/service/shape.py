"""Recognise the queries that can run without a thread of their own: one triple pattern.

A query whose WHERE clause is a single triple pattern (no repeated variable, no FILTER,
DISTINCT, ORDER BY, OFFSET, GROUP BY, path, GRAPH or SERVICE) turns every match into a
row of output straight away, so the engine hands output to Python every few kilobytes
and a time limit checked there holds; the rest may spend minutes in native code with
nothing to show. The check is a strict tokenizer over a small subset of SPARQL: anything
it does not fully understand is "no", which only means the query takes the general path.

>>> one_pattern("SELECT ?p ?o WHERE { <https://w3id.org/krm/id/W> ?p ?o }")
True
>>> one_pattern('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
...             'SELECT * { ?s rdfs:label "Tungsten"@en . } LIMIT 10')
True
>>> one_pattern("CONSTRUCT WHERE { ?s a <http://x/C> }"), one_pattern("ASK { ?s ?p 1 }")
(True, False)
>>> one_pattern("SELECT ?s { ?s ?p ?s }"), one_pattern("SELECT DISTINCT ?p { ?s ?p ?o }")
(False, False)
>>> one_pattern("SELECT * { ?s ?p ?o . ?o ?q ?r }"), one_pattern("SELECT * { ?s ?p ?o } OFFSET 9")
(False, False)
>>> one_pattern("SELECT * { ?s ?p ?o } # a comment with <x>")
True
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<literal>"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?)
  | (?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)
  | (?P<pname>(?:[A-Za-z][A-Za-z0-9_-]*)?:[A-Za-z0-9_-]*)
  | (?P<datatype>\^\^)
  | (?P<number>[0-9]+)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[{}.*])
""", re.VERBOSE)


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) of each token, comments and spaces dropped; None on anything else."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group()))
    return out


def one_pattern(query: str) -> bool:
    """True when ``query`` is a SELECT, ASK or CONSTRUCT over one triple pattern with
    distinct variables and at most a LIMIT (see the module's docstring)."""
    if query.count("{") != 1 or query.count("}") != 1:
        return False  # most queries: no need to read them token by token
    tokens = _tokens(query)
    if tokens is None:
        return False
    words = [(k, t.upper() if k == "word" else t) for k, t in tokens]
    i = 0
    while i < len(words) and words[i][1] in ("PREFIX", "BASE"):  # the prologue
        i += 3 if words[i][1] == "PREFIX" else 2
        if i > len(words) or words[i - 1][0] != "iri":
            return False
    rest = words[i:]
    form = [t for _, t in rest[:1]]
    if form == ["SELECT"]:
        j = 1
        if j < len(rest) and rest[j][1] == "*":
            j += 1
        else:
            while j < len(rest) and rest[j][0] == "var":
                j += 1
            if j == 1:
                return False
    elif form in (["ASK"], ["CONSTRUCT"]):
        j = 1
    else:
        return False
    if j < len(rest) and rest[j][1] == "WHERE":
        j += 1
    elif form == ["CONSTRUCT"]:
        return False  # only the short form: CONSTRUCT WHERE { pattern }
    if j >= len(rest) or rest[j][1] != "{":
        return False
    pattern, j = _pattern(rest, j + 1)
    if pattern is None or j >= len(rest) or rest[j][1] != "}":
        return False
    tail = [t for _, t in rest[j + 1:]]
    if tail and not (len(tail) == 2 and tail[0] == "LIMIT" and rest[-1][0] == "number"):
        return False
    variables = [t for k, t in pattern if k == "var"]
    return len({v[1:] for v in variables}) == len(variables)


def _pattern(words: list[tuple[str, str]], j: int):
    """The three terms of a triple pattern starting at ``j`` (and an optional '.'), or
    (None, j) when they are not plain terms."""
    terms = []
    for position in range(3):
        if j >= len(words):
            return None, j
        kind, text = words[j]
        if kind in ("iri", "pname", "var") or (position == 1 and text == "A"):
            terms.append((kind, text))
            j += 1
        elif position == 2 and kind == "literal":
            terms.append((kind, text))
            j += 1
            if j + 1 < len(words) and words[j][0] == "datatype" and \
                    words[j + 1][0] in ("iri", "pname"):
                j += 2
        else:
            return None, j
    if j < len(words) and words[j][1] == ".":
        j += 1
    return terms, j
