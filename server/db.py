"""The one way views reach the store and the SPARQL backend."""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from flask import Flask, current_app

from kg.service import Backend, is_endpoint_url

_opening = threading.Lock()


def get_store():
    """The store opened by the app factory (read-only, shared by all requests), or the
    remote endpoint's :class:`~kg.service.remote.RemoteStore`: the same queries either way."""
    return current_app.extensions["krm.store"]


def get_backend(app: Flask | None = None) -> Backend:
    """The SPARQL backend of ``app`` (default: the current one), opened on first use: a
    supervised pool of query worker processes over the store on disk, or the remote
    endpoint that ``STORE`` names. It is closed when the process exits."""
    app = app or current_app
    backend = app.extensions.get("krm.sparql")
    if backend is None:
        with _opening:
            backend = app.extensions.get("krm.sparql")
            if backend is None:
                inline = None if store_is_remote(app) else app.extensions.get("krm.store")
                backend = app.extensions["krm.sparql"] = _open_backend(app.config, inline)
                atexit.register(backend.close)
    return backend


def _open_backend(cfg, store) -> Backend:
    if is_endpoint_url(cfg["STORE"]):
        from kg.service.remote import RemoteEndpoint

        return RemoteEndpoint(cfg["STORE"], cfg.get("SPARQL_UPDATE_URL"),
                              cfg["SPARQL_SERVICE_ALLOW"], cfg["SPARQL_LOAD_ALLOW_HOSTS"])
    from kg.service.pool import ProcessPool

    return ProcessPool(**pool_options(cfg), inline_store=store, host=cfg.get("POOL_SOCKET"))


def pool_options(cfg) -> dict:
    """The query worker pool's settings, as :class:`~kg.service.pool.ProcessPool` takes
    them (also handed to the shared pool's host, :mod:`kg.service.host`)."""
    return {"store_path": str(Path(cfg["STORE"]).resolve()), "spare": cfg["SPARQL_PROCESSES"],
            "most": cfg["SPARQL_MAX_PROCESSES"], "idle": cfg["SPARQL_IDLE_SECONDS"],
            "writable": bool(cfg.get("SPARQL_UPDATE_TOKEN")),
            "memory_limit": cfg["SPARQL_WORKER_MEMORY_MB"] * 2**20,
            "max_result_bytes": cfg["SPARQL_MAX_RESULT_BYTES"],
            "service_allow": cfg["SPARQL_SERVICE_ALLOW"],
            "load_hosts": cfg["SPARQL_LOAD_ALLOW_HOSTS"]}


def store_is_remote(app: Flask | None = None) -> bool:
    """Whether the store views read is a remote SPARQL endpoint
    (:class:`~kg.service.remote.RemoteStore`)."""
    return bool((app or current_app).extensions.get("krm.store_remote"))


def store_in_memory() -> bool:
    """Whether the store views read is the app factory's copy in memory."""
    return bool(current_app.extensions.get("krm.store_in_memory"))


def get_hub_index():
    """The store's browse index (:mod:`kg.hubs`), or None when pages do without it.

    A remote store has no index file beside it: the index is computed from it (the same
    queries ``krm build`` runs) on first use, unless it takes updates through us."""
    app = current_app
    if store_is_remote(app) and not app.config.get("SPARQL_UPDATE_TOKEN") \
            and app.extensions.get("krm.hubs") is None:
        from kg import hubs

        with _opening:
            if app.extensions.get("krm.hubs") is None:
                app.extensions["krm.hubs"] = hubs.compute(get_store())
    return app.extensions.get("krm.hubs")
