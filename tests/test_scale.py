"""The scale benchmark: a real store grown with synthetic chunks stays searchable, filtered by jurisdiction, and measured."""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Iterable
from typing import Any

import pytest

from evals.scale import SECTION_SIZE, SYNTHETIC_SOURCE, grow_store, render_markdown, scale_curve, scale_report
from ingest.pipeline import ingest_kb
from workrights.citations import find_cites, parse_query_cites
from workrights.embeddings import LocalMiniLM
from workrights.retrieve import Retriever
from workrights.schema import METADATA_KEYS, Chunk
from workrights.settings import Settings
from workrights.store import Store, open_store

GROWN = 2000
# A part of the KB, to index quickly: federal passages, the sample handbook and a few states to grow from.
SOURCES = ("us_workrights_fmla", "us_workrights_flsa_overtime", "us_workrights_title_vii", "us_workrights_agencies",
           "company_northwind_handbook", "ca_workrights_state", "ny_workrights_state", "ma_workrights_state",
           "wa_workrights_state", "tx_workrights_state")


@pytest.fixture(scope="module")
def grown(kb_settings: Settings, embedder: LocalMiniLM, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[dict[str, Any]]]:
    store = open_store(replace(kb_settings, data_dir=tmp_path_factory.mktemp("scale")), embedder)
    report = ingest_kb(store, kb_settings.kb_dir, SOURCES)
    assert not report.errors, report.errors
    # kb_settings only for the KB folder and the triage exemplars' vector cache, shared with the other tests.
    points = scale_curve(kb_settings, store, (1500, GROWN), questions=6, rounds=1)
    return store, points


@pytest.fixture(scope="module")
def synthetic(grown: tuple[Store, list[dict[str, Any]]]) -> list[Chunk]:
    return [c for c in grown[0].all_chunks() if c.source_id == SYNTHETIC_SOURCE]


def _plain(chunks: Iterable[Chunk]) -> Chunk:
    """A long synthetic chunk naming no section: as a query, a named section would outrank the text itself."""
    return next(c for c in chunks if len(c.text) > 120 and not find_cites(c.text) and not parse_query_cites(c.text))


def _retriever(store: Store, settings: Settings) -> Retriever:
    return Retriever(store, settings.kb_dir / "popular_names.toml")


def test_store_grows_to_each_size_with_synthetic_chunks_only(grown: tuple[Store, list[dict[str, Any]]], synthetic: list[Chunk]) -> None:
    store, points = grown
    base = points[0]["chunks"]
    assert store.count() == GROWN
    assert len(synthetic) == GROWN - base
    assert len({c.chunk_id for c in synthetic}) == len(synthetic)
    assert grow_store(store, GROWN) == 0  # already that size: nothing added


def test_synthetic_chunks_carry_every_metadata_key_and_small_sections(grown: tuple[Store, list[dict[str, Any]]],
                                                                      synthetic: list[Chunk]) -> None:
    states = {c.jurisdiction for c in grown[0].all_chunks() if c.source_id != SYNTHETIC_SOURCE} - {"US", "company"}
    for chunk in synthetic:
        meta = chunk.metadata()
        assert all(meta.get(key) for key in METADATA_KEYS), chunk.chunk_id
        assert chunk.jurisdiction == "US" or chunk.jurisdiction in states
        assert len(chunk.text.split()) >= 5
    sections: dict[str, list[Chunk]] = {}
    for chunk in synthetic:
        sections.setdefault(chunk.heading_path, []).append(chunk)
    assert max(len(members) for members in sections.values()) <= SECTION_SIZE
    assert all(len({c.jurisdiction for c in members}) == 1 for members in sections.values())  # filtered as a whole
    federal = sum(c.jurisdiction == "US" for c in synthetic)
    assert 0.6 * len(synthetic) < federal < len(synthetic)  # mostly federal, some states for the filters


