"""Liveness: answers once the store is open, for process managers and tests."""

from flask import Blueprint, jsonify

from kg import store as st
from server.db import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", graphs=st.graph_sizes(get_store()))
