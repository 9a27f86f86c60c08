"""Parameters bound as an inline VALUES block (``bind: values``): the block is built only
from checked RDF terms serialised by pyoxigraph, so hostile values stay inert, and a
query answers the same as when its values are bound by substitution."""

from __future__ import annotations

import dataclasses

import pytest

from kg import describe as ds
from kg import queries
from kg import store as st
from kg.namespace import BASE, GRAPH_FACTS, ONTOLOGY

EX = "http://example.org/"
SEARCH = """#+ summary: Labels containing a text, of one type
#+ bind: values
#+ params:
#+   type: {type: iri, required: false}
#+   text: {type: literal}
SELECT ?s ?o ?type ?text WHERE {
  #+values
  ?s a ?type ; <http://example.org/name> ?o .
  FILTER(CONTAINS(?o, ?text))
}
"""


@pytest.fixture
def small():
    """Two things of two types, named tungsten and cobalt."""
    store = st.Store()
    name = st.named_node(EX + "name")
    rdf_type = st.named_node("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for key, kind in (("tungsten", "Element"), ("cobalt", "Mineral")):
        s = st.named_node(EX + key)
        store.add(st.Quad(s, name, st.literal(key)))
        store.add(st.Quad(s, rdf_type, st.named_node(EX + kind)))
    return store


def test_values_block_replaces_the_marker_line():
    q = queries.parse(SEARCH, "t/search")
    text, subs = q.prepare(q.bindings({"type": EX + "Element", "text": "tung"}))
    assert subs == {}
    assert "#+values" not in text
    assert f'VALUES (?type ?text) {{ (<{EX}Element> "tung") }}' in text


def test_an_optional_parameter_left_out_is_undef(small):
    q = queries.parse(SEARCH, "t/search")
    text, _ = q.prepare(q.bindings({"text": "o"}))
    # A column UNDEF in every row is left out (Virtuoso answers nothing to one): ?type
    # stays unbound all the same.
    assert 'VALUES (?text) { ("o") }' in text and "?type" not in text.split("{")[1]
    assert sorted(r["o"].value for r in q.run(small, {"text": "t"})) == ["cobalt", "tungsten"]


def test_rows_make_a_values_block_of_several_rows(small):
    q = queries.parse(SEARCH, "t/search")
    rows = [{"type": st.named_node(EX + "Element"), "text": st.literal("tung")},
            {"type": st.named_node(EX + "Mineral"), "text": st.literal("co")},
            {"text": st.literal("nothing")}]
    assert sorted(r["o"].value for r in q.run_rows(small, rows)) == ["cobalt", "tungsten"]
    assert list(q.run_rows(small, [])) == []  # no rows, no answers
    with pytest.raises(TypeError):
        q.run_rows(small, [{"type": EX + "Element", "text": st.literal("t")}])
    with pytest.raises(queries.ParamError):
        q.run_rows(small, [{"kind": st.named_node(EX + "Element")}])
    with pytest.raises(ValueError, match="substitution"):
        dataclasses.replace(q, bind="substitution").run_rows(small, rows)


@pytest.mark.parametrize("attack", [
    '"} UNION { ?s ?p ?o',
    '") } UNION { ?s ?p ?o } VALUES (?x) { ("',
    '" ) } ; DROP ALL ; #',
    "' || 1=1 --",
    'tung"@en) (UNDEF "',
])
def test_a_hostile_literal_stays_a_literal(small, attack):
    """SPARQL syntax in a value matches as text: no rows, never more rows."""
    q = queries.parse(SEARCH, "t/search")
    assert list(q.run(small, {"text": attack})) == []
    assert list(q.run(small, {"type": EX + "Element", "text": attack})) == []


@pytest.mark.parametrize("attack", [
    "> } UNION { ?s ?p ?o } #",
    EX + "Element> ) (UNDEF",
    EX + 'x" || true',
    EX + "x\n} UNION {",
])
def test_a_hostile_iri_is_refused_before_the_query(small, attack):
    q = queries.parse(SEARCH, "t/search")
    with pytest.raises(queries.ParamError, match="expects an IRI"):
        q.run(small, {"type": attack, "text": "o"})
    with pytest.raises(ValueError):  # describe's path: the NamedNode refuses it
        ds._select(small, "evidence", resource=attack)


@pytest.mark.parametrize("value", ["<urn:x>", st.Variable("s"), st.BlankNode("b"), None])
def test_only_named_nodes_and_literals_go_into_the_block(small, value):
    q = queries.parse(SEARCH, "t/search")
    with pytest.raises(TypeError, match="NamedNode or a Literal"):
        q.run_terms(small, {"type": value, "text": st.literal("o")})


@pytest.mark.parametrize("text, line, words", [
    ("#+ summary: x\n#+ bind: values\nSELECT ?s WHERE { ?s ?p ?o }\n", 2,
     "exactly one '#+values'"),
    ("#+ summary: x\n#+ bind: values\nSELECT ?s WHERE {\n#+values\n#+values\n?s ?p ?o }\n", 5,
     "exactly one '#+values'"),
    ("#+ summary: x\nSELECT ?s WHERE {\n#+values\n?s ?p ?o }\n", 3, "needs 'bind: values'"),
    ("#+ summary: x\n#+ bind: paste\nSELECT ?s WHERE { ?s ?p ?o }\n", 2, "'bind' must be"),
    # The marker where a VALUES block cannot go: the loader tries it at load time.
    ("#+ summary: x\n#+ bind: values\n#+ params:\n#+   s: IRI\nSELECT ?s WHERE { ?s ?p ?o }"
     "\n#+values\nLIMIT 3\n", None, "SPARQL syntax error"),
])
def test_a_misplaced_or_missing_marker_stops_the_load(tmp_path, text, line, words):
    path = tmp_path / "area" / "q.rq"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(queries.HeaderError) as e:
        queries.load(path, root=tmp_path)
    assert words in str(e.value)
    if line is not None:
        assert e.value.line == line


def _rows(results) -> list:
    if not hasattr(results, "variables"):  # a CONSTRUCT: its triples
        return sorted(str(t) for t in results)
    return sorted(tuple(str(r[v]) for v in results.variables) for r in results)


SAMPLE = ["id/element/W", "id/element/Co", "id/country/CHN", "id/country/KOR",
          "id/group/ree", "id/org/kitech", "id/none"]
# Queries not about a resource: the parameter the sample varies instead, and the others.
SAMPLES = {"fact-predicates": ("type", [ONTOLOGY + t for t in (
    "Designation", "Strategy", "SupplyRelation", "Act", "Nothing")], {"facts": GRAPH_FACTS}),
    "imports": ("product", [BASE + f"id/product/hs92/{c}" for c in (
        "283691", "282200", "261100", "282520", "000000")], {}),
    "element-imports": ("element", [BASE + f"id/element/{e}" for e in (
        "Li", "Co", "W", "Ni", "none")], {}),
    "world-production": ("commodity", [BASE + f"id/commodity/{c}" for c in (
        "cobalt", "lithium", "tungsten", "none")], {}),
    "political-stability": ("area", [BASE + f"id/country/{c}" for c in (
        "CHN", "KOR", "COD", "none")], {}),
    "imports-year": ("year", ["1995", "2010", "2024", "1900"], {}),
    "korea-production": ("commodity", [BASE + f"id/commodity/{c}" for c in (
        "copper", "gallium", "cadmium", "none")], {})}


@pytest.mark.parametrize("name", [name for name in sorted(
    q.name for q in queries.load_all().values()) if queries.load_all()[name].bind == "values"])
def test_values_and_substitution_answer_alike_on_the_real_graph(store, name):
    """The same query bound both ways, over a sample of IRIs (and one naming nothing)."""
    q = queries.load_all()[name]
    as_substitution = dataclasses.replace(q, bind="substitution")
    resource = [p for p in q.params if p.type in ("iri", "year")][0].name
    resource, sample, fixed = SAMPLES.get(name.rpartition("/")[2], (
        resource, [BASE + key for key in SAMPLE], {}))
    answered = 0
    for key in sample:
        term = (st.literal(key, datatype="gYear") if q.param(resource).type == "year"
                else st.named_node(key))
        terms = {resource: term, **{k: st.named_node(v) for k, v in fixed.items()}}
        expected = _rows(as_substitution.run_terms(store, terms))
        assert _rows(q.run_terms(store, terms)) == expected, f"{name} on {key}"
        answered += bool(expected)
    assert answered >= 3, f"{name}: the sample should have rows for most IRIs"
