"""Read every committed data file and assemble the data graph.

:func:`load` returns the graph as N-Quads text for the store to parse (fast), the
non-observation part and a sample of observations as triples for SHACL, and the
:class:`~kg.ingest.Report` of what was read and skipped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import periodictable

from kg.ingest import (
    RULES,
    SOURCES,
    IngestError,
    Report,
    baci,
    codes,
    lists,
    mappings,
    read_csv,
    usgs,
    wgi,
)
from kg.ingest import products as P
from kg.ingest.areas import Area, area_group_triples, by_code, country_triples
from kg.ingest.nt import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, integer, iri, krm, lit, quads, skos
from kg.namespace import GRAPH_DATA

PERIODICTABLE = "https://pypi.org/project/periodictable/"
#: observations per data set handed to SHACL (every non-observation node goes too)
SAMPLE = 100


@dataclass
class DataGraph:
    observations: dict[str, list[tuple]] = field(default_factory=dict)  # data set -> triples
    other: list[tuple] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def nquads(self) -> bytes:
        """The whole graph as N-Quads in ``graph/data``."""
        parts = [quads(self.other, GRAPH_DATA)]
        parts += [quads(t, GRAPH_DATA) for t in self.observations.values()]
        return "".join(parts).encode("utf-8")

    def triple_count(self) -> int:
        return len(self.other) + sum(len(t) for t in self.observations.values())

    def sample(self, per_dataset: int = SAMPLE) -> list[tuple]:
        """Every non-observation triple and the triples of about ``per_dataset`` observations
        of each data set, spread over the file."""
        out = list(self.other)
        for triples in self.observations.values():
            subjects = list(dict.fromkeys(s for s, _, _ in triples))
            step = max(1, len(subjects) // per_dataset)
            keep = set(subjects[::step])
            out += [t for t in triples if t[0] in keep]
        return out


def source_files(sources: Path = SOURCES) -> list[Path]:
    """Every file the data graph is built from: the data and the rule tables."""
    data = [p for p in sources.rglob("*") if p.is_file()]
    rules = sorted(RULES.glob("*.csv"))
    return sorted(data) + rules


def _usgs_commodities() -> dict[str, usgs.Commodity]:
    path = SOURCES / "usgs-mcs" / "commodities.csv"
    out = {}
    for line, r in enumerate(csv.DictReader(path.open(encoding="utf-8", newline="")), start=2):
        edition = r["metadata_file"].split("/", 1)[0]
        if edition not in usgs.RELEASES:
            raise IngestError("usgs-mcs/commodities.csv", line, f"unknown edition {edition!r}")
        out[r["code"]] = usgs.Commodity(r["code"], r["name"], usgs.RELEASES[edition][0])
    return out


def _element_triples(symbol: str) -> list[tuple]:
    el = periodictable.elements.symbol(symbol)
    s = iri(f"id/element/{symbol}")
    return [(s, krm("symbol"), lit(el.symbol)), (s, krm("atomicNumber"), integer(el.number)),
            (s, RDFS_LABEL, lit(el.name, "en")), (s, PROV_DERIVED, iri(PERIODICTABLE))]


def load(known: set[str] = frozenset(), sources: Path = SOURCES,
         groups: dict[str, frozenset] | None = None) -> DataGraph:
    """Ingest every data file. ``known`` holds the IRIs (strings) the facts already describe
    (countries and elements): they are not described again; ``groups`` the element groups of
    the facts (group term -> member terms, see :func:`kg.ingest.lists.triples`).

    Raises:
        IngestError: a file or row that cannot be ingested (names the file and row).
    """
    g = DataGraph()
    report = g.report
    other = g.other
    areas: set[Area] = set()
    other += codes.triples()

    # USGS world files
    commodities = _usgs_commodities()
    used: dict[str, str] = {}
    forms: set[str] = set()
    for edition in sorted(usgs.RELEASES):
        other += usgs.dataset_triples(edition)
        triples = []
        for path in sorted((sources / "usgs-mcs" / edition / "world").glob("*_world.csv")):
            m = re.search(r"(?i)mcs\d{4}-([\w-]+)_world\.csv$", path.name)
            code = m.group(1).lower() if m else ""
            if code not in commodities:
                raise IngestError(path.name, None, f"commodity {code!r} is not in "
                                  "usgs-mcs/commodities.csv")
            c = commodities[code]
            used[code] = c.term
            triples += usgs.observations(read_csv(path), edition, path.name, c, report, forms,
                                         areas)
        g.observations[usgs.dataset_slug(edition)] = triples
    for code in sorted(used):
        other += usgs.commodity_triples(commodities[code])
    for label in sorted(forms):
        other += usgs.form_triples(label)

    # BACI
    products: set[str] = set()
    triples = []
    for flow, (name, _, _) in baci.FILES.items():
        triples += baci.observations(read_csv(sources / "baci-korea" / name), flow, report, areas,
                                     products)
    g.observations[baci.DATASET] = triples
    last_year = max(int(o.split('"')[1]) for _, p, o in triples if p == krm("refYear"))
    other += baci.dataset_triples(last_year)
    areas.add(by_code(baci.REPORTER, "baci", 1))
    rule_of: dict[str, int] = {}
    hs_file = "hs6_codes.csv"
    described = set()
    for line, r in enumerate(read_csv(sources / "baci-korea" / hs_file)[1:], start=2):
        if len(r) != 2:
            raise IngestError(hs_file, line, f"malformed row: {len(r)} cells, the header has 2")
        code, description = r[0].strip(), r[1].strip()
        other += P.product_triples(code, description, hs_file, line)
        rule_of[code] = P.match(code, description, hs_file, line).line
        described.add(code)
    if products - described:
        raise IngestError(hs_file, None, f"HS codes traded but not described: "
                          f"{', '.join(sorted(products - described))}")

    # WGI
    other += wgi.dataset_triples()
    g.observations[wgi.DATASET] = wgi.observations(read_csv(sources / "wgi" / wgi.FILE), report,
                                                   areas)

    # Lists, and the commodities their entries name
    com_terms = {code: c.term for code, c in commodities.items()}
    with (RULES / "list_commodities.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            code = r["commodity"]
            if code in commodities:
                if code not in used:
                    used[code] = commodities[code].term
                    other += usgs.commodity_triples(commodities[code])
                continue
            s = iri(f"id/commodity/{code}")
            com_terms[code] = s
            other += [(s, RDF_TYPE, krm("Commodity")), (s, RDF_TYPE, skos("Concept")),
                      (s, skos("prefLabel"), lit(r["label"], "en")),
                      (s, skos("inScheme"), codes.scheme_iri("commodities")),
                      (s, PROV_DERIVED, iri(r["source"]))]
    new_lists = {lid for lid, (sl, _) in lists.LISTS.items()
                 if iri(f"id/list/{sl}")[1:-1] not in known}
    other += lists.triples(read_csv(sources / "critical-mineral-lists" / lists.FILE), report,
                           com_terms, new_lists, groups)

    # Mappings
    other += mappings.triples({c: used[c] for c in used}, products, rule_of)

    # Areas and elements the facts do not describe
    for area in sorted(areas, key=lambda a: a.code):
        if area.is_country:
            if area.term[1:-1] not in known:
                other += country_triples(area.code)
        else:
            other += area_group_triples(area)
    element_prefix = iri("id/element/")[:-1]
    mentioned = {o for _, _, o in other if o.startswith(element_prefix)}
    for term in sorted(mentioned):
        if term[1:-1] not in known:
            other += _element_triples(term[len(element_prefix):-1])
    g.other = list(dict.fromkeys(other))
    return g
