"""Liveness: answers once the store is open, for process managers and tests."""

from flask import Blueprint, jsonify

from kg import store as st
from server.db import get_store, store_in_memory, store_is_remote

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = get_store()  # a remote SPARQL endpoint: answers once that endpoint does
    kind = "remote" if store_is_remote() else "memory" if store_in_memory() else "disk"
    return jsonify(status="ok", store=kind, graphs=st.graph_sizes(store))
