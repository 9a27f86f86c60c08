"""A public endpoint must not be a way to take the server down or into its network:
the time limit holds while other queries are served, SERVICE and LOAD reach only
allowed targets, results are bounded, and updates need the token."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
import requests
from conftest import start_server, stop_server
from sparql_helpers import Listener, tree_cpu_seconds

from kg.namespace import GRAPH_FACTS

TIME_LIMIT = 2
CROSS_JOIN = ("SELECT (COUNT(*) AS ?n) WHERE "
              "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
SIMPLE = 'ASK { ?e <https://w3id.org/krm/ontology#symbol> "W" }'
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def guarded(store_link):
    """A server with a short time limit and a small result limit."""
    proc, base = start_server(str(store_link), env={
        "KRM_SPARQL_TIME_LIMIT": str(TIME_LIMIT),
        "KRM_SPARQL_MAX_RESULT_BYTES": "200000"})
    yield base + "/sparql"
    stop_server(proc)


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def guarded_processes(store_link):
    """The same, running queries in worker processes instead of the server's threads."""
    proc, base = start_server(str(store_link), env={
        "KRM_SPARQL_TIME_LIMIT": str(TIME_LIMIT), "KRM_SPARQL_IN_PROCESS": "false"})
    yield base + "/sparql", proc
    stop_server(proc)


@pytest.fixture(scope="module")
def guarded_server(store_link):
    """A server with a short time limit, and its process (to watch its CPU)."""
    proc, base = start_server(str(store_link), env={"KRM_SPARQL_TIME_LIMIT": str(TIME_LIMIT)})
    yield base + "/sparql", proc
    stop_server(proc)


@pytest.mark.parametrize("server,encoding", [
    ("guarded_server", "identity"),       # in process, the plain-request path
    ("guarded_server", "gzip"),           # in process, through Flask
    ("guarded_processes", "identity"),    # in a query worker process
])
def test_runaway_query_is_stopped_while_others_are_served(request, server, encoding):
    url, proc = request.getfixturevalue(server)
    outcome = {}

    def heavy() -> None:
        start = time.monotonic()
        r = requests.post(url, data={"query": CROSS_JOIN}, timeout=TIME_LIMIT + 10,
                          headers={"Accept-Encoding": encoding})
        outcome["status"], outcome["text"] = r.status_code, r.text
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    simple = []
    while thread.is_alive():  # the endpoint answers others while the cross join runs
        r = requests.get(url, params={"query": SIMPLE}, timeout=5)
        simple.append(r.status_code == 200 and r.json()["boolean"] is True)
        time.sleep(0.2)
    thread.join()
    assert outcome["status"] == 503, outcome
    assert "time limit" in outcome["text"]
    assert outcome["seconds"] <= TIME_LIMIT + 1
    assert simple and all(simple)
    # the runaway's process was replaced: the service keeps answering
    after = [requests.get(url, params={"query": SIMPLE}).status_code for _ in range(8)]
    assert after == [200] * 8
    # and the cross join soon no longer burns a core (it would use ~1 s of CPU per
    # second); the server replaces its processes gracefully, which may take some seconds
    assert any(cpu_in_a_second(proc.pid) < 0.5 for _ in range(12))


def test_runaways_in_a_row_do_not_take_the_server_down(guarded_server):
    url, _ = guarded_server
    for _ in range(4):
        r = requests.post(url, data={"query": CROSS_JOIN}, timeout=TIME_LIMIT + 10,
                          headers={"Accept-Encoding": "identity"})
        assert r.status_code == 503
    assert requests.get(url, params={"query": SIMPLE}, timeout=10).json()["boolean"] is True


def cpu_in_a_second(pid: int) -> float:
    before = tree_cpu_seconds(pid)
    time.sleep(1)
    return tree_cpu_seconds(pid) - before


