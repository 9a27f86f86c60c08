"""SKOS mappings element <-> USGS commodity <-> HS product, each with its rule.

Element (or element group) -> commodity mappings come from ``kg/ingest/commodity_map.csv``
(``closeMatch`` where the commodity is the element or the same group of elements,
``broadMatch`` where it is a group or a mineral bearing the element); HS product ->
commodity mappings (``broadMatch``: the commodity covers the product at every stage) from
the ``usgs_commodity`` column of ``kg/ingest/hs_rules.csv``. Every mapping triple is also an
``rdf:Statement`` (``id/mapping/...``) with the rule in words (``krm:rule``) and the row it
comes from (``krm:matchedRule``).
"""

from __future__ import annotations

import csv
from functools import cache

from kg.ingest import RULES, IngestError
from kg.ingest.nt import RDF_TYPE, iri, krm, lit, skos, slug
from kg.ingest.products import RULES_FILE as HS_RULES
from kg.ingest.products import element_term, rules

MAP_FILE = RULES / "commodity_map.csv"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


@cache
def element_map() -> tuple[tuple[int, str, tuple[str, ...], str, str], ...]:
    """(line, USGS code, element symbols, relation, rule) of the mapping table.

    Raises:
        IngestError: an unknown relation or element symbol.
    """
    out = []
    with MAP_FILE.open(encoding="utf-8", newline="") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            if r["relation"] not in RELATIONS:
                raise IngestError(MAP_FILE.name, line, f"unknown SKOS relation {r['relation']!r}")
            els = tuple(s for s in r["elements"].split(";") if s)
            for s in els:
                _subject(s, line)
            out.append((line, r["usgs_code"], els, r["relation"], r["rule"]))
    return tuple(out)


def _subject(token: str, line: int) -> str:
    """An element symbol, or ``group:{slug}`` for an element group of the facts."""
    if token.startswith("group:"):
        return iri(f"id/group/{token[6:]}")
    return element_term(token, MAP_FILE.name, line)


def mapping(subject: str, relation: str, obj: str, rule: str, where: str) -> list[tuple]:
    """A SKOS mapping triple and its reification with the rule.

    >>> t = mapping("<https://w3id.org/krm/id/element/Li>", "closeMatch",
    ...             "<https://w3id.org/krm/id/commodity/lithium>", "same", "commodity_map.csv:26")
    >>> t[0]
    ('<https://w3id.org/krm/id/element/Li>', '<http://www.w3.org/2004/02/skos/core#closeMatch>', '<https://w3id.org/krm/id/commodity/lithium>')
    >>> t[1][0]
    '<https://w3id.org/krm/id/mapping/element-li-closematch-commodity-lithium>'
    """
    key = slug(subject.split("/id/", 1)[1] + "-" + relation + "-" + obj.split("/id/", 1)[1])
    m = iri(f"id/mapping/{key}")
    return [(subject, skos(relation), obj),
            (m, RDF_TYPE, f"<{_RDF}Statement>"), (m, f"<{_RDF}subject>", subject),
            (m, f"<{_RDF}predicate>", skos(relation)), (m, f"<{_RDF}object>", obj),
            (m, krm("rule"), lit(rule, "en")), (m, krm("matchedRule"), lit(where))]


def triples(commodity_terms: dict[str, str], product_codes: set[str],
            product_rule: dict[str, int]) -> list[tuple]:
    """Mappings for the commodities (USGS code -> term) and products (HS codes) in the
    data; ``product_rule`` gives each product's rule line in hs_rules.csv."""
    out = []
    for line, code, els, relation, rule in element_map():
        if code not in commodity_terms:
            continue
        for e in els:
            out += mapping(_subject(e, line), relation, commodity_terms[code],
                           rule, f"{MAP_FILE.name}:{line}")
    by_line = {r.line: r for r in rules()}
    for code in sorted(product_codes):
        r = by_line[product_rule[code]]
        if r.commodity and r.commodity in commodity_terms:
            out += mapping(iri(f"id/product/hs92/{code}"), "broadMatch",
                           commodity_terms[r.commodity],
                           "the USGS commodity covers this product"
                           + (f" ({r.note})" if r.note else ""), f"{HS_RULES.name}:{r.line}")
    return out
