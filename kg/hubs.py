"""The browse index: what pages of hub resources need, worked out once when a store is built.

A built store never changes (``kg/build.py`` writes each one under its inputs' digest), so
work that depends only on the graph can be done then rather than on every page view. On
a graph of a million triples a country is the producer of thousands of shares and the
place of thousands of companies; a page of it must still answer in well under 100 ms.
The index holds:

- the largest ``MAX_SHARES`` production shares of each *hub*, a resource with more than
  that many in one role (producer, commodity, member of a group that is the commodity),
  as its page's query picks them: ranking them on each view reads every share's value
  (40-50 ms on such a country);
- the properties that link an IRI to an IRI in the facts graph, and those of them through
  which an n-ary fact (``describe.FACT_TYPES``) links: a page walks a resource's inbound
  links property by property, so thousands of share or company links can neither hide
  a designation nor crowd out the other properties' links.

It is a small JSON file inside the store's folder (RocksDB leaves files it did not make
alone), so it is written, swapped in, copied and pruned with its store, and describes
exactly that store. A page without it (a store made by other means, or one that takes
SPARQL updates) falls back to ranking in the query and to the first links in index order.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from kg import describe as ds
from kg import store as st
from kg.namespace import GRAPH_FACTS

#: The index's file name inside a store's folder.
FILE = "krm-browse-index.json"
#: Bumped when the file's layout changes; a file of another version is not used.
VERSION = 1
#: The roles of a resource in a production share, by the query that lists them.
ROLES = {"producer": "shares-as-producer", "commodity": "shares-as-commodity",
         "group": "shares-via-group"}


@dataclass(frozen=True)
class HubIndex:
    """The browse index of one store (see the module's docstring)."""

    #: role -> hub IRI -> its top shares as (observation IRI, share lexical, datatype IRI)
    shares: dict[str, dict[str, list[tuple[str, str, str]]]]
    #: properties with an IRI subject and object in the facts graph
    link_predicates: tuple[str, ...]
    #: those of them through which a fact of ``describe.FACT_TYPES`` links to an IRI
    fact_predicates: tuple[str, ...]

    def top_shares(self, role: str, iri: str) -> list[tuple[str, str, str]] | None:
        """The ranked shares of ``iri`` in ``role`` if it is a hub there, else None (the
        page's query then ranks its few shares itself)."""
        return self.shares.get(role, {}).get(iri)

    def to_json(self) -> dict:
        return {"version": VERSION, "max_shares": ds.MAX_SHARES,
                "fact_types": sorted(ds.FACT_TYPES), "shares": self.shares,
                "link_predicates": list(self.link_predicates),
                "fact_predicates": list(self.fact_predicates)}


def compute(store) -> HubIndex:
    """The browse index of ``store``, from the queries of ``queries/browse/``.

    A hub's shares are what its own page query (``shares-as-producer.rq`` ...) picks,
    run once here: the pages then list exactly the shares they would have ranked, even
    where equal shares straddle the cut (pyoxigraph's order among them is its own).

    Raises:
        OSError: the store cannot be read.
    """
    hubs: dict[str, dict[str, list]] = {role: {} for role in ROLES}
    for role, resource, count in ds.named_query("share-counts").run_terms(store, {}):
        if int(count.value) > ds.MAX_SHARES:
            picked: dict[tuple, None] = {}  # (obs, share, datatype) in the order of the rows
            for row in ds.named_query(ROLES[role.value]).run_terms(store, {"resource": resource}):
                share = row["share"]
                picked.setdefault((row["obs"].value, share.value, share.datatype.value))
            hubs[role.value][resource.value] = list(picked)
    facts = st.NamedNode(GRAPH_FACTS)
    links = sorted({row["p"].value for row in ds.named_query("link-predicates").run_terms(
        store, {"facts": facts})})
    fact_links = sorted({row["p"].value for row in ds.named_query("fact-predicates").run_rows(
        store, [{"facts": facts, "type": st.NamedNode(t)} for t in sorted(ds.FACT_TYPES)])})
    return HubIndex(hubs, tuple(links), tuple(fact_links))



def write(store_path: Path | str, index: HubIndex) -> Path:
    """Write ``index`` into the folder of the store at ``store_path`` (a new store, before
    it is served); returns the file's path.

    Raises:
        OSError: the folder cannot be written.
    """
    path = Path(store_path) / FILE
    tmp = path.with_name(f".{FILE}.{os.getpid()}")
    tmp.write_text(json.dumps(index.to_json(), separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)
    return path


def load(store_path: Path | str) -> HubIndex | None:
    """The index beside the store at ``store_path`` (a folder or the build's link to one),
    or None when it has none, or one made for other limits or fact types than this code's
    (the pages then do without).

    Raises:
        OSError: the file exists but cannot be read.
        ValueError: the file is not the index's JSON.
    """
    path = Path(store_path).resolve() / FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if (data.get("version"), data.get("max_shares"), data.get("fact_types")) != (
            VERSION, ds.MAX_SHARES, sorted(ds.FACT_TYPES)):
        return None
    shares = {role: {iri: [tuple(row) for row in rows] for iri, rows in hubs.items()}
              for role, hubs in data["shares"].items()}
    return HubIndex(shares, tuple(data["link_predicates"]), tuple(data["fact_predicates"]))