def test_result_size_is_bounded(guarded):
    """A result larger than the limit is cut: the client sees an unfinished response
    rather than a complete-looking one."""
    everything = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    with pytest.raises(requests.exceptions.RequestException):
        r = requests.get(guarded, params={"query": everything + " LIMIT 100000"},
                         headers={"Accept": "text/tab-separated-values"}, timeout=30)
        r.raise_for_status()
        assert len(r.content) <= 200_000 + 70_000  # unreachable when the stream is cut


@pytest.mark.parametrize("service", [
    "SERVICE <{url}> {{ ?s ?p ?o }}",
    "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
    "\\u0053ERVICE <{url}> {{ ?s ?p ?o }}",
])
def test_service_to_unlisted_endpoint_is_refused_before_any_request(guarded, listener, service):
    query = "SELECT * WHERE { " + service.format(url=listener.url) + " }"
    r = requests.post(guarded, data={"query": query})
    assert r.status_code == 403
    assert listener.url in r.text and "not allowed" in r.text
    assert "secret-internal-data" not in r.text
    time.sleep(0.2)
    assert listener.connections == 0


def test_service_through_a_prefix_is_refused(guarded, listener):
    query = (f"PREFIX remote: <http://127.0.0.1:{listener.port}/> "
             "SELECT * WHERE { SERVICE remote:sparql { ?s ?p ?o } }")
    r = requests.get(guarded, params={"query": query})
    assert r.status_code == 403
    time.sleep(0.2)
    assert listener.connections == 0


def test_allowed_service_is_called_but_its_answer_never_echoed(store_link, listener):
    proc, base = start_server(str(store_link), env={
        "KRM_SPARQL_SERVICE_ALLOW": f'["{listener.url}"]'})
    try:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        r = requests.post(base + "/sparql", data={"query": query})
        description = requests.get(base + "/sparql", headers={"Accept": "text/turtle"}).text
    finally:
        stop_server(proc)
    assert listener.connections >= 1
    assert r.status_code == 502
    assert "secret-internal-data" not in r.text
    assert "BasicFederatedQuery" in description


def test_updates_are_off_without_a_token(guarded):
    r = requests.post(guarded + "/update", data={"update": "CLEAR ALL"},
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert "SPARQL_UPDATE_TOKEN" in r.text


@pytest.fixture(scope="module")
def writable(store_link, tmp_path_factory):
    """A server with updates on, over a copy of the store (the built one stays as is)."""
    copy = tmp_path_factory.mktemp("writable") / "store"
    shutil.copytree(store_link.resolve(), copy)
    # asked for two workers: krm serve keeps one, the store's only writer
    proc, base = start_server(str(copy), env={"KRM_SPARQL_UPDATE_TOKEN": TOKEN}, workers=2)
    yield base
    stop_server(proc)


INSERT = ('INSERT DATA { GRAPH <' + GRAPH_FACTS + '> { <https://w3id.org/krm/id/element/Xx> '
          '<https://w3id.org/krm/ontology#symbol> "Xx" } }')
ASK_XX = 'ASK { ?e <https://w3id.org/krm/ontology#symbol> "Xx" }'


def test_update_needs_the_token_and_then_applies(writable):
    update, sparql = writable + "/sparql/update", writable + "/sparql"
    assert requests.post(update, data={"update": INSERT}).status_code == 401
    wrong = requests.post(update, data={"update": INSERT},
                          headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    assert requests.get(sparql, params={"query": ASK_XX}).json()["boolean"] is False

    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = requests.post(update, data=INSERT, headers={**auth,
                                                    "Content-Type": "application/sparql-update"})
    assert r.status_code == 204, r.text
    for _ in range(6):  # every server process sees it (there is only one)
        assert requests.get(sparql, params={"query": ASK_XX}).json()["boolean"] is True
    bad = requests.post(update, data={"update": "INSERT DATA { oops }"}, headers=auth)
    assert bad.status_code == 400 and "syntax" in bad.text
    assert requests.get(update, headers=auth).status_code == 405


def test_load_from_unlisted_host_is_refused(writable, listener):
    r = requests.post(writable + "/sparql/update",
                      data={"update": f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"},
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "LOAD" in r.text
    time.sleep(0.2)
    assert listener.connections == 0
