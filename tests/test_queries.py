"""The query loader: strict headers, typed parameters, values bound and never pasted."""

from __future__ import annotations

import pytest

from kg import queries
from kg import store as st

SHARES = """#+ summary: Shares
#+ params:
#+   commodity: {type: iri, required: false}
#+   min_share: {type: number, default: 50, minimum: 0, maximum: 100}
SELECT ?obs ?commodity ?min_share WHERE {
  ?obs <https://w3id.org/krm/ontology#commodity> ?commodity ;
       <https://w3id.org/krm/ontology#sharePercent> ?s .
  FILTER(?s >= ?min_share)
}
"""


def write(tmp_path, text: str, name: str = "area/q.rq"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_query_loads_into_a_frozen_dataclass(tmp_path):
    q = queries.load(write(tmp_path, SHARES), root=tmp_path)
    assert q.name == "area/q"
    assert q.summary == "Shares"
    assert q.variables == ("obs", "commodity", "min_share")
    assert [(p.name, p.type, p.required, p.default) for p in q.params] == [
        ("commodity", "iri", False, None), ("min_share", "number", False, "50")]
    with pytest.raises(AttributeError):
        q.summary = "changed"


@pytest.mark.parametrize("header, line, words", [
    ("#+ summary: [unclosed\n", 1, "bad YAML"),
    ("#+ summary: ok\n#+ sumary: typo\n", 2, "unknown header key 'sumary'"),
    ("#+ description: no summary\n", 1, "'summary' is required"),
    ("#+ summary: ok\n#+ method: POST\n", 2, "'method' must be GET"),
    ("#+ summary: ok\n#+ tags: one\n", 2, "'tags' must be a list"),
    ("#+ summary: ok\n#+ params:\n#+   x: {type: url}\n", 3, "type must be one of"),
    ("#+ summary: ok\n#+ params:\n#+   x: {type: iri, colour: red}\n", 3, "unknown key 'colour'"),
    ("#+ summary: ok\n#+ params:\n#+   nowhere: {type: iri}\n", 3, "binds no variable"),
    ("#+ summary: ok\n#+ params:\n#+   x: {type: integer, default: many}\n", 3, "default"),
    ("#+ summary: ok\n#+ params:\n#+   x: {type: enum}\n", 3, "needs an 'enum' list"),
])
def test_a_malformed_header_names_file_and_line(tmp_path, header, line, words):
    path = write(tmp_path, header + "SELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(queries.HeaderError) as e:
        queries.load(path, root=tmp_path)
    assert e.value.line == line
    assert words in str(e.value)
    assert str(e.value).startswith(f"{path.relative_to(tmp_path.parent)}:{line}:")


def test_a_file_without_header_is_an_error(tmp_path):
    with pytest.raises(queries.HeaderError, match="no '#\\+' header"):
        queries.load(write(tmp_path, "SELECT * WHERE { ?s ?p ?o }\n"), root=tmp_path)


def test_a_header_line_after_the_query_is_an_error(tmp_path):
    path = write(tmp_path, "#+ summary: ok\nSELECT * WHERE { ?s ?p ?o }\n#+ tags: [late]\n")
    with pytest.raises(queries.HeaderError) as e:
        queries.load(path, root=tmp_path)
    assert e.value.line == 3


def test_a_query_that_does_not_parse_is_an_error_at_load_time(tmp_path):
    with pytest.raises(queries.HeaderError, match="SPARQL syntax error"):
        queries.load(write(tmp_path, "#+ summary: ok\nSELECT ?x WHERE { ?x ?p \n"),
                     root=tmp_path)


def test_a_parameter_must_be_projected_to_be_bound(tmp_path):
    text = "#+ summary: ok\n#+ params:\n#+   x: {type: iri}\nSELECT ?s WHERE { ?s ?p ?x }\n"
    with pytest.raises(queries.HeaderError, match="projected"):
        queries.load(write(tmp_path, text), root=tmp_path)


def test_grlc_variable_names_declare_parameters(tmp_path):
    text = ("#+ summary: grlc style\n"
            "SELECT ?s ?_country_iri ?_name ?__year_integer WHERE {\n"
            "  ?s ?p ?_country_iri ; ?q ?_name ; ?r ?__year_integer }\n")
    q = queries.load(write(tmp_path, text), root=tmp_path)
    assert {(p.name, p.var, p.type, p.required) for p in q.params} == {
        ("country", "_country_iri", "iri", True),
        ("name", "_name", "literal", True),
        ("year", "__year_integer", "integer", False)}


def test_a_parameter_can_be_declared_in_one_line(tmp_path):
    text = ("#+ summary: short form\n#+ params:\n#+   resource: IRI\n"
            "#+   graph: IRI (the facts graph)\n"
            "SELECT ?resource ?graph ?p WHERE { GRAPH ?graph { ?resource ?p ?o } }\n")
    q = queries.load(write(tmp_path, text), root=tmp_path)
    assert [(p.name, p.type, p.description) for p in q.params] == [
        ("resource", "iri", ""), ("graph", "iri", "the facts graph")]


def test_only_select_queries_are_published(tmp_path):
    write(tmp_path, "#+ summary: rows\nSELECT * WHERE { ?s ?p ?o }\n", "a/rows.rq")
    write(tmp_path, "#+ summary: a graph\nCONSTRUCT WHERE { ?s ?p ?o }\n", "a/graph.rq")
    assert queries.load_all(tmp_path)["a/graph"].form == "CONSTRUCT"
    assert set(queries.published(tmp_path)) == {"a/rows"}


def test_internal_queries_are_loaded_but_not_published(tmp_path):
    write(tmp_path, "#+ summary: public\nSELECT * WHERE { ?s ?p ?o }\n", "a/public.rq")
    write(tmp_path, "#+ summary: inner\n#+ internal: true\nSELECT * WHERE { ?s ?p ?o }\n",
          "a/inner.rq")
    assert set(queries.load_all(tmp_path)) == {"a/public", "a/inner"}
    assert set(queries.published(tmp_path)) == {"a/public"}


@pytest.fixture
def shares(tmp_path):
    return queries.load(write(tmp_path, SHARES), root=tmp_path)


def test_values_are_checked_and_bound_as_terms(shares):
    subs = shares.bindings({"commodity": "id:element/W", "min_share": "62.5"})
    assert subs[st.variable("commodity")] == st.named_node("https://w3id.org/krm/id/element/W")
    assert subs[st.variable("min_share")] == st.literal("62.5", datatype="decimal")


def test_defaults_fill_gaps_and_optional_parameters_stay_unbound(shares):
    assert shares.bindings({}) == {
        st.variable("min_share"): st.literal("50", datatype="decimal")}


@pytest.mark.parametrize("values, param, expects", [
    ({"commodity": "not an iri"}, "commodity", "expects an IRI"),
    ({"commodity": "> } ; DROP ALL ; <"}, "commodity", "expects an IRI"),
    ({"min_share": "fifty"}, "min_share", "expects a decimal number"),
    ({"min_share": "150"}, "min_share", "from 0 to 100"),
    ({"min_share": "1" * 2000}, "min_share", "at most 1000 characters"),
    ({"colour": "red"}, "colour", "unknown parameter 'colour'"),
])
def test_a_bad_value_names_the_parameter_and_what_it_expects(shares, values, param, expects):
    with pytest.raises(queries.ParamError) as e:
        shares.bindings(values)
    assert e.value.param == param
    assert f"'{param}'" in str(e.value)
    assert expects in str(e.value)


def test_a_missing_required_parameter_is_named(tmp_path):
    text = "#+ summary: ok\nSELECT ?s ?_name WHERE { ?s ?p ?_name }\n"
    q = queries.load(write(tmp_path, text), root=tmp_path)
    with pytest.raises(queries.ParamError, match="missing parameter 'name'"):
        q.bindings({})


@pytest.mark.parametrize("ptype, good, bad", [
    ("literal", "tungsten", "two\nlines"),
    ("language", "ko", "ko; DROP"),
    ("integer", "-3", "3.5"),
    ("number", "1e1", "NaN"),
    ("year", "2024", "24"),
])
def test_each_type_accepts_its_values_and_rejects_others(tmp_path, ptype, good, bad):
    text = (f"#+ summary: ok\n#+ params:\n#+   v: {{type: {ptype}}}\n"
            "SELECT ?s ?v WHERE { ?s ?p ?v }\n")
    q = queries.load(write(tmp_path, text), root=tmp_path)
    assert q.bindings({"v": good})
    with pytest.raises(queries.ParamError):
        q.bindings({"v": bad})


def test_a_year_is_bound_as_an_xsd_gyear_within_its_range(tmp_path):
    """A year matches krm:refYear (xsd:gYear) in a triple pattern, as the data has it."""
    text = ("#+ summary: ok\n#+ params:\n#+   y: {type: year, minimum: 1995, maximum: 2024}\n"
            "SELECT ?s ?y WHERE { ?s ?p ?y }\n")
    q = queries.load(write(tmp_path, text), root=tmp_path)
    (term,) = q.bindings({"y": "2022"}).values()
    assert (term.value, term.datatype.value) == (
        "2022", "http://www.w3.org/2001/XMLSchema#gYear")
    with pytest.raises(queries.ParamError, match="from 1995 to 2024"):
        q.bindings({"y": "1994"})


def test_an_enumeration_takes_only_its_values(tmp_path):
    text = ("#+ summary: ok\n#+ params:\n#+   kind: {type: enum, enum: [element, group]}\n"
            "SELECT ?s ?kind WHERE { ?s ?p ?kind }\n")
    q = queries.load(write(tmp_path, text), root=tmp_path)
    assert q.bindings({"kind": "group"}) == {st.variable("kind"): st.literal("group")}
    with pytest.raises(queries.ParamError, match="one of element, group"):
        q.bindings({"kind": "material"})


def test_a_bound_literal_stays_a_literal(tmp_path):
    """A value with SPARQL syntax in it matches as text, and widens nothing."""
    store = st.Store()
    s, p = st.named_node("http://example.org/s"), st.named_node("http://example.org/p")
    for text in ("tungsten", "cobalt"):
        store.add(st.Quad(s, p, st.literal(text)))
    q = queries.parse("#+ summary: search\n"
                      "SELECT ?o ?_text WHERE { ?s ?p ?o FILTER(CONTAINS(?o, ?_text)) }\n",
                      "t/search")
    assert len(list(q.run(store, {"text": "tung"}))) == 1
    for attack in ('"} UNION { ?s ?p ?o', '") || true || ("', "' || 1=1 --"):
        assert list(q.run(store, {"text": attack})) == []
