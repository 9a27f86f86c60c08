"""Reading the committed data files the way a user checks them: csv module, no ingest code."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kg import store as st
from kg.build import DATA

KRM = "https://w3id.org/krm/ontology#"


def rows(path: Path) -> list[list[str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def number(cell: str) -> Decimal | None:
    """The number a cell prints ('1,700', 'e5,000'), or None if it prints none."""
    text = cell.replace("\xa0", " ").strip().removeprefix("e").strip().replace(",", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def select(store, sparql: str, **values) -> list[dict]:
    """Rows of a SELECT with values bound by substitution (IRIs as st.NamedNode)."""
    subs = {st.Variable(k): v for k, v in values.items()}
    return st.plain_rows(st.query(store, sparql, substitutions=subs))


__all__ = ["DATA", "KRM", "rows", "number", "select"]
