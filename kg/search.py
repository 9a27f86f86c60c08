"""Label search: English and Korean labels, symbols and alternative labels, ranked.

The index is a plain list built once per store (the graph is read-only while served);
matching is exact, then prefix, then substring, case-insensitive and after Unicode NFKC
normalisation, so full-width or decomposed Korean input matches too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from kg import describe
from kg import store as st
from kg.namespace import GRAPH_FACTS

EXACT, PREFIX, SUBSTRING = 0, 1, 2
RANK_NAMES = {EXACT: "exact", PREFIX: "prefix", SUBSTRING: "substring"}


def normalise(text: str) -> str:
    """The form labels and queries are compared in.

    >>> normalise("  Tungsten ")
    'tungsten'
    >>> normalise("ＣＨＩＮＡ")
    'china'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass
class Entry:
    iri: str
    labels: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    en: str | None = None
    ko: str | None = None


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    rank: int
    types: tuple[str, ...]
    en: str | None
    ko: str | None


def build_index(rows) -> list[Entry]:
    """An index from (iri, label, lang, type) tuples.

    >>> idx = build_index([("x:W", "tungsten", "en", "t:El"), ("x:W", "W", None, "t:El")])
    >>> idx[0].keys, idx[0].en
    (['tungsten', 'w'], 'tungsten')
    """
    entries: dict[str, Entry] = {}
    for iri, label, lang, type_ in rows:
        e = entries.setdefault(iri, Entry(iri))
        key = normalise(label)
        if key and key not in e.keys:
            e.keys.append(key)
            e.labels.append(label)
        if lang == "en" and e.en is None:
            e.en = label
        elif lang == "ko" and e.ko is None:
            e.ko = label
        if type_:
            e.types.add(type_)
    return list(entries.values())


def search(index: list[Entry], q: str, limit: int = 50) -> list[Hit]:
    """Entries matching ``q``, best first: exact, then prefix, then substring matches;
    within a rank, shorter labels (closer matches) first.

    >>> idx = build_index([("a", "tungsten", "en", None), ("b", "tungsten carbide", "en", None),
    ...                    ("c", "China produces 83% of the world's tungsten", "en", None)])
    >>> [(h.iri, h.rank) for h in search(idx, "Tungsten")]
    [('a', 0), ('b', 1), ('c', 2)]
    >>> search(idx, "  ")
    []
    """
    needle = normalise(q)
    if not needle:
        return []
    hits = []
    for e in index:
        best = None
        for key, label in zip(e.keys, e.labels, strict=True):
            if key == needle:
                rank = EXACT
            elif key.startswith(needle):
                rank = PREFIX
            elif needle in key:
                rank = SUBSTRING
            else:
                continue
            if best is None or (rank, len(key)) < (best[0], len(best[1])):
                best = (rank, key, label)
        if best:
            hits.append(Hit(e.iri, e.en or e.ko or best[2], best[2], best[0],
                            tuple(sorted(e.types)), e.en, e.ko))
    hits.sort(key=lambda h: (h.rank, len(normalise(h.matched)), h.label.casefold()))
    return hits[:limit]


def load_index(store) -> list[Entry]:
    """The search index of a store (every labelled IRI with its asserted types).

    Raises:
        OSError: the store cannot be read.
    """
    subs = {st.Variable("facts"): st.NamedNode(GRAPH_FACTS)}
    results = st.query(store, describe.load_query("labels"), substitutions=subs)
    rows = []
    for sol in results:
        label = sol["label"]
        type_ = sol["type"]
        rows.append((sol["s"].value, label.value, label.language,
                     type_.value if type_ is not None else None))
    return build_index(rows)
