"""USGS Mineral Commodity Summaries world files: every value becomes an observation.

A world file (``mcs2024-lithi_world.csv``) has a row per country and ``Type`` (statistic
and form, e.g. "Mine production, lithium content") and columns ``Prod_<unit>[_est]_<year>``,
``Cap_...`` and ``Reserves_<unit>``, each with a notes column. Every non-blank value cell is
one observation of the data set of its release (``id/dataset/usgs-mcs-{edition}-world``),
with its area, commodity, statistic, form, year, unit (``kg/ingest/units.csv``), estimate
flag, the note of its row and the file and row it came from.

Pitfalls handled here (README of the data): footnote digits and an estimate ``e`` glued to
country names; non-breaking spaces; "World total" and "Other countries" rows (kept, as
``krm:AreaGroup`` areas); several ``Type`` blocks in one file; W, NA, XX and words, which
stay status codes (the value is ``NaN`` and ``krm:obsStatus`` says why), never numbers;
"—" is zero; a fluorspar file whose ``Type`` header is a value (the third column is the
Type, whatever its header says); columns without a header (skipped and counted).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from kg.ingest import RULES, IngestError, Report
from kg.ingest import codes as C
from kg.ingest.areas import Area, by_name
from kg.ingest.nt import (
    NAN,
    PROV_DERIVED,
    RDF_TYPE,
    RDFS_LABEL,
    UNIT_MEASURE,
    UNIT_MULT,
    boolean,
    dec,
    integer,
    iri,
    krm,
    lit,
    qb,
    skos,
    slug,
    year,
)

#: edition -> (release DOI, title)
RELEASES = {
    "2022": ("https://doi.org/10.5066/P9KKMCP4",
             "USGS Mineral Commodity Summaries 2022 data release"),
    "2023": ("https://doi.org/10.5066/P9WCYUI6",
             "USGS Mineral Commodity Summaries 2023 data release"),
    "2024": ("https://doi.org/10.5066/P144BA54",
             "USGS Mineral Commodity Summaries 2024 data release (ver. 2.0, March 2024)"),
}
STATISTIC = {"prod": "production", "cap": "capacity", "reserves": "reserves"}
UNITS_FILE = RULES / "units.csv"
#: Files whose Type column is blank, with the Type to use and why (a documented alias).
MISSING_TYPES_FILE = RULES / "usgs_missing_types.csv"
_STATUS = {"W": "withheld", "NA": "not-available", "XX": "not-applicable"}
_NUMBER = re.compile(r"^(e\s*)?(\d[\d,]*(\.\d+)?|\.\d+)$")
_ZERO = {"—", "–", "-", "--"}


@cache
def units() -> dict[str, tuple[str, int]]:
    """Unit token of a column header -> (QUDT unit IRI, power of ten)."""
    with UNITS_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["token"]: (r["unit"], int(r["unit_mult"])) for r in csv.DictReader(fh)}


@cache
def missing_types() -> dict[str, str]:
    """File name -> the Type to use where the file leaves it blank."""
    with MISSING_TYPES_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["file"]: r["type"] for r in csv.DictReader(fh)}


def dataset_slug(edition: str) -> str:
    return f"usgs-mcs-{edition}-world"


@dataclass(frozen=True)
class Column:
    """A value column of a world file, as its header describes it."""

    index: int
    statistic: str
    unit: str
    mult: int
    year: int
    estimated: bool
    qualifier: str
    note_index: int | None


def parse_header(header: list[str], edition: str, file: str) -> list[Column]:
    """The value columns of a world file's header.

    >>> h = ["Source", "Country", "Type", "Prod_kt_2022", "Prod_kt_est_2023", "Prod_notes",
    ...      "Reserves_t", "Reserves_notes", ""]
    >>> for c in parse_header(h, "2024", "f"):
    ...     print(c.statistic, c.unit[-5:], c.mult, c.year, c.estimated)
    production TONNE 3 2022 False
    production TONNE 3 2023 True
    reserves TONNE 0 2023 False
    >>> parse_header(["Source", "Country", "Type", "Prod_furlongs_2022"], "2024", "f.csv")
    Traceback (most recent call last):
    kg.ingest.IngestError: f.csv:1: unknown unit in column 'Prod_furlongs_2022' (not in units.csv)

    Raises:
        IngestError: a value column whose unit or year cannot be read.
    """
    notes = {}
    for i, h in enumerate(header):
        m = re.match(r"^(Prod|Cap|Reserves)_notes?$", h.strip(), re.I)
        if m:
            notes[m.group(1).lower()] = i
    cols = []
    for i, h in enumerate(header):
        h = h.strip()
        m = re.match(r"^(Prod|Cap|Reserves)_(.+)$", h, re.I)
        if i < 3 or not m or re.search(r"_notes?$", h, re.I):
            continue
        kind, tokens = m.group(1).lower(), m.group(2).split("_")
        yr = int(tokens.pop()) if re.fullmatch(r"\d{4}", tokens[-1]) else None
        if yr is None:
            if kind != "reserves":
                raise IngestError(file, 1, f"no year in column {h!r}")
            yr = int(edition) - 1  # reserves at the end of the year before the edition
        est = any(t.lower() == "est" for t in tokens)
        tokens = [t for t in tokens if t.lower() != "est"]
        unit_tokens = [t for t in tokens if t in units()]
        if len(unit_tokens) != 1:
            raise IngestError(file, 1, f"unknown unit in column {h!r} (not in units.csv)")
        unit, mult = units()[unit_tokens[0]]
        qualifier = " ".join(t for t in tokens if t != unit_tokens[0])
        cols.append(Column(i, STATISTIC[kind], unit, mult, yr, est, qualifier, notes.get(kind)))
    if not cols:
        raise IngestError(file, 1, "no Prod_, Cap_ or Reserves_ value columns")
    return cols


def parse_value(cell: str) -> tuple[str, str | None, bool]:
    """(kind, number, estimated) of a value cell: kind is 'number', 'blank' or a status
    slug of :data:`kg.ingest.codes.STATUSES`; the number is the xsd:decimal lexical form.

    >>> parse_value("1,700"), parse_value("e5,000"), parse_value("—")
    (('number', '1700', False), ('number', '5000', True), ('number', '0', False))
    >>> [parse_value(v)[0] for v in ("  NA", "W", "XX", ">100,000,000", "Large")]
    ['not-available', 'withheld', 'not-applicable', 'bound', 'word']
    >>> parse_value("\\xa0")
    ('blank', None, False)
    """
    v = " ".join(cell.replace("\xa0", " ").split())
    if not v:
        return "blank", None, False
    if v in _ZERO:
        return "number", "0", False
    if v in _STATUS:
        return _STATUS[v], None, False
    m = _NUMBER.match(v)
    if m:
        return "number", dec(m.group(2)).split('"')[1], bool(m.group(1))
    if re.match(r"^[<>]\s*[\d,.]+$", v):
        return "bound", None, False
    return "word", None, False


@dataclass
class Commodity:
    """A USGS commodity: its file code, name (as the release's metadata titles it) and the
    release the name was read from."""

    code: str
    name: str
    source: str

    @property
    def label(self) -> str:
        return self.name[:1] + self.name[1:].lower()

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def term(self) -> str:
        return iri(f"id/commodity/{self.slug}")


def commodity_triples(c: Commodity) -> list[tuple]:
    """A USGS commodity as a SKOS concept of ``id/scheme/commodities``.

    >>> t = commodity_triples(Commodity("raree", "RARE EARTHS", "https://doi.org/10.5066/P144BA54"))
    >>> t[0][0], [o for _, p, o in t if p.endswith("prefLabel>")]
    ('<https://w3id.org/krm/id/commodity/rare-earths>', ['"Rare earths"@en'])
    """
    s = c.term
    return [(s, RDF_TYPE, krm("Commodity")), (s, RDF_TYPE, skos("Concept")),
            (s, skos("prefLabel"), lit(c.label, "en")), (s, skos("notation"), lit(c.code)),
            (s, skos("inScheme"), C.scheme_iri("commodities")), (s, PROV_DERIVED, iri(c.source))]


def form_term(label: str) -> str:
    return iri(f"id/form/{slug(label)}")


def form_triples(label: str) -> list[tuple]:
    s = form_term(label)
    return [(s, RDF_TYPE, krm("Form")), (s, RDF_TYPE, skos("Concept")),
            (s, skos("prefLabel"), lit(label, "en")),
            (s, skos("inScheme"), C.scheme_iri("usgs-forms"))]


def dataset_triples(edition: str) -> list[tuple]:
    doi, title = RELEASES[edition]
    s = iri(f"id/dataset/{dataset_slug(edition)}")
    return [(s, RDF_TYPE, qb("DataSet")), (s, RDFS_LABEL, lit(f"{title}: world files", "en")),
            (s, qb("structure"), krm("usgsWorldStructure")), (s, PROV_DERIVED, iri(doi))]


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def observations(rows: list[list[str]], edition: str, file: str, commodity: Commodity,
                 report: Report, forms: set[str], areas: set[Area]) -> list[tuple]:
    """Triples of every value of one world file; the forms and areas it uses are added to
    ``forms`` and ``areas``.

    >>> rows = [["Source", "Country", "Type", "Prod_t_2022", "Prod_t_est_2023", "Prod_notes"],
    ...         ["MCS2024", "Chinae", "Mine production, lithium content", "19,000", "W", ""],
    ...         ["", "", "", "", "", ""]]
    >>> r, f, a = Report(), set(), set()
    >>> t = observations(rows, "2024", "mcs2024-lithi_world.csv",
    ...                  Commodity("lithi", "LITHIUM", "https://doi.org/10.5066/P144BA54"), r, f, a)
    >>> s = "<https://w3id.org/krm/id/observation/usgs-mcs-2024-world/lithium/production/mine-production-lithium-content/CHN/2022>"
    >>> sorted(o for ss, p, o in t if ss == s and ("obsValue" in p or "estimated" in p))
    ['"19000"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>']
    >>> r.observations, dict(r.skipped)
    (Counter({'usgs-mcs-2024-world': 2}), {('usgs-mcs-2024-world', 'blank row'): 1})

    Raises:
        IngestError: a row of the wrong width, an unknown country name or unit, or two
            values for the same area, form, statistic and year.
    """
    ds_slug = dataset_slug(edition)
    ds = iri(f"id/dataset/{ds_slug}")
    header = rows[0]
    cols = parse_header(header, edition, file)
    unnamed = [i for i, h in enumerate(header) if not h.strip()]
    cells = []  # (line, area, est_row, qualifier, type, column, kind, number, raw, note)
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise IngestError(file, line, f"malformed row: {len(row)} cells, the header has "
                              f"{len(header)}")
        if not any(c.strip(" \xa0") for c in row):
            report.skip(ds_slug, "blank row")
            continue
        stray = sum(1 for i in unnamed if row[i].strip(" \xa0"))
        if stray:
            report.skip(ds_slug, "value in a column without a header", stray)
        values = [(c, *parse_value(row[c.index])) for c in cols]
        if not row[1].strip(" \xa0"):
            if any(kind != "blank" for _, kind, _, _ in values):
                raise IngestError(file, line, "values without a country")
            report.skip(ds_slug, "row without a country or values (a note line)")
            continue
        area, est_row, qualifier = by_name(row[1], file, line)
        type_ = _clean(row[2]) or missing_types().get(file, "")
        if not type_:
            raise IngestError(file, line, "no Type (statistic and form), and the file is not in "
                              "usgs_missing_types.csv")
        for c, kind, number, est_value in values:
            if kind == "blank":
                report.skip(ds_slug, "blank cell")
                continue
            note = _clean(row[c.note_index]) if c.note_index is not None else ""
            cells.append((line, area, est_row or est_value or c.estimated, qualifier, type_, c,
                          kind, number, _clean(row[c.index]), note))
    # A qualifier after a country name goes into the form only where it tells two rows apart.
    def base_key(x):
        return (x[1], x[4], x[5].qualifier, x[5].statistic, x[5].year)
    seen: dict = {}
    for x in cells:
        seen.setdefault(base_key(x), []).append(x)
    out, keys = [], {}
    com = commodity.term
    for x in cells:
        line, area, est, qualifier, type_, c, kind, number, raw, note = x
        label = type_ + (f" ({c.qualifier})" if c.qualifier else "")
        if qualifier and len(seen[base_key(x)]) > 1:
            label += f" [{qualifier}]"
        key = (area.code, label, c.statistic, c.year)
        if key in keys:
            raise IngestError(file, line, f"a second value for {area.code}, {label!r}, "
                              f"{c.statistic} {c.year} (first at row {keys[key]})")
        keys[key] = line
        forms.add(label)
        areas.add(area)
        s = iri(f"id/observation/{ds_slug}/{commodity.slug}/{c.statistic}/{slug(label)}/"
                f"{area.slug}/{c.year}")
        out += [(s, RDF_TYPE, qb("Observation")), (s, qb("dataSet"), ds),
                (s, krm("refArea"), area.term), (s, krm("commodity"), com),
                (s, krm("statistic"), C.statistic(c.statistic)), (s, krm("form"), form_term(label)),
                (s, krm("refYear"), year(c.year)), (s, UNIT_MEASURE, iri(c.unit)),
                (s, krm("estimated"), boolean(est)),
                (s, krm("sourceFile"), lit(file)), (s, krm("sourceRow"), integer(line))]
        if c.mult:
            out.append((s, UNIT_MULT, integer(c.mult)))
        if kind == "number":
            out.append((s, krm("obsValue"), dec(number)))
        else:
            out += [(s, krm("obsValue"), NAN), (s, krm("obsStatus"), C.status(kind)),
                    (s, krm("sourceValue"), lit(raw))]
        if note:
            out.append((s, krm("sourceNote"), lit(note, "en")))
        if qualifier:
            out.append((s, krm("areaQualifier"), lit(qualifier, "en")))
        report.observations[ds_slug] += 1
    return out
