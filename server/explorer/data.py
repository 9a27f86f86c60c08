"""The explorer's figures, computed once per served store from the named queries of
``queries/explorer/`` (:mod:`kg.dependencies` does the arithmetic).

The store is read-only and each build has its own digest, so the rows are kept per
digest; a store that takes SPARQL updates is read afresh on every request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app, url_for

from kg import dependencies as dep
from kg import queries as library
from kg import store as st
from kg.describe import Labels
from server.browse.common import version
from server.db import get_store

_lock = threading.Lock()
QUERIES = ("imports", "production", "political-stability", "commodities", "sectors",
           "list-entries")


def load(name: str) -> library.NamedQuery:
    """``queries/explorer/<name>.rq``.

    Raises:
        kg.queries.HeaderError: a malformed header.
        OSError: no such query.
    """
    return library.load(library.QUERIES / "explorer" / f"{name}.rq")


def query_link(name: str) -> str:
    """Where a reader sees the named query behind a table or chart: the API operation
    when the query is published, else the query's text opened in /query."""
    query = load(name)
    if not query.internal:
        return url_for("api.run", name=query.name)
    return url_for("query.page", query=query.text)


def run(name: str, **params: str) -> list[dict]:
    """The rows of ``queries/explorer/<name>.rq`` with ``params`` bound.

    Raises:
        kg.queries.ParamError: a parameter value does not fit.
        OSError: the store cannot be read.
    """
    return list(st.rows(load(name).run(get_store(), params)))


@dataclass
class Figures:
    """What the explorer's pages read: the query rows and the derived tables."""

    imports: list[dict]
    production: list[dict]
    wgi: list[dict]
    commodities: list[dict]
    sectors: list[dict]
    list_entries: list[dict]
    years: list[int]
    tables: dict

    def by_commodity(self) -> dict:
        """``commodity -> year -> partner -> (value, tonnes)``, computed once."""
        derived = self.tables.setdefault("derived", {})
        if "imports" not in derived:
            derived["imports"] = dep.imports_by_commodity(self.imports)
        return derived["imports"]

    def by_partner(self) -> dict:
        """``partner -> commodity -> year -> value``, computed once."""
        if "by-partner" not in self.tables:
            out: dict = {}
            for c, years in self.by_commodity().items():
                for y, partners in years.items():
                    for p, (v, _t) in partners.items():
                        out.setdefault(p, {}).setdefault(c, {})[y] = v
            self.tables["by-partner"] = out
        return self.tables["by-partner"]

    def sectors_of(self) -> dict[str, list[str]]:
        """``commodity -> sector IRIs`` (from ``explorer/sectors``)."""
        out: dict[str, list[str]] = {}
        for r in self.sectors:
            out.setdefault(r["commodity"], []).append(r["sector"])
        return out

    def sector_names(self, lang: str) -> list[tuple[str, str]]:
        """(IRI, name in ``lang``) of every sector that needs a commodity, by name."""
        names = {}
        for r in self.sectors:
            names[r["sector"]] = ((r.get("sectorLabelKo") or r.get("sectorLabelEn"))
                                  if lang == "ko" else r.get("sectorLabelEn")) \
                or r["sector"].rpartition("/")[2]
        return sorted(names.items(), key=lambda kv: kv[1])

    def commodity_of_page(self, iri: str) -> str | None:
        """The commodity whose page (element or group) is ``iri``."""
        return next((r["commodity"] for r in self.commodities if r.get("page") == iri), None)

    def table(self, year: int | None) -> list[dep.Dependency]:
        """The dependency rows of ``year`` (default: the latest), computed once."""
        year = year or (self.years[0] if self.years else None)
        if year not in self.tables:
            self.tables[year] = dep.table(self.imports, self.production, self.wgi,
                                          self.commodities, year,
                                          self.tables.setdefault("derived", {}))
        return self.tables[year]


def figures() -> Figures:
    """The served store's figures, computed on first use per store digest."""
    app = current_app
    digest = version(app)[0]
    cached = app.extensions.get("krm.explorer")
    if cached and cached[0] == digest and not app.config.get("SPARQL_UPDATE_TOKEN"):
        return cached[1]
    with _lock:
        cached = app.extensions.get("krm.explorer")
        if cached and cached[0] == digest and not app.config.get("SPARQL_UPDATE_TOKEN"):
            return cached[1]
        rows = {name: run(name) for name in QUERIES}
        figs = Figures(rows["imports"], rows["production"], rows["political-stability"],
                       rows["commodities"], rows["sectors"], rows["list-entries"],
                       dep.years(rows["imports"]), {})
        app.extensions["krm.explorer"] = (digest, figs)
        return figs


def warm() -> Figures:
    """Read the figures and derive every table the pages read (each year's dependency
    rows, the imports by commodity and by partner), so that a served process answers its
    first request as fast as the next: ``server/wsgi.py`` calls it at start, in an app
    context. Nothing else computes them differently: the pages read the same
    :class:`Figures`.

    Raises:
        OSError: the store cannot be read.
    """
    figs = figures()
    for year in figs.years:
        figs.table(year)
    figs.by_commodity()
    figs.by_partner()
    return figs


def commodity_name(figs: Figures, iri: str | None, lang: str) -> str:
    """A commodity's name in ``lang`` from the ``explorer/commodities`` rows (its
    ``skos:prefLabel``; in Korean, that of the element or group it matches, as the
    commodities have no Korean names), else its IRI's last segment."""
    en = ko = None
    for r in figs.commodities:
        if r["commodity"] == iri:
            en, ko = en or r.get("labelEn"), ko or r.get("labelKo") or r.get("pageKo")
    name = (ko or en) if lang == "ko" else (en or ko)
    return name or (iri or "").rpartition("/")[2]


def labels() -> Labels:
    """Country and commodity names from the store's label index (per request use)."""
    return Labels(get_store())
