"""The one way views reach the store."""

from flask import current_app


def get_store():
    """The store opened by the app factory (read-only, shared by all requests)."""
    return current_app.extensions["krm.store"]


def get_backend():
    """The SPARQL query backend (worker processes over the store, or a remote endpoint)."""
    return current_app.extensions["krm.sparql"]


def get_hub_index():
    """The store's browse index (:mod:`kg.hubs`), or None when pages do without it."""
    return current_app.extensions.get("krm.hubs")
