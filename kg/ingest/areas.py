"""Countries and non-country areas: from a name or code in a data file to an area IRI, and
the description of each country from maintained sources.

A country's IRI is ``id/country/{ISO 3166-1 alpha-3}``; its English and Korean names come
from CLDR's territory names (the ``babel`` package), its codes from ISO 3166 (``pycountry``).
An area that is not a country (the USGS "World total" and "Other countries", BACI's
trade-statistics groups and former codes) is ``id/area/{slug}``, a ``krm:AreaGroup``.
Names and codes that CLDR or ISO do not give are mapped by the documented alias table
``kg/ingest/area_aliases.csv``; anything else is an error naming the file and row.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache

import babel
import pycountry
from babel import Locale

from kg.ingest import RULES, IngestError
from kg.ingest.nt import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, iri, krm, lit, skos

ALIASES = RULES / "area_aliases.csv"
CLDR = "https://cldr.unicode.org/"
PYCOUNTRY = "https://pypi.org/project/pycountry/"
_FOOTNOTE = re.compile(r"\d+$")


@dataclass(frozen=True)
class Area:
    """An area: ``code`` is an ISO alpha-3 code or ``area:{slug}``."""

    code: str
    label: str = field(default="", compare=False, repr=False)

    @property
    def is_country(self) -> bool:
        return not self.code.startswith("area:")

    @property
    def slug(self) -> str:
        return self.code if self.is_country else self.code[5:]

    @property
    def term(self) -> str:
        return iri(f"id/country/{self.code}" if self.is_country else f"id/area/{self.slug}")


@cache
def _aliases() -> tuple[dict, dict]:
    names, codes = {}, {}
    with ALIASES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            target = row["area"]
            label = row["note"].split(":")[1].split("(")[0].strip() if (
                row["kind"] == "code") else row["text"]
            (names if row["kind"] == "name" else codes)[row["text"]] = Area(target, label)
    return names, codes


@cache
def _cldr_names() -> dict[str, str]:
    """English CLDR territory name -> alpha-3, for the territories ISO 3166-1 knows."""
    out = {}
    for a2, name in Locale("en").territories.items():
        c = pycountry.countries.get(alpha_2=a2) if len(a2) == 2 else None
        if c is not None:
            out[name] = c.alpha_3
    return out


def by_code(code: str, file: str, row: int) -> Area:
    """The area of an ISO 3166-1 alpha-3 code, or of a code in the alias table.

    >>> by_code("KOR", "f", 2).term
    '<https://w3id.org/krm/id/country/KOR>'
    >>> by_code("S19", "f", 2).term
    '<https://w3id.org/krm/id/area/other-asia-nes>'
    >>> by_code("XYZ", "f.csv", 9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:9: unknown country code 'XYZ' ...

    Raises:
        IngestError: the code is neither.
    """
    code = code.strip()
    if code in _aliases()[1]:
        return _aliases()[1][code]
    if len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None:
        return Area(code)
    raise IngestError(file, row, f"unknown country code {code!r} (not ISO 3166-1, not in "
                      "area_aliases.csv)")


def _exact(name: str) -> Area | None:
    names = _aliases()[0]
    if name in names:
        return names[name]
    a3 = _cldr_names().get(name)
    return Area(a3) if a3 else None


def by_name(cell: str, file: str, row: int) -> tuple[Area, bool, str]:
    """(area, estimated, qualifier) for a USGS country cell: footnote digits and an
    estimate ``e`` glued to the name are taken off, non-breaking spaces are spaces, and a
    qualifier after the name ("Brazil (beneficiated)", "Russia, datolite ore") is returned
    apart.

    >>> by_name("India9", "f", 2)
    (Area(code='IND'), False, '')
    >>> by_name("Russiae", "f", 2)[:2]
    (Area(code='RUS'), True)
    >>> by_name("World total (rounded)", "f", 2)
    (Area(code='area:world'), False, 'rounded')
    >>> by_name("Greece", "f", 2)[:2], by_name("Greecee", "f", 2)[:2]
    ((Area(code='GRC'), False), (Area(code='GRC'), True))
    >>> by_name("Atlantis", "f.csv", 4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:4: unknown country name 'Atlantis' ...

    Raises:
        IngestError: the name is not a CLDR English name nor in the alias table.
    """
    name = " ".join(cell.replace("\xa0", " ").split())
    name = _FOOTNOTE.sub("", name).strip()
    for candidate, qualifier in _splits(name):
        area = _exact(candidate)
        if area:
            return area, False, qualifier
        if candidate.endswith("e") and (area := _exact(candidate[:-1])):
            return area, True, qualifier
    raise IngestError(file, row, f"unknown country name {name!r} (not a CLDR name, not in "
                      "area_aliases.csv)")


def _splits(name: str):
    yield name, ""
    m = re.match(r"^(.*?)\s*\((.*)\)\s*(,.*)?$", name)
    if m:
        rest = (m.group(3) or "").lstrip(", ").strip()
        yield m.group(1).strip(), ", ".join(x for x in (m.group(2).strip(), rest) if x)
    if ", " in name:
        head, tail = name.split(", ", 1)
        yield head, tail
    # an estimate e before the qualifier: "Turkeye, refined borates"
    head = re.split(r"[ ,(]", name, maxsplit=1)[0]
    if head != name:
        yield head, name[len(head):].strip(" ,()")


def country_triples(alpha3: str) -> list[tuple]:
    """Type, names (CLDR, English and Korean) and codes (ISO 3166) of one country.

    >>> t = country_triples("KOR")
    >>> [o for _, p, o in t if p.endswith("#label>")]
    ['"South Korea"@en', '"대한민국"@ko']

    Raises:
        KeyError: not an ISO 3166-1 alpha-3 code.
    """
    c = pycountry.countries.get(alpha_3=alpha3)
    if c is None:
        raise KeyError(alpha3)
    s = iri(f"id/country/{alpha3}")
    out = [(s, RDF_TYPE, krm("Country"))]
    for lang in ("en", "ko"):
        name = Locale(lang).territories.get(c.alpha_2)
        if name:
            out.append((s, RDFS_LABEL, lit(name, lang)))
    if c.name != Locale("en").territories.get(c.alpha_2):
        out.append((s, skos("altLabel"), lit(c.name, "en")))
    out += [(s, krm("alpha2"), lit(c.alpha_2)), (s, krm("alpha3"), lit(c.alpha_3)),
            (s, PROV_DERIVED, iri(CLDR)), (s, PROV_DERIVED, iri(PYCOUNTRY))]
    return out


def area_group_triples(area: Area) -> list[tuple]:
    """A non-country area: typed krm:AreaGroup, with its English name (the world's names in
    English and Korean from CLDR, region 001)."""
    s = area.term
    out = [(s, RDF_TYPE, krm("AreaGroup"))]
    if area.code == "area:world":
        out += [(s, RDFS_LABEL, lit(Locale(lang).territories["001"], lang))
                for lang in ("en", "ko")]
        out.append((s, PROV_DERIVED, iri(CLDR)))
    else:
        out.append((s, RDFS_LABEL, lit(area.label or area.slug, "en")))
    return out


BABEL_VERSION = babel.__version__
