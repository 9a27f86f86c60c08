"""The dependency explorer: Korea's supply of each metal by partner, year and risk
(``/dependencies``) and the world map of import sources (``/map``)."""

from flask import Blueprint, Flask

bp = Blueprint("explorer", __name__)


def register(app: Flask) -> None:
    """Register the explorer's pages."""
    from server.explorer import dependencies, world_map  # noqa: F401  (routes)
    from server.explorer.fmt import number

    app.register_blueprint(bp)
    app.add_template_global(number, "fmt_number")
