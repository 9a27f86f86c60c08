"""HS 1992 products (six-digit subheadings) as SKOS concepts, with the elements they contain
and their stage, derived from the description by the rule table ``kg/ingest/hs_rules.csv``.

Each rule is a regular expression on the BACI description (case-insensitive) with the
elements the product contains, its stage (:data:`kg.ingest.codes.STAGES`) and the USGS
commodity it belongs to, if any. Every product must match exactly one rule, so a new code
cannot enter the graph without a decision about it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

import periodictable

from kg.ingest import RULES, IngestError
from kg.ingest import codes as C
from kg.ingest.nt import PROV_DERIVED, RDF_TYPE, iri, krm, lit, skos

RULES_FILE = RULES / "hs_rules.csv"
BACI = "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"


@dataclass(frozen=True)
class Rule:
    line: int
    pattern: re.Pattern
    elements: tuple[str, ...]
    stage: str
    commodity: str  # USGS file code, or ''
    note: str


@cache
def rules() -> tuple[Rule, ...]:
    """The rule table.

    Raises:
        IngestError: a rule names an unknown element or stage.
    """
    out = []
    with RULES_FILE.open(encoding="utf-8", newline="") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            els = tuple(s for s in r["elements"].split(";") if s)
            for s in els:
                element_term(s, RULES_FILE.name, line)
            if r["stage"] not in C.STAGES:
                raise IngestError(RULES_FILE.name, line, f"unknown stage {r['stage']!r}")
            out.append(Rule(line, re.compile(r["pattern"], re.I), els, r["stage"],
                            r["usgs_commodity"], r["note"]))
    return tuple(out)


def element_term(symbol: str, file: str, row: int) -> str:
    """The IRI term of an element symbol.

    >>> element_term("Nd", "f", 2)
    '<https://w3id.org/krm/id/element/Nd>'
    >>> element_term("Xx", "f.csv", 3)
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:3: 'Xx' is not a chemical element symbol

    Raises:
        IngestError: not an element symbol.
    """
    try:
        periodictable.elements.symbol(symbol)
    except ValueError:
        raise IngestError(file, row, f"{symbol!r} is not a chemical element symbol") from None
    return iri(f"id/element/{symbol}")


def match(code: str, description: str, file: str, row: int) -> Rule:
    """The one rule a product's description matches.

    >>> match("282520", "Lithium oxide and hydroxide", "f", 2).elements
    ('Li',)
    >>> match("999999", "Unobtainium widgets", "f.csv", 5)
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:5: HS 999999 'Unobtainium widgets' matches no rule of hs_rules.csv

    Raises:
        IngestError: no rule or more than one matches.
    """
    found = [r for r in rules() if r.pattern.search(description)]
    if len(found) != 1:
        which = "no rule" if not found else f"{len(found)} rules (lines " + ", ".join(
            str(r.line) for r in found) + ")"
        raise IngestError(file, row, f"HS {code} {description!r} matches {which} of "
                          f"{RULES_FILE.name}")
    return found[0]


def term(code: str) -> str:
    return iri(f"id/product/hs92/{code}")


def product_triples(code: str, description: str, file: str, row: int) -> list[tuple]:
    """A product: concept, notation, label, stage, elements, the rule row.

    >>> t = product_triples("261100", "Tungsten ores and concentrates", "hs6_codes.csv", 24)
    >>> sorted(o.rsplit("/", 1)[-1] for _, p, o in t
    ...        if "containsElement" in p or "productStage" in p)
    ['W>', 'ore-concentrate>']

    Raises:
        IngestError: the code is not six digits, or the description matches no single rule.
    """
    if not re.fullmatch(r"\d{6}", code):
        raise IngestError(file, row, f"not a six-digit HS code: {code!r}")
    rule = match(code, description, file, row)
    s = term(code)
    out = [(s, RDF_TYPE, krm("Product")), (s, RDF_TYPE, skos("Concept")),
           (s, skos("notation"), lit(code)), (s, skos("prefLabel"), lit(description, "en")),
           (s, skos("inScheme"), C.scheme_iri("hs92")),
           (s, krm("productStage"), C.stage(rule.stage)),
           (s, krm("matchedRule"), lit(f"{RULES_FILE.name}:{rule.line}")),
           (s, PROV_DERIVED, iri(BACI))]
    out += [(s, krm("containsElement"), element_term(e, RULES_FILE.name, rule.line))
            for e in rule.elements]
    return out
