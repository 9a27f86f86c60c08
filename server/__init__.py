"""The krm-kg web service: a Flask app factory; one blueprint per user-facing surface."""

from __future__ import annotations

from flask import Flask

from kg import store as st
from server import config as defaults


def create_app(config: dict | None = None, store=None) -> Flask:
    """Build the app. Settings come from ``server/config.py``, then the file named by
    ``KRM_SETTINGS``, then ``KRM_*`` environment variables, then ``config``.

    The store is opened once, read-only, and handed to the views through
    :func:`server.db.get_store`; pass ``store`` to use one already open.

    Raises:
        OSError: no store at the configured path (run ``krm build``).
    """
    app = Flask(__name__)
    app.config.from_object(defaults)
    app.config.from_envvar("KRM_SETTINGS", silent=True)
    app.config.from_prefixed_env("KRM")
    if config:
        app.config.update(config)
    app.extensions["krm.store"] = store if store is not None else st.open_store(app.config["STORE"])

    from server.browse import bp as browse_bp
    from server.health import bp as health_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(browse_bp)
    from server.api import bp as api_bp

    app.register_blueprint(api_bp)
    from server import graph

    graph.register(app)
    return app
