"""The code lists of the data's coded dimensions and attributes: statistics, trade flows,
observation statuses and product stages, each a ``skos:ConceptScheme``.

These are the project's own codes (not facts about the world), so they are written here;
their English labels say what the source columns mean.
"""

from __future__ import annotations

from kg.ingest.nt import RDF_TYPE, iri, krm, lit, skos

SCHEMES = {
    "statistics": ("Statistics of the data sets", "데이터 통계 항목"),
    "trade-flows": ("Trade flows", "교역 방향"),
    "observation-status": ("Observation status codes", "관측값 상태 코드"),
    "product-stages": ("Product stages", "가공 단계"),
    "usgs-forms": ("USGS statistic and form (Type) of a row", "USGS 통계 형태"),
    "hs92": ("Harmonized System 1992, six-digit subheadings (as in CEPII BACI)",
             "HS 1992 6단위 품목"),
    "commodities": ("Mineral commodities", "광물 원자재"),
}

#: slug -> (English label, Korean label, definition)
STATISTICS = {
    "production": ("production", "생산량",
                   "Production in the year (mine, refinery, smelter ... as the form says)."),
    "capacity": ("capacity", "생산능력", "Production capacity in the year."),
    "reserves": ("reserves", "매장량",
                 "Reserves: the part of the resource that could be economically extracted, at "
                 "the end of the year."),
}

FLOWS = {
    "import": ("import", "수입", "Goods coming into the reporter from the partner."),
    "export": ("export", "수출", "Goods going from the reporter to the partner."),
}

#: slug -> (English label, Korean label, definition)
STATUSES = {
    "withheld": ("withheld (W)", "비공개 (W)",
                 "USGS 'W': withheld to avoid disclosing company proprietary data."),
    "not-available": ("not available (NA)", "자료 없음 (NA)", "USGS 'NA': not available."),
    "not-applicable": ("not applicable (XX)", "해당 없음 (XX)", "USGS 'XX': not applicable."),
    "word": ("a word, not a number", "수치 아닌 표현",
             "The source gives a word ('Large', 'Included in World total.'); it is kept as "
             "printed in krm:sourceValue."),
    "bound": ("a bound, not a value", "범위 값",
              "The source gives a bound ('>100,000,000', '<100'); kept as printed in "
              "krm:sourceValue."),
}

#: slug -> (English label, Korean label, definition)
STAGES = {
    "ore-concentrate": ("ore or concentrate", "광석·정광", "Ore as mined or concentrated."),
    "mineral": ("natural mineral", "천연 광물",
                "An industrial mineral as mined or ground (graphite, fluorspar, borates ...)."),
    "oxide": ("oxide or hydroxide", "산화물", "An oxide or hydroxide of the element."),
    "compound": ("compound", "화합물", "A compound (carbonate, sulphide, rare-earth compounds)."),
    "element": ("element", "원소", "The element as such (HS 2804/2805: boron, selenium, "
                "rare-earth metals)."),
    "metal": ("metal", "금속", "Unwrought or semi-manufactured metal, powders, mattes."),
    "alloy": ("alloy", "합금", "An alloy, such as a ferro-alloy."),
    "scrap": ("waste and scrap", "스크랩", "Waste and scrap for recovery."),
    "fuel": ("fuel", "연료", "Coal, lignite, crude petroleum, natural gas."),
    "article": ("article", "제품", "A manufactured article (a catalyst gauze)."),
}


def scheme_iri(name: str) -> str:
    return iri(f"id/scheme/{name}")


def _concepts(kind: str, scheme: str, cls: str, table: dict) -> list[tuple]:
    out = []
    for slug_, (en, ko, definition) in table.items():
        s = iri(f"id/{kind}/{slug_}")
        out += [
            (s, RDF_TYPE, krm(cls)), (s, RDF_TYPE, skos("Concept")),
            (s, skos("prefLabel"), lit(en, "en")), (s, skos("prefLabel"), lit(ko, "ko")),
            (s, skos("definition"), lit(definition, "en")),
            (s, skos("inScheme"), scheme_iri(scheme)), (s, skos("notation"), lit(slug_)),
        ]
    return out


def triples() -> list[tuple]:
    """The schemes and the fixed code lists.

    >>> t = triples()
    >>> ('<https://w3id.org/krm/id/flow/import>', '<http://www.w3.org/2004/02/skos/core#inScheme>',
    ...  '<https://w3id.org/krm/id/scheme/trade-flows>') in t
    True
    """
    out = []
    for name, (en, ko) in SCHEMES.items():
        s = scheme_iri(name)
        out += [(s, RDF_TYPE, skos("ConceptScheme")), (s, skos("prefLabel"), lit(en, "en")),
                (s, skos("prefLabel"), lit(ko, "ko"))]
    out += _concepts("statistic", "statistics", "Statistic", STATISTICS)
    out += _concepts("flow", "trade-flows", "TradeFlow", FLOWS)
    out += _concepts("status", "observation-status", "ObservationStatus", STATUSES)
    out += _concepts("stage", "product-stages", "ProductStage", STAGES)
    return out


def statistic(slug_: str) -> str:
    """The statistic code's IRI term.

    Raises:
        KeyError: no such statistic.
    """
    STATISTICS[slug_]
    return iri(f"id/statistic/{slug_}")


def status(slug_: str) -> str:
    STATUSES[slug_]
    return iri(f"id/status/{slug_}")


def stage(slug_: str) -> str:
    STAGES[slug_]
    return iri(f"id/stage/{slug_}")


def flow(slug_: str) -> str:
    FLOWS[slug_]
    return iri(f"id/flow/{slug_}")
