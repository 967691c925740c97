"""Hybrid retrieval over the real built-in KB store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evals.metrics import hit_sections
from workrights.retrieve import Retriever
from workrights.store import open_store


def test_fmla_question_finds_the_leave_entitlement(retriever: Retriever) -> None:
    hits = retriever.search("How many weeks of FMLA leave can I take?", k=5)
    assert any("29 U.S.C. § 2612" in hit_sections(h) for h in hits[:3])
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_one_hit_per_section(retriever: Retriever) -> None:
    hits = retriever.search("overtime pay over 40 hours", k=10)
    keys = [(h.chunk.source_id, h.chunk.heading_path) for h in hits]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("29 USC 2614", "29 U.S.C. § 2614"),
        ("what does § 2000e-3 say", "42 U.S.C. § 2000e-3"),
        ("section 7 of the NLRA", "29 U.S.C. § 157"),
        ("29 U.S.C. § 626(f)", "29 U.S.C. § 626"),
    ],
)
def test_named_section_comes_first(retriever: Retriever, query: str, section: str) -> None:
    top = retriever.search(query, k=3)[0]
    assert section in hit_sections(top)
    assert top.exact_cite


def test_keyword_only_terms_are_found(retriever: Retriever) -> None:
    hits = retriever.search("1,250 hours", k=5)
    assert any("29 U.S.C. § 2611" in hit_sections(h) for h in hits)


def test_jurisdiction_filter(make_settings, embedder, kb_store) -> None:
    store = open_store(make_settings(), embedder)
    base = kb_store.all_chunks()[:40]
    ca = replace(base[0], chunk_id="ca_test_minimum:wage:0", source_id="ca_test_minimum", jurisdiction="CA",
                 text="California's minimum wage is higher than the federal minimum wage of $7.25.", cite="Cal. Lab. Code § 1182.12")
    chunks = [*base, ca]
    store.upsert(chunks, embedder.embed_documents([c.text for c in chunks]))
    retriever = Retriever(store)
    federal = retriever.search("California minimum wage", k=10)
    assert all(h.chunk.jurisdiction in ("US", "company") for h in federal)
    with_state = retriever.search("California minimum wage", state="CA", k=3)
    assert with_state[0].chunk.chunk_id == "ca_test_minimum:wage:0"
    assert not retriever.search("California minimum wage", state="TX", k=10)[0].chunk.jurisdiction == "CA"


def test_index_refreshes_when_the_store_changes(make_settings, embedder, kb_store) -> None:
    store = open_store(make_settings(), embedder)
    retriever = Retriever(store)
    assert retriever.search("anything") == []
    chunk = kb_store.all_chunks()[0]
    store.upsert([chunk], embedder.embed_documents([chunk.text]))
    assert retriever.search(chunk.text[:80])[0].chunk.chunk_id == chunk.chunk_id


def test_a_hit_carries_its_whole_section(retriever: Retriever) -> None:
    hits = retriever.search("do i get paid for my lunch break if i still have to watch the desk", k=5)
    for hit in hits:
        assert hit.chunk in hit.section_chunks
        assert {c.heading_path for c in hit.section_chunks} == {hit.chunk.heading_path}
    assert any(len(h.section_chunks) > 1 for h in hits)
