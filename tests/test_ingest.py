"""Ingest into a real Chroma store in a temp dir: idempotent, incremental, crash-safe, one writer."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.chunking import MAX_PIECES, chunk_kb_document, pack
from ingest.kb_markdown import parse_kb_file
from ingest.pipeline import ingest_kb
from tests.conftest import REPO
from workrights.embeddings import LocalMiniLM
from workrights.errors import StoreBusyError, StoreError
from workrights.store import open_store, writer_lock
from workrights.text import piece_count, split_sentences


class CountingEmbedder:
    """The real model, counting how many passages it is asked to embed."""

    def __init__(self, inner: LocalMiniLM, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    (dest / "federal").mkdir(parents=True)
    for name in ("fmla.md", "title_vii.md"):
        shutil.copy(REPO / "kb" / "federal" / name, dest / "federal" / name)
    return dest


def test_pack_never_cuts_a_sentence_and_respects_the_size() -> None:
    text = "\n\n".join(" ".join(f"Sentence {p}-{i} has several words in it." for i in range(40)) for p in range(3))
    pieces = pack(text)
    assert len(pieces) > 3
    originals = set(split_sentences(text))
    for piece in pieces:
        assert piece_count(piece) <= MAX_PIECES
        assert set(split_sentences(piece)) <= originals


def test_chunks_are_deterministic_with_design_metadata() -> None:
    doc = parse_kb_file(REPO / "kb" / "federal" / "fmla.md")
    first, second = chunk_kb_document(doc), chunk_kb_document(doc)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)
    meta = first[0].metadata()
    assert set(meta) == {
        "source_id", "law", "jurisdiction", "cite", "title", "heading_path", "url", "doc_type", "as_of", "content_hash",
    }
    assert first[0].chunk_id.startswith("us_workrights_fmla:")
    assert all(c.cite.startswith("29 U.S.C. §") or "Fact Sheet" in c.cite for c in first)


def test_policy_chunks_cite_handbook_and_heading() -> None:
    path = next((REPO / "kb" / "policies").glob("*.md"))
    doc = parse_kb_file(path)
    chunks = chunk_kb_document(doc)
    assert all(c.cite.startswith(f"{doc.title} § ") for c in chunks)
    assert all(c.jurisdiction == "company" for c in chunks)


def test_rerun_embeds_nothing_and_edits_are_incremental(make_settings, embedder: LocalMiniLM, kb_copy: Path) -> None:
    counting = CountingEmbedder(embedder)
    store = open_store(make_settings(), counting)
    first = ingest_kb(store, kb_copy)
    assert first.chunks_added == store.count() > 10 and first.documents == 2 and not first.errors
    counting.embedded = 0

    again = ingest_kb(store, kb_copy)
    assert (again.chunks_added, again.chunks_updated, again.chunks_removed) == (0, 0, 0)
    assert again.chunks_unchanged == first.chunks_added and counting.embedded == 0

    fmla = kb_copy / "federal" / "fmla.md"
    text = fmla.read_text(encoding="utf-8")
    last_heading = text.rindex("\n## ")
    fmla.write_text(text[:last_heading].replace("12 workweeks", "twelve workweeks", 1) + "\n", encoding="utf-8")
    edited = ingest_kb(store, kb_copy)
    assert edited.chunks_updated >= 1 and edited.chunks_removed >= 1 and edited.chunks_added == 0
    assert counting.embedded == edited.chunks_updated
    assert store.count() == first.chunks_added - edited.chunks_removed


def test_a_broken_file_is_reported_and_loses_nothing(make_settings, embedder: LocalMiniLM, kb_copy: Path) -> None:
    store = open_store(make_settings(), embedder)
    before = ingest_kb(store, kb_copy)
    (kb_copy / "federal" / "fmla.md").write_text("---\nid: [broken\n---\n", encoding="utf-8")
    (kb_copy / "federal" / "empty.md").write_text("", encoding="utf-8")
    after = ingest_kb(store, kb_copy)
    sources = {e["source"] for e in after.errors}
    assert sources == {"federal/fmla.md", "federal/empty.md"}
    assert all(e["error"].endswith(".") for e in after.errors)
    assert after.chunks_removed == 0 and store.count() == before.chunks_added


def test_crash_mid_ingest_is_completed_by_the_next_run(
    make_settings, embedder: LocalMiniLM, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.pipeline.BATCH", 4)

    class Crashing(CountingEmbedder):
        def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            if self.embedded >= 8:
                raise RuntimeError("power cut")
            return super().embed_documents(texts)

    settings = make_settings()
    with pytest.raises(RuntimeError):
        ingest_kb(open_store(settings, Crashing(embedder)), kb_copy)
    store = open_store(settings, embedder)
    partial = store.count()
    assert partial == 8
    report = ingest_kb(store, kb_copy)
    assert report.chunks_unchanged == partial and report.chunks_added > 0
    assert ingest_kb(store, kb_copy).chunks_unchanged == store.count()


def test_only_one_writer_at_a_time(make_settings) -> None:
    settings = make_settings()
    with writer_lock(settings):
        with pytest.raises(StoreBusyError, match="Another workrights ingest"):
            with writer_lock(settings):
                pass
    with writer_lock(settings):
        pass


def test_store_refuses_a_different_embedding_model(make_settings, embedder: LocalMiniLM) -> None:
    settings = make_settings()
    open_store(settings, embedder)
    with pytest.raises(StoreError, match="--rebuild"):
        open_store(settings, CountingEmbedder(embedder, name="other-model"))
    assert open_store(settings, CountingEmbedder(embedder, name="other-model"), rebuild=True).count() == 0


def test_every_passage_fits_the_model_window(embedder: LocalMiniLM) -> None:
    from ingest.pipeline import load_kb_chunks
    from workrights.schema import passage_text

    chunks, _, _, errors = load_kb_chunks(REPO / "kb")
    assert not errors
    sizes = {c.chunk_id: embedder.count_tokens(passage_text(c)) for c in chunks}
    too_long = {k: v for k, v in sizes.items() if v > embedder.max_tokens}
    assert not too_long, f"passages the model would truncate: {too_long}"
