"""Warm a served process before its first request: the explorer's figures and tables,
the latest year's supply network and the compiled templates.

The first request to ``/dependencies`` or an element page used to take 2-3.5 s while it
read the figures and compiled the templates; a served store never changes, so a process
can do that work once when it starts (``server/wsgi.py``) and every request, the first
included, reads what the same code computed. Requests take the same path as before:
warming only fills the caches those paths already keep.
"""

from __future__ import annotations

from flask import Flask


def warm(app: Flask) -> None:
    """Compile every template and, over a local store, compute the explorer's figures
    and the supply network of the latest year with its drawing.

    Raises:
        OSError: the store cannot be read.
    """
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    from server.db import store_is_remote

    if store_is_remote(app):
        # Computed on the first request instead: the remote store may not be up yet when
        # the server starts, and a server that cannot start would not say so in a 503.
        return
    from server.explorer import data
    from server.graph import drawing

    with app.app_context():
        figs = data.warm()
        if figs.years:
            drawing.warm(figs.years[0])
