"""The SPARQL 1.1 service: Protocol (``/sparql``), Update (``/sparql/update``) and the
read side of the Graph Store Protocol (``/sparql/graph``)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

from flask import Blueprint, Flask

from kg.service import is_endpoint_url

bp = Blueprint("sparql", __name__)
log = logging.getLogger(__name__)
#: Seconds this process's other requests get to finish before a recycle ends it.
RECYCLE_GRACE = 1.0
#: Youngest a process may be when it ends itself: granian stops the whole server when a
#: worker it started less than 5.5 s ago exits (it takes that for a crash loop).
MIN_AGE = 6.0
_born = time.monotonic()  # when this process made its app (init_app)
_recycling = threading.Event()


def init_app(app: Flask) -> None:
    """Open the query backend named by the ``STORE`` setting and register the views.

    A URL forwards queries to that SPARQL endpoint. A path runs them on threads of this
    process when ``SPARQL_IN_PROCESS`` is set (``krm serve`` does: its server replaces a
    process that :func:`recycle` ends), else in killable worker processes, as it does
    when updates are on (they need the store's one writer).
    """
    global _born
    _born = time.monotonic()
    cfg = app.config
    writable = bool(cfg.get("SPARQL_UPDATE_TOKEN"))
    if is_endpoint_url(cfg["STORE"]):
        from kg.service.remote import RemoteEndpoint

        backend = RemoteEndpoint(cfg["STORE"], cfg.get("SPARQL_UPDATE_URL"))
    elif cfg["SPARQL_IN_PROCESS"] and not writable:
        from kg.service.local import LocalStore

        backend = LocalStore(app.extensions["krm.store"],
                             max_result_bytes=cfg["SPARQL_MAX_RESULT_BYTES"], on_runaway=recycle)
    else:
        from kg.service.pool import ProcessPool

        backend = ProcessPool(str(Path(cfg["STORE"]).resolve()), size=cfg["SPARQL_PROCESSES"],
                              writable=writable,
                              max_result_bytes=cfg["SPARQL_MAX_RESULT_BYTES"])
    app.extensions["krm.sparql"] = backend
    from server.sparql import graph_store, update, views  # noqa: F401  (routes)
    from server.sparql.hotpath import HotPath

    app.register_blueprint(bp)
    app.wsgi_app = HotPath(app.wsgi_app, app)


def recycle() -> None:
    """End this server process because a query outlived its time limit inside the engine,
    where nothing can stop it: SIGTERM makes the server (granian or gunicorn) stop giving
    the process requests, let the others finish and start a fresh process; the runaway
    dies with this one, at the latest :data:`RECYCLE_GRACE` later. A process younger than
    :data:`MIN_AGE` (possible only with a time limit shorter than that) waits until it is
    that old, so that runaways in a row never look like a crash loop."""
    if _recycling.is_set():
        return  # under way
    _recycling.set()
    log.error("restarting server process %d to stop a runaway query", os.getpid())
    wait = max(0.0, _born + MIN_AGE - time.monotonic())
    for delay, action, args in ((wait, os.kill, (os.getpid(), signal.SIGTERM)),
                                (wait + RECYCLE_GRACE, os._exit, (1,))):
        timer = threading.Timer(delay, action, args)
        timer.daemon = True
        timer.start()
