"""The SPARQL 1.1 service: Protocol (``/sparql``), Update (``/sparql/update``) and the
read side of the Graph Store Protocol (``/sparql/graph``)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from flask import Blueprint, Flask

from kg.service import is_endpoint_url

bp = Blueprint("sparql", __name__)
log = logging.getLogger(__name__)
#: Seconds after which a process that asked to be replaced ends itself, should its
#: server not have replaced it by then (a server that does not reload on SIGHUP); well
#: past the time granian takes to replace every worker (5 s each at most).
RECYCLE_DEADLINE = 30.0
_recycling = threading.Event()


def init_app(app: Flask) -> None:
    """Open the query backend named by the ``STORE`` setting and register the views.

    A URL forwards queries to that SPARQL endpoint. A path runs them on threads of this
    process when ``SPARQL_IN_PROCESS`` is set (``krm serve`` does: its server replaces
    its processes when :func:`recycle` asks), else in killable worker processes, as it does
    when updates are on (they need the store's one writer).
    """
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
    """Have this server process replaced, because a query outlived its time limit inside
    the engine, where nothing can stop it.

    SIGHUP asks the server's master process (granian or gunicorn) to start fresh worker
    processes and stop the old ones gracefully: they finish their requests and the runaway
    dies with its process. A planned replacement, not a crash: granian stops the whole
    server when a worker it started less than 5.5 s ago exits by itself, so a process
    ending itself would let a few runaways in a row take the service down.
    """
    if _recycling.is_set():
        return  # asked already
    _recycling.set()
    log.error("replacing server process %d to stop a runaway query", os.getpid())
    os.kill(os.getppid(), signal.SIGHUP)
    timer = threading.Timer(RECYCLE_DEADLINE, os._exit, (1,))
    timer.daemon = True
    timer.start()
