"""Liveness: answers once the store is open, for process managers and tests."""

from flask import Blueprint, jsonify

from kg import store as st
from kg.namespace import GRAPH_FACTS
from server.db import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", facts=st.count_quads(get_store(), GRAPH_FACTS))
