"""Linked data for people and machines: every IRI of the graph dereferences here
(303 to a page or a data document), with search, class and ontology pages, and the
dataset's description and dumps."""

from flask import Blueprint

bp = Blueprint("browse", __name__)


@bp.record_once
def _remember_version(state) -> None:
    # Read once when the app is made, right after it opened the store; a remote store is
    # asked on first use (server.browse.common.version), so a server starts without it.
    from server.browse.common import hub_index, store_version
    from server.db import store_is_remote

    if not store_is_remote(state.app):
        state.app.extensions["krm.browse.version"] = store_version(state.app)
    state.app.extensions["krm.hubs"] = hub_index(state.app)


from server import urls  # noqa: E402
from server.browse import (  # noqa: E402, F401  (routes)
    classes,
    crawl,
    dataset,
    resource,
    search,
)
from server.browse.terms import page_lang, source_title, term  # noqa: E402

# Globals, not context: the partials of _term.html are imported without context (see there).
for _helper in (term, page_lang, urls, source_title):
    bp.add_app_template_global(_helper, _helper.__name__.rpartition(".")[2])
