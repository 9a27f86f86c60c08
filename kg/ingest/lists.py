"""The critical-mineral and rare-metal lists: one entry per row of
``critical_mineral_lists.csv``, as the list names it, with its elements, its source,
corroboration and confidence.

An entry (``krm:ListMember``, ``id/list-member/{list}/{slug}``) covers the elements its row
names (``krm:coversElement``) and, where it is not simply an element (graphite, feldspar,
electrical steel), a commodity (``krm:coversCommodity``, by ``kg/ingest/list_commodities.csv``).
The list gets ``skos:member`` for every element its entries cover and a ``krm:ListSize``
counted from the entries. A row without elements and without a commodity rule is an error.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from kg.ingest import RULES, IngestError, Report, dict_rows
from kg.ingest.nt import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, integer, iri, krm, lit, skos, slug
from kg.ingest.products import element_term

FILE = "critical_mineral_lists.csv"
COMMODITY_RULES = RULES / "list_commodities.csv"
DATASET = "critical-mineral-lists"
#: list_id -> (list slug, jurisdiction IRI path)
LISTS = {
    "KR_KIRAM_56": ("korea-rare-metals", "id/country/KOR"),
    "KR_MOTIE_2023": ("korea-critical-minerals-2023", "id/country/KOR"),
    "US_DOI_USGS_2022": ("us-critical-minerals-2022", "id/country/USA"),
    "US_DOI_USGS_2025": ("us-critical-minerals-2025", "id/country/USA"),
    "US_DOE_2023_energy": ("us-doe-critical-materials-2023", "id/country/USA"),
    "EU_CRMA_2024_AnnexI": ("eu-crma-2024-annex-i", "id/org/eu"),
    "EU_CRMA_2024_AnnexII": ("eu-crma-2024-annex-ii", "id/org/eu"),
    "JP_34_rare_metals": ("japan-rare-metals-34", "id/country/JPN"),
}
_URL = re.compile(r"https?://[^\s,;()<>\"]+")
_DOI = re.compile(r"\bdoi:(10\.\d{4,9}/[^\s,;()<>\"]+)", re.I)


#: Korean names of the lists (used where the facts do not already hold them), the project's
#: translations (hence
#: krm:translatedLabel, not a sourced rdfs:label).
KOREAN_NAMES = {
    "KR_KIRAM_56": "한국 희소금속 (35종 56원소)",
    "US_DOI_USGS_2022": "미국 핵심광물 2022",
    "US_DOE_2023_energy": "미국 에너지부 에너지 핵심소재 2023",
    "JP_34_rare_metals": "일본 희소금속 34종",
    "EU_CRMA_2024_AnnexI": "EU 핵심원자재법 2024 부속서 I (전략 원자재)",
    "EU_CRMA_2024_AnnexII": "EU 핵심원자재법 2024 부속서 II (핵심 원자재)",
    "KR_MOTIE_2023": "한국 핵심광물 2023",
    "US_DOI_USGS_2025": "미국 핵심광물 2025",
}


def urls(text: str) -> list[str]:
    """The URLs (and DOIs, as https://doi.org/ IRIs) a source cell names, in order.

    >>> urls("USGS MCS 2023 data release, x.csv (doi:10.5066/P9WCYUI6), file y")
    ['https://doi.org/10.5066/P9WCYUI6']
    >>> urls("https://a.org/x (count); EUR-Lex ELI http://data.europa.eu/eli/reg/2024/1252/oj.")
    ['https://a.org/x', 'http://data.europa.eu/eli/reg/2024/1252/oj']
    """
    found = [u.rstrip(".:") for u in _URL.findall(text)]
    found += [f"https://doi.org/{d.rstrip('.:')}" for d in _DOI.findall(text)]
    return found


@cache
def commodity_rules() -> tuple[tuple[re.Pattern, str], ...]:
    with COMMODITY_RULES.open(encoding="utf-8", newline="") as fh:
        return tuple((re.compile(r["pattern"], re.I), r["commodity"]) for r in csv.DictReader(fh))


def list_term(list_id: str) -> str:
    return iri(f"id/list/{LISTS[list_id][0]}")


def triples(rows: list[list[str]], report: Report, commodity_terms: dict[str, str],
            new_lists: set[str], groups: dict[str, frozenset] | None = None) -> list[tuple]:
    """Triples of the lists file. ``commodity_terms`` maps a commodity code of
    list_commodities.csv to its IRI term; lists in ``new_lists`` (list_ids) are not yet
    described by the facts, so they get their type, name and jurisdiction here.
    ``groups`` maps an element group's IRI term to its members' terms (from the facts): an
    entry that covers exactly a group's elements ("rare earth elements (1 type)") makes the
    group the list's member, as the list counts it, rather than each element.

    >>> rows = [["list_id", "jurisdiction", "list_name", "list_year", "member_as_listed",
    ...          "category", "element_symbols", "source", "corroboration", "confidence", "note"],
    ...         ["EU_CRMA_2024_AnnexII", "European Union", "Annex II", "2023", "feldspar",
    ...          "critical", "", "https://cbs.nl/x", "", "verified", ""]]
    >>> felds = {"felds": "<https://w3id.org/krm/id/commodity/feldspar>"}
    >>> t = triples(rows, Report(), felds, set())
    >>> [o for s, p, o in t if p.endswith("coversCommodity>")]
    ['<https://w3id.org/krm/id/commodity/feldspar>']

    Raises:
        IngestError: an unknown list, element symbol, a row without a source URL, or an entry
            with neither elements nor a commodity rule.
    """
    required = ("list_id", "list_name", "member_as_listed", "category", "element_symbols",
                "source", "corroboration", "confidence", "note")
    out, members, elements, counts, sources, seen = [], {}, {}, {}, {}, {}
    for line, r in dict_rows(rows, FILE, required):
        list_id = r["list_id"].strip()
        if list_id not in LISTS:
            raise IngestError(FILE, line, f"unknown list {list_id!r}")
        list_slug, jurisdiction = LISTS[list_id]
        lst = list_term(list_id)
        name = " ".join(r["member_as_listed"].split())
        s = iri(f"id/list-member/{list_slug}/{slug(name)}")
        if s in seen:
            raise IngestError(FILE, line, f"{name!r} is listed twice (first at row {seen[s]})")
        seen[s] = line
        src = urls(r["source"])
        if not src:
            raise IngestError(FILE, line, f"no URL or DOI in the source {r['source']!r}")
        out += [(s, RDF_TYPE, krm("ListMember")), (s, RDFS_LABEL, lit(name, "en")),
                (s, krm("memberOf"), lst), (lst, krm("hasMember"), s),
                (s, krm("memberCategory"), lit(r["category"].strip())),
                (s, krm("confidence"), lit(r["confidence"].strip())),
                (s, krm("sourceFile"), lit(FILE)), (s, krm("sourceRow"), integer(line))]
        out += [(s, PROV_DERIVED, iri(u)) for u in src]
        out += [(s, krm("corroboration"), iri(u)) for u in urls(r["corroboration"])]
        if r["note"].strip():
            out.append((s, krm("note"), lit(r["note"].strip(), "en")))
        symbols = [x.strip() for x in r["element_symbols"].split(";") if x.strip()]
        els = frozenset(element_term(sym, FILE, line) for sym in symbols)
        out += [(s, krm("coversElement"), el) for el in sorted(els)]
        group = next((g for g, m in sorted((groups or {}).items()) if len(els) > 1 and m == els),
                     None)
        members.setdefault(list_id, set()).update({group} if group else els)
        com = [c for p, c in commodity_rules() if p.search(name)]
        for c in com:
            out.append((s, krm("coversCommodity"), commodity_terms[c]))
        if not symbols and not com:
            raise IngestError(FILE, line, f"{name!r} names no element and matches no rule of "
                              f"{COMMODITY_RULES.name}")
        counts[list_id] = counts.get(list_id, 0) + 1
        elements.setdefault(list_id, set()).update(els)
        sources.setdefault(list_id, set()).update(src)
        if list_id in new_lists and counts[list_id] == 1:
            out += [(lst, RDF_TYPE, krm("MaterialList")),
                    (lst, RDFS_LABEL, lit(r["list_name"], "en")),
                    # the entailed rdfs:label too: the data graph skips the OWL RL step
                    (lst, krm("translatedLabel"), lit(KOREAN_NAMES[list_id], "ko")),
                    (lst, RDFS_LABEL, lit(KOREAN_NAMES[list_id], "ko")),
                    (lst, krm("jurisdiction"), iri(jurisdiction))]
        report.observations[DATASET] += 1
    for list_id, n in counts.items():
        lst = list_term(list_id)
        out += [(lst, skos("member"), el) for el in sorted(members.get(list_id, ()))]
        out += [(lst, PROV_DERIVED, iri(u)) for u in sorted(sources[list_id])]
        st = iri(f"id/statement/{LISTS[list_id][0]}-size-from-entries")
        out += [(st, RDF_TYPE, krm("ListSize")), (st, krm("ofList"), lst),
                (st, RDFS_LABEL, lit(f"{n} entries covering {len(elements[list_id])} "
                                     "elements, counted from the list's entries", "en")),
                (st, krm("translatedLabel"), lit(ko := (
                    f"목록 항목 {n}개, 원소 {len(elements[list_id])}개 (항목에서 셈)"), "ko")),
                (st, RDFS_LABEL, lit(ko, "ko")),
                (st, krm("itemCount"), integer(n)),
                (st, krm("elementCount"), integer(len(elements[list_id]))),
                (st, krm("note"), lit(f"Counted from the rows of {FILE} (kg/sources/"
                                      "critical-mineral-lists); each row names its source.", "en"))]
        out += [(st, PROV_DERIVED, iri(u)) for u in sorted(sources[list_id])]
    return out
