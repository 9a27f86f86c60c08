"""``/graph``: the interactive supply-network page (Cytoscape.js, served locally)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from kg.namespace import BASE
from kg.network.export import FORMATS

bp = Blueprint("graph", __name__)


@bp.get("/graph")
def graph():
    api = url_for("network_api.network")
    alternates = [(f"{api}?format={name}", media) for name, media in FORMATS.items()]
    html = render_template("graph/graph.html", api=api, alternates=alternates,
                           base=BASE)
    links = ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media in alternates)
    return html, 200, {"Link": links}
