"""``/graph``: the interactive supply-network page (Cytoscape.js, served locally).

Two data sets: Korea's imports by partner in a year (CEPII BACI; ``/api/supply``, the
default where the graph has them), and world production shares (USGS MCS and the paper;
``/api/network``). ``?dataset=`` and ``?year=`` choose; for the imports, ``?scope=``
(sectors, connected) and ``?min_share=`` set the first view. A bad value is a 400 that
says what would do.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from kg.namespace import BASE
from kg.network.export import FORMATS
from server.graph import cache, drawing
from server.site import site_lang

bp = Blueprint("graph", __name__)
DATASETS = ("imports", "production")


def import_years() -> list[int]:
    """The years of Korea's imports in the served store, latest first (none in a graph
    without trade data)."""
    from server.explorer import data

    return data.figures().years


def production_years() -> list[int]:
    """The years of the production figures in the network, latest first."""
    return cache.memo(("production-years",), lambda g: sorted({
        o["year"] for _, _, d in g.edges(data=True) if d.get("kind") == "produces"
        for o in d["observations"] if o.get("year")}, reverse=True))


def _choose(years: list[int]) -> tuple[str, int | None]:
    """``(dataset, year)`` from the query string.

    Raises:
        werkzeug.exceptions.BadRequest: an unknown data set or a year without its data.
    """
    dataset = request.args.get("dataset") or ("imports" if years else "production")
    if dataset not in DATASETS or (dataset == "imports" and not years):
        offered = "imports, production" if years else "production"
        abort(400, f"dataset must be one of {offered}, not {dataset[:40]!r}")
    known = years if dataset == "imports" else production_years()
    raw = request.args.get("year") or None
    if raw is None:
        return dataset, (known[0] if dataset == "imports" else None)
    if not raw.isdigit() or int(raw) not in known:
        shown = ", ".join(map(str, [known[-1], known[0]] if known else [])) or "none"
        abort(400, f"year must be a year of the {dataset} data ({shown.replace(', ', '-')}), "
                   f"not {raw[:20]!r}")
    return dataset, int(raw)


def _view() -> tuple[str, float]:
    """``(scope, min_share)`` of the imports view from the query string.

    Raises:
        werkzeug.exceptions.BadRequest: an unknown scope or a share outside 0-100.
    """
    scope = request.args.get("scope") or drawing.DEFAULT_SCOPE
    if scope not in ("sectors", "connected"):
        abort(400, f"scope must be sectors or connected, not {scope[:40]!r}")
    raw = request.args.get("min_share") or None
    try:
        share = drawing.DEFAULT_SHARE if raw is None else float(raw)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 100:
        abort(400, f"min_share must be a percentage from 0 to 100, not {raw[:20]!r}")
    return scope, share


@bp.get("/graph")
def graph():
    years = import_years()
    dataset, year = _choose(years)
    scope, min_share = _view()
    lang = site_lang()
    if dataset == "imports":
        api = url_for("supply_api.network")
        alternates = [(f"{api}?year={year}&format={name}", media)
                      for name, media in FORMATS.items()]
    else:
        api = url_for("network_api.network")
        alternates = [(f"{api}?format={name}" + (f"&year={year}" if year else ""), media)
                      for name, media in FORMATS.items()]
    html = render_template(
        "graph/graph.html", api=api, alternates=alternates, base=BASE, lang=lang,
        dataset=dataset, year=year, import_years=years,
        production_years=production_years() if dataset == "production" else [],
        scope=scope, min_share=min_share,
        choices=url_for("supply_api.choices"), disrupt=url_for("supply_api.disrupt"))
    links = ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media in alternates)
    return html, 200, {"Link": links, "Content-Language": lang,
                       "Vary": "Accept-Language, Cookie"}
