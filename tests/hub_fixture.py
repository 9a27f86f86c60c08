"""A hub for the browse tests: the fixture graph plus a country, Hubland, with more
production shares than a page lists and more inbound links than a page examines, among
which a few facts and links that the page must still show.

Generated rather than committed: 700 observations and companies in Turtle say less than
the loop that makes them. Deterministic: the same graph every time.
"""

from __future__ import annotations

from pathlib import Path

#: Hubland's production shares (of tungsten): more than a page lists (MAX_SHARES).
SHARES = 150
#: Companies based in Hubland: with the shares, more links than a page examines.
COMPANIES = 1500
#: What a page of Hubland must show among those links: facts, then other links.
FACTS = ("strategy/hub-plan", "law/hub-act", "event/hub-embargo")
LINKED = ("list/hubland-critical", "list/hubland-watch", "survey/hubland-companies")


def share_of(i: int) -> float:
    """Observation ``i``'s share: scattered, and in threes, so equal shares straddle the cut.

    >>> sorted({share_of(i) for i in range(SHARES)}) == [x / 2 for x in range(50)]
    True
    """
    return (i * 7 % SHARES) // 3 / 2


PREFIXES = """@prefix krm:  <ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb:   <http://purl.org/linked-data/cube#> .
"""
SOURCE = "<https://example.org/hubland-statistics>"


def hub_turtle() -> str:
    """Hubland's Turtle: the shares and companies that make it a hub, then what a page of
    it must show despite them: the facts naming it (a strategy, an act, an event) and
    the other things linking to it (two lists, a survey)."""
    hub = '<id/country/HUB> a krm:Country ; rdfs:label "Hubland"@en , "허브랜드"@ko ;\n'
    lines = [PREFIXES, hub + f"    prov:wasDerivedFrom {SOURCE} ."]
    for i in range(SHARES):
        lines.append(
            f"<id/observation/hub-w-{i:03d}> a krm:ProductionShare ;\n"
            f'    rdfs:label "Hubland\'s tungsten share, series {i:03d}"@en ;\n'
            f'    krm:translatedLabel "허브랜드 텅스텐 점유율, 계열 {i:03d}"@ko ;\n'
            "    qb:dataSet krm:productionShares ; krm:producer <id/country/HUB> ;\n"
            f"    krm:commodity <id/element/W> ; krm:sharePercent {share_of(i)} ;\n"
            f"    prov:wasDerivedFrom {SOURCE} .")
    for i in range(COMPANIES):
        lines.append(f'<id/org/hub-co-{i:03d}> a krm:Company ;\n'
                     f'    rdfs:label "Hub company {i:03d}"@en , "허브 기업 {i:03d}"@ko ;\n'
                     f"    krm:basedIn <id/country/HUB> ; prov:wasDerivedFrom {SOURCE} .")
    lines.append("""
<id/strategy/hub-plan> a krm:Strategy ;
    rdfs:label "Hubland's rare metal plan"@en , "허브랜드 희소금속 계획"@ko ;
    krm:jurisdiction <id/country/HUB> ;
    prov:wasDerivedFrom <https://example.org/hubland-report> .

<id/law/hub-act> a krm:Act ;
    rdfs:label "Hubland Metals Act"@en , "허브랜드 금속법"@ko ;
    krm:jurisdiction <id/country/HUB> ;
    prov:wasDerivedFrom <https://example.org/hubland-report> .

<id/event/hub-embargo> a krm:Event ;
    rdfs:label "Hubland's tungsten embargo"@en , "허브랜드 텅스텐 수출 금지"@ko ;
    krm:affected <id/country/HUB> ;
    krm:describedBy <id/statement/hubland-report> .

<id/list/hubland-critical> a krm:MaterialList ;
    rdfs:label "Hubland's critical metals"@en , "허브랜드 핵심 금속"@ko ;
    krm:jurisdiction <id/country/HUB> ;
    prov:wasDerivedFrom <https://example.org/hubland-list> .

<id/list/hubland-watch> a krm:MaterialList ;
    rdfs:label "Hubland's watch list"@en , "허브랜드 관찰 목록"@ko ;
    krm:jurisdiction <id/country/HUB> ;
    prov:wasDerivedFrom <https://example.org/hubland-list> .

<id/survey/hubland-companies> a krm:Survey ;
    rdfs:label "Survey of Hubland's metal companies"@en , "허브랜드 금속 기업 조사"@ko ;
    krm:country <id/country/HUB> ;
    krm:describedBy <id/statement/hubland-report> .

<id/statement/hubland-report> a prov:Entity ;
    rdfs:label "A report on Hubland's metals"@en , "허브랜드 금속 보고서"@ko ;
    prov:wasDerivedFrom <https://example.org/hubland-report> .
""")
    return "\n".join(lines) + "\n"


def write_hub_facts(folder: Path, fixture_facts: Path) -> Path:
    """``folder`` holding the fixture graph's Turtle files and Hubland's; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for ttl in sorted(fixture_facts.glob("*.ttl")):
        (folder / ttl.name).write_bytes(ttl.read_bytes())
    (folder / "hub.ttl").write_text(hub_turtle(), encoding="utf-8")
    return folder