def test_synthetic_federal_chunk_is_found_by_its_own_text(grown: tuple[Store, list[dict[str, Any]]], synthetic: list[Chunk],
                                                        kb_settings: Settings) -> None:
    chunk = _plain(c for c in synthetic if c.jurisdiction == "US")
    # Its vector is its anchor passage's, perturbed, not its own text's: found by its words, among the first 50.
    hits = _retriever(grown[0], kb_settings).search(chunk.text, k=50)
    assert chunk.chunk_id in {c.chunk_id for h in hits for c in h.section_chunks}
    assert any(h.chunk.source_id == SYNTHETIC_SOURCE and h.similarity > 0.5 for h in hits)


def test_synthetic_state_chunk_is_found_only_with_its_state(grown: tuple[Store, list[dict[str, Any]]], synthetic: list[Chunk],
                                                           kb_settings: Settings) -> None:
    # State passages all name their sections; the named-section boost stays within the allowed jurisdictions.
    chunk = next(c for c in synthetic if c.jurisdiction not in ("US", "company") and len(c.text) > 120)
    retriever = _retriever(grown[0], kb_settings)
    federal = retriever.search(chunk.text, k=50)
    assert federal and all(h.chunk.jurisdiction in ("US", "company") for h in federal)
    own = retriever.search(chunk.text, state=chunk.jurisdiction, k=50)
    assert chunk.chunk_id in {c.chunk_id for h in own for c in h.section_chunks}


def test_dense_candidates_match_the_stores_filtered_query(grown: tuple[Store, list[dict[str, Any]]], kb_settings: Settings) -> None:
    """The retriever filters unfiltered nearest neighbours itself; the result is the store's own filtered query."""
    store = grown[0]
    retriever = _retriever(store, kb_settings)
    found = retriever.search("How many weeks of FMLA leave can I take?", state="CA", k=10)
    vector = store.embedder.embed_query("How many weeks of FMLA leave can I take?")
    filtered = [c.chunk_id for c, _ in store.query(vector, 50, ["US", "company", "CA"])]
    dense = [h.chunk.chunk_id for h in found if h.similarity > 0]
    assert dense and set(dense) <= set(filtered)


def test_curve_reports_each_size_with_latency_memory_and_growth(grown: tuple[Store, list[dict[str, Any]]]) -> None:
    _, points = grown
    assert [p["chunks"] for p in points][1:] == [1500, GROWN]
    for point in points:
        assert point["synthetic"] == point["chunks"] - points[0]["chunks"]
        for measure in ("search", "ask_extractive"):
            assert point[measure]["n"] == 6
            assert 0 < point[measure]["p50_ms"] <= point[measure]["p95_ms"]
        assert point["snapshot_s"] > 0 and point["peak_rss_mb"] >= point["rss_mb"] > 0
        assert set(point["growth"]) == {"search_p50", "search_p95", "ask_p50", "ask_p95", "snapshot"}
    assert points[0]["growth"]["search_p95"] == 1.0
    assert points[-1]["grow_s"] > 0


def test_report_judges_the_target_at_the_largest_size_and_renders_a_row_per_size(grown: tuple[Store, list[dict[str, Any]]]) -> None:
    _, points = grown
    report = scale_report(points, embedding_model="all-MiniLM-L6-v2", rounds=1, load_before=(0.5, 0.5, 0.5))
    target = report["target_at_largest"]
    assert target["chunks"] == GROWN and (target["search_p95_ms"], target["ask_p95_ms"]) == (200.0, 600.0)
    assert target["met"] == (points[-1]["search"]["p95_ms"] < 200 and points[-1]["ask_extractive"]["p95_ms"] < 600)
    assert report["synthetic"]["source_id"] == SYNTHETIC_SOURCE and "synthetic" in report["synthetic"]["vectors"]
    table = render_markdown(report)
    assert len([line for line in table.splitlines() if line.startswith("| ")]) == 1 + len(points)
    assert "2,000 chunks" in table
