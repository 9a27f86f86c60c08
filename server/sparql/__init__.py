"""The SPARQL 1.1 service: Protocol (``/sparql``), Update (``/sparql/update``) and the
read side of the Graph Store Protocol (``/sparql/graph``)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

from kg.service import is_endpoint_url

bp = Blueprint("sparql", __name__)


def init_app(app: Flask) -> None:
    """Open the query backend named by the ``STORE`` setting and register the views.

    A path runs queries in killable worker processes over the on-disk store; a URL
    forwards them to that SPARQL endpoint.
    """
    cfg = app.config
    if is_endpoint_url(cfg["STORE"]):
        from kg.service.remote import RemoteEndpoint

        backend = RemoteEndpoint(cfg["STORE"], cfg.get("SPARQL_UPDATE_URL"))
    else:
        from kg.service.pool import ProcessPool

        backend = ProcessPool(str(Path(cfg["STORE"]).resolve()), size=cfg["SPARQL_PROCESSES"],
                              writable=bool(cfg.get("SPARQL_UPDATE_TOKEN")),
                              max_result_bytes=cfg["SPARQL_MAX_RESULT_BYTES"])
    app.extensions["krm.sparql"] = backend
    from server.sparql import graph_store, update, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
