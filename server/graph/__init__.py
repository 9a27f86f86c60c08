"""The supply-network surface: the ``/graph`` page and its ``/api/network`` data."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the page's and the API's blueprints."""
    from server.graph import api, page, supply_api

    app.register_blueprint(page.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(supply_api.bp)
