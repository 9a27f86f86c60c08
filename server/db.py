"""The one way views reach the store."""

from flask import current_app


def get_store():
    """The store opened by the app factory (read-only, shared by all requests)."""
    return current_app.extensions["krm.store"]


def get_backend(app=None):
    """The SPARQL query backend of ``app`` (default: the current one): threads or worker
    processes over the store, or a remote endpoint."""
    return (app or current_app).extensions["krm.sparql"]


def store_in_memory() -> bool:
    """Whether the store views read is the app factory's copy in memory."""
    return bool(current_app.extensions.get("krm.store_in_memory"))


def get_hub_index():
    """The store's browse index (:mod:`kg.hubs`), or None when pages do without it."""
    return current_app.extensions.get("krm.hubs")
