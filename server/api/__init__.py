"""The REST API of named queries (``/api``): the query library served for scripts,
spreadsheets and other systems that do not write SPARQL, documented by OpenAPI."""

from flask import Blueprint

from kg import queries

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.record_once
def _load_library(state) -> None:
    # Loaded once when the app is made: a malformed header stops the app from starting
    # instead of failing one request later.
    state.app.extensions.setdefault("krm.queries", queries.published())


from server.api import views  # noqa: E402,F401  (registers the routes on bp)
