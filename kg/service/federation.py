"""Which remote URLs a query or update would make the server fetch (SERVICE, LOAD).

pyoxigraph fetches any URL named by ``SERVICE`` or ``LOAD`` and puts what it got back in
its error message, which would let a public endpoint probe the server's own network.
So every request is checked here, in the query worker, on the query read token by token
as the engine's lexer reads it (``\\u`` escapes first, comments ending at CR or LF,
prefixes and the base resolved), before the engine sees it. This is the first line of
defence: query workers also deny themselves the network (:mod:`kg.service.sandbox`)
unless federation is configured.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from kg.service import QuerySyntaxError, Refused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


_KEYWORD = re.compile(r"(?<![\w:?$-])(?:SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def might_fetch(text: str) -> bool:
    """Cheap pre-check, no parser: only a text naming SERVICE or LOAD (as a word,
    possibly escaped) can fetch; the word in a string or comment counts too.

    >>> might_fetch("SELECT * { ?s ?p ?o }"), might_fetch("SELECT * { \\\\u0053ERVICE <x> {} }")
    (False, True)
    >>> might_fetch('SELECT * { ?s ?p "download" }'), might_fetch("LOAD <x>")
    (False, True)
    """
    return bool(_KEYWORD.search(_unescape(text)))


_TOKEN = re.compile(r"""
    (?P<skip>\s+|\#[^\r\n]*
      |'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def lex(text: str) -> list[tuple[str, str, int]]:
    """The tokens of a query or update as the SPARQL grammar's lexer reads them (comments
    end at CR or LF; strings and IRIs are single tokens): (kind, text, offset), without
    whitespace, comments and strings.

    >>> [t[1] for t in lex("SELECT * { ?s <p> 'a}' } # }")]
    ['SELECT', '*', '{', '?s', '<p>', '}']
    """
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup != "skip"]


def remote_iris(text: str, update: bool = False, base_iri: str | None = None
                ) -> tuple[list[str], list[str]]:
    """The SERVICE endpoints and LOAD sources a query (or update) names, as absolute
    IRIs (prefixed names expanded, relative IRIs resolved against BASE or
    ``base_iri``); a SERVICE on a variable is returned as ``?name``.

    It reads the text token by token as the SPARQL grammar's lexer does (comments end
    at CR or LF; strings and IRIs are single tokens), which is all it takes to find
    these keywords and their targets; no parser runs, so it is fast on any input.

    >>> remote_iris("PREFIX e: <http://e.org/> SELECT * { SERVICE e:s { ?a ?b ?c } }")
    (['http://e.org/s'], [])
    >>> remote_iris("SELECT * { ?s ?p 'SERVICE <http://x/>' } # SERVICE <http://y/>")
    ([], [])
    >>> remote_iris("BASE <http://h/a/> LOAD SILENT <b> ; LOAD <http://i/>", update=True)
    ([], ['http://h/a/b', 'http://i/'])

    Raises:
        QuerySyntaxError: a SERVICE or LOAD is not followed by a target it can read.
    """
    prefixes: dict[str, str] = {}
    base = base_iri or ""
    services: list[str] = []
    loads: list[str] = []
    tokens = [(kind, value) for kind, value, _ in lex(text)]

    def absolute(kind: str, value: str) -> str:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            raise QuerySyntaxError(f"the prefix {prefix}: is not declared")
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)

    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else None
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = absolute(*tokens[i + 2])
            i += 3
            continue
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = absolute(*tokens[i + 1])
            i += 2
            continue
        if word in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            target = tokens[j] if j < len(tokens) else ("other", "")
            if target[0] in ("iri", "pname"):
                (services if word == "SERVICE" else loads).append(absolute(*target))
            elif target[0] == "var" and word == "SERVICE":
                services.append("?" + target[1][1:])
            else:
                raise QuerySyntaxError(f"{word} must be followed by an IRI")
            i = j + 1
            continue
        i += 1
    return services, loads


def check(text: str, service_allow: tuple[str, ...] | list[str],
          load_hosts: tuple[str, ...] | list[str] = (), update: bool = False,
          base_iri: str | None = None) -> bool:
    """Refuse a request naming a SERVICE endpoint not in ``service_allow`` (exact URLs)
    or a LOAD from a host not in ``load_hosts``. Returns whether it names a SERVICE.

    >>> check("SELECT * { ?s ?p ?o }", [])
    False
    >>> check("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", [])
    Traceback (most recent call last):
    ...
    kg.service.Refused: SERVICE <http://127.0.0.1:9/> is not allowed: ...

    Raises:
        Refused: a SERVICE or LOAD target is not allowed.
        QuerySyntaxError: the text names SERVICE or LOAD but does not parse.
    """
    if not might_fetch(text):
        return False
    services, loads = remote_iris(_unescape(text), update=update, base_iri=base_iri)
    for iri in services:
        if iri not in service_allow:
            allowed = ", ".join(f"<{a}>" for a in service_allow) or "none"
            raise Refused(f"SERVICE <{iri}> is not allowed: this endpoint federates only "
                          f"with the endpoints its operator allows ({allowed})")
    for iri in loads:
        host = urlsplit(iri).hostname or ""
        if host not in load_hosts:
            raise Refused(f"LOAD <{iri}> is not allowed: host {host or '(none)'} is not on "
                          "the allow-list (setting SPARQL_LOAD_ALLOW_HOSTS)")
    return bool(services)
