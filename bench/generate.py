"""A synthetic graph in the shape of krm-kg (companies, countries, elements, supply
relations, production shares), of about N triples, as N-Triples: a stand-in for a real
large graph until one exists. Deterministic (seeded)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

KRM = "https://w3id.org/krm/ontology#"
ID = "https://w3id.org/krm/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
INT = "<http://www.w3.org/2001/XMLSchema#integer>"
DEC = "<http://www.w3.org/2001/XMLSchema#decimal>"
WORDS = ["metals", "materials", "alloys", "magnets", "batteries", "chemicals", "mining"]


def triples(n: int, seed: int = 1):
    """Yield N-Triples lines, about ``n`` of them."""
    rnd = random.Random(seed)
    companies = max(10, n // 10)
    relations = max(10, n * 4 // 10 // 4)
    countries, elements, sectors = 200, 100, 50
    for i in range(countries):
        yield f'<{ID}country/C{i}> {RDF_TYPE} <{KRM}Country> .'
        yield f'<{ID}country/C{i}> {LABEL} "Country {i}"@en .'
    for i in range(elements):
        yield f'<{ID}element/E{i}> {RDF_TYPE} <{KRM}ChemicalElement> .'
        yield f'<{ID}element/E{i}> {LABEL} "Element {i}"@en .'
    for i in range(sectors):
        yield f'<{ID}sector/S{i}> {RDF_TYPE} <{KRM}IndustrialSector> .'
        for e in rnd.sample(range(elements), 5):
            yield f'<{ID}sector/S{i}> <{KRM}requires> <{ID}element/E{e}> .'
    for i in range(companies):
        c = f"<{ID}org/c{i}>"
        yield f"{c} {RDF_TYPE} <{KRM}Company> ."
        yield f'{c} {LABEL} "Company {i} {rnd.choice(WORDS)}"@en .'
        yield f"{c} <{KRM}basedIn> <{ID}country/C{rnd.randrange(countries)}> ."
        yield f"{c} <{KRM}activeInSector> <{ID}sector/S{rnd.randrange(sectors)}> ."
        yield f'{c} <{KRM}employees> "{rnd.randrange(10, 50000)}"^^{INT} .'
    for i in range(relations):
        r = f"<{ID}supply/r{i}>"
        yield f"{r} {RDF_TYPE} <{KRM}SupplyRelation> ."
        yield f"{r} <{KRM}supplier> <{ID}org/c{rnd.randrange(companies)}> ."
        yield f"{r} <{KRM}recipient> <{ID}org/c{rnd.randrange(companies)}> ."
        yield f"{r} <{KRM}commodity> <{ID}element/E{rnd.randrange(elements)}> ."
    for i in range(max(10, n // 10 // 5)):
        s = f"<{ID}share/p{i}>"
        yield f"{s} {RDF_TYPE} <{KRM}ProductionShare> ."
        yield f"{s} <{KRM}producer> <{ID}country/C{rnd.randrange(countries)}> ."
        yield f"{s} <{KRM}commodity> <{ID}element/E{rnd.randrange(elements)}> ."
        yield f'{s} <{KRM}sharePercent> "{rnd.randrange(1, 10000) / 100}"^^{DEC} .'
        yield f'{s} <{KRM}productionRank> "{rnd.randrange(1, 20)}"^^{INT} .'


def write(path: Path, n: int) -> int:
    """Write about ``n`` triples to ``path``; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        for line in triples(n):
            f.write(line + "\n")
            count += 1
    return count


if __name__ == "__main__":
    target, size = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    print(f"{write(target, size)} triples in {target}")
