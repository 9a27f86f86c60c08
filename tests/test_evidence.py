"""Every claim's evidence is found verbatim in the paper, and the paper is covered."""

from __future__ import annotations

from collections import Counter

from conftest import ROOT, collapse

from kg import store as st
from kg.namespace import PAPER

QUOTES = (ROOT / "queries" / "evidence" / "quotes.rq").read_text(encoding="utf-8")


def test_every_quote_is_in_the_paper(store, paper_text):
    quotes = list(st.rows(st.query(store, QUOTES)))
    assert quotes, "no evidence quotes in the graph"
    missing = [(q["claim"], q["exact"]) for q in quotes if collapse(q["exact"]) not in paper_text]
    assert not missing, f"quotes not found in the paper: {missing}"


def test_at_least_seventy_claims_from_the_paper(store):
    claims = {q["claim"] for q in st.rows(st.query(store, QUOTES)) if q["source"] == PAPER}
    assert len(claims) >= 70


def test_claims_span_the_paper_from_introduction_to_conclusions(store):
    sections = Counter(q["section"] for q in st.rows(st.query(store, QUOTES)))
    for number in ("1.1", "1.2", "2.1.1", "2.1.2", "2.2", "2.3", "2.4.1", "2.4.2", "2.5", "3"):
        assert sections[number] >= 1, f"no claim from section {number}"


def test_quotes_are_short(store):
    """The shortest span that proves the claim: no quote runs to a paragraph."""
    long = [q["exact"] for q in st.rows(st.query(store, QUOTES)) if len(q["exact"]) > 300]
    assert not long
