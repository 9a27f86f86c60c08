"""The SPARQL service: Protocol (``/sparql``), Update (``/sparql/update``) and the Graph
Store Protocol (``/sparql/graph``), all through one backend (:func:`server.db.get_backend`)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("sparql", __name__)


def init_app(app: Flask) -> None:
    """Register the views and the query endpoint in front of them; the backend opens on
    first use (:func:`server.db.get_backend`)."""
    from server.sparql import endpoint, graph_store, update, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    endpoint.init_app(app)
