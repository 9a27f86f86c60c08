"""The krm-kg web service: a Flask app factory; one blueprint per user-facing surface."""

from __future__ import annotations

from pathlib import Path

from flask import Config, Flask
from flask_compress import Compress

from kg import store as st
from kg.service import is_endpoint_url
from server import (
    api,
    browse,
    errors,
    explorer,
    graph,
    headers,
    health,
    query_page,
    site,
    sparql,
    urls,
)
from server import config as defaults


def settings(config: Config | None = None) -> Config:
    """The service's settings: ``server/config.py``, then the file named by
    ``KRM_SETTINGS``, then ``KRM_*`` environment variables (into ``config``, if given)."""
    config = config if config is not None else Config(str(Path(__file__).parent))
    config.from_object(defaults)
    config.from_envvar("KRM_SETTINGS", silent=True)
    config.from_prefixed_env("KRM")
    return config


def create_app(config: dict | None = None, store=None) -> Flask:
    """Build the app. Settings come from ``server/config.py``, then the file named by
    ``KRM_SETTINGS``, then ``KRM_*`` environment variables, then ``config``.

    The store is opened once, read-only, copied into memory when it is small enough
    (``STORE_IN_MEMORY_UP_TO``), and handed to the views through
    :func:`server.db.get_store`; pass ``store`` to use one already open. When ``STORE``
    is the URL of a SPARQL endpoint, the views get a
    :class:`~kg.service.remote.RemoteStore` that sends their queries there.

    Raises:
        OSError: no store at the configured path (run ``krm build``).
    """
    app = Flask(__name__)
    settings(app.config)
    if config:
        app.config.update(config)
    if store is None and not is_endpoint_url(app.config["STORE"]):
        store = st.open_store(app.config["STORE"])
        up_to = app.config["STORE_IN_MEMORY_UP_TO"]
        copy = st.in_memory(store, st.memory_quota() if up_to is None else up_to)
        app.extensions["krm.store_in_memory"] = copy is not None
        store = copy or store
    if store is None:  # STORE is a remote SPARQL endpoint: nothing opened until asked
        from kg.service.remote import RemoteStore
        from server.db import get_backend

        store = RemoteStore(get_backend(app), timeout=app.config["SPARQL_TIME_LIMIT"])
        app.extensions["krm.store_remote"] = True
    app.extensions["krm.store"] = store
    Compress(app)

    errors.init_app(app)
    site.init_app(app)
    app.url_map.converters.update(urls.CONVERTERS)
    for blueprint in (health.bp, browse.bp, api.bp, query_page.bp):
        app.register_blueprint(blueprint)
    sparql.init_app(app)
    graph.register(app)
    explorer.register(app)
    headers.init_app(app)  # last: around every other layer
    return app
