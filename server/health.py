"""Liveness: answers once the store is open, for process managers and tests."""

from flask import Blueprint, jsonify

from kg import store as st
from server.db import get_store, store_in_memory

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = get_store()
    if store is None:  # a remote SPARQL endpoint: answers once that endpoint does
        from server.sparql.views import run

        b"".join(run("ASK {}", st.RESULTS_MEDIA_TYPES[0], None).chunks)
        return jsonify(status="ok", store="remote")
    return jsonify(status="ok", store="memory" if store_in_memory() else "disk",
                   graphs=st.graph_sizes(store))
