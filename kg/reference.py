"""Reference data from maintained packages: element data from ``periodictable``, country
codes from ``pycountry`` (ISO 3166) and country names in English and Korean from CLDR
(``babel``).

Only the elements and countries the facts mention are described, so the graph holds no
term without a fact behind it. Each generated resource names the package it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import periodictable
import pycountry
from babel import Locale

from kg.namespace import BASE, ONTOLOGY
from kg.store import Literal, NamedNode, Quad

ELEMENT_PREFIX = BASE + "id/element/"
COUNTRY_PREFIX = BASE + "id/country/"
PERIODICTABLE = NamedNode("https://pypi.org/project/periodictable/")
PYCOUNTRY = NamedNode("https://pypi.org/project/pycountry/")
CLDR = NamedNode("https://cldr.unicode.org/")

_RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SOURCE = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_SKOS_ALT_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _krm(name: str) -> NamedNode:
    return NamedNode(ONTOLOGY + name)


def element_facts(symbol: str) -> list[tuple]:
    """(predicate, object) pairs for one element, from periodictable.

    >>> sorted(str(o) for _, o in element_facts("W") if o.value != "https://pypi.org/project/periodictable/")
    ['"74"^^<http://www.w3.org/2001/XMLSchema#integer>', '"W"', '"tungsten"@en']

    Raises:
        ValueError: ``symbol`` is not an element symbol.
    """
    try:
        el = periodictable.elements.symbol(symbol)
    except ValueError:
        raise ValueError(f"{symbol!r} is not a chemical element symbol") from None
    return [
        (_krm("symbol"), Literal(el.symbol)),
        (_krm("atomicNumber"), Literal(str(el.number), datatype=_XSD_INTEGER)),
        (_RDFS_LABEL, Literal(el.name, language="en")),
        (_SOURCE, PERIODICTABLE),
    ]


def country_facts(alpha3: str) -> list[tuple]:
    """(predicate, object) pairs for one country: ISO 3166 codes (pycountry), the English and
    Korean names of CLDR (babel) as labels and ISO's name as an alternative label; empty when
    the code is not an ISO 3166-1 country (the EU).

    >>> [o.value for _, o in country_facts("KOR")][:4]
    ['KR', 'KOR', 'South Korea', '대한민국']
    >>> country_facts("EU")
    []
    """
    c = pycountry.countries.get(alpha_3=alpha3)
    if c is None:
        return []
    out = [(_krm("alpha2"), Literal(c.alpha_2)), (_krm("alpha3"), Literal(c.alpha_3))]
    for lang in ("en", "ko"):
        name = Locale(lang).territories.get(c.alpha_2)
        if name:
            out.append((_RDFS_LABEL, Literal(name, language=lang)))
    if c.name != Locale("en").territories.get(c.alpha_2):
        out.append((_SKOS_ALT_LABEL, Literal(c.name, language="en")))
    out += [(_SOURCE, CLDR), (_SOURCE, PYCOUNTRY)]
    return out


def reference_quads(facts: Iterable[Quad], graph: str) -> Iterator[Quad]:
    """Quads describing every element and country IRI that ``facts`` mention.

    Raises:
        ValueError: an element IRI whose slug is not an element symbol.
    """
    mentioned: set[str] = set()
    for q in facts:
        for term in (q.subject, q.object):
            if isinstance(term, NamedNode) and term.value.startswith(
                (ELEMENT_PREFIX, COUNTRY_PREFIX)
            ):
                mentioned.add(term.value)
    g = NamedNode(graph)
    for iri in sorted(mentioned):
        if iri.startswith(ELEMENT_PREFIX):
            pairs = element_facts(iri[len(ELEMENT_PREFIX):])
        else:
            pairs = country_facts(iri[len(COUNTRY_PREFIX):])
        for p, o in pairs:
            yield Quad(NamedNode(iri), p, o, g)
