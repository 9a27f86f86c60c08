"""Which remote URLs a query or update would make the server fetch (SERVICE, LOAD).

pyoxigraph fetches any URL named by ``SERVICE`` or ``LOAD`` and puts what it got back in
its error message, which would let a public endpoint probe the server's own network.
So every request is checked here, on the parsed and normalised query (prefixes and
``\\u`` escapes resolved), before the engine sees it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kg.service import QuerySyntaxError, Refused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def might_fetch(text: str) -> bool:
    """Cheap pre-check: only a text naming SERVICE or LOAD (possibly escaped) can fetch.

    >>> might_fetch("SELECT * { ?s ?p ?o }"), might_fetch("SELECT * { \\\\u0053ERVICE <x> {} }")
    (False, True)
    """
    lowered = _unescape(text).lower()  # the keywords are ASCII, case-insensitive
    return "service" in lowered or "load" in lowered


def remote_iris(text: str, update: bool = False) -> tuple[list[str], list[str]]:
    """The SERVICE endpoints and LOAD sources a query (or update) names, as absolute
    IRIs; a SERVICE on a variable is returned as ``?name``.

    >>> remote_iris("PREFIX e: <http://e.org/> SELECT * { SERVICE e:s { ?a ?b ?c } }")
    (['http://e.org/s'], [])

    Raises:
        QuerySyntaxError: the text does not parse, so it cannot be checked.
    """
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        if update:
            tree = translateUpdate(parseUpdate(text)).algebra
        else:
            tree = translateQuery(parseQuery(text)).algebra
    except Exception as e:  # rdflib raises pyparsing and assorted errors
        raise QuerySyntaxError(
            f"this request names SERVICE or LOAD, and it could not be checked: {e}") from None
    services: list[str] = []
    loads: list[str] = []

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                services.append(str(term) if term.__class__.__name__ == "URIRef"
                                else f"?{term}")
            elif node.name == "Load":
                loads.append(str(node.get("iri")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(tree)
    return services, loads


def check(text: str, service_allow: tuple[str, ...] | list[str],
          load_hosts: tuple[str, ...] | list[str] = (), update: bool = False) -> bool:
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
    services, loads = remote_iris(_unescape(text), update=update)
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
