"""Keep the store in step with a set of chunks: embed only what changed, remove what disappeared.

Idempotent by content hash: re-running on unchanged input embeds nothing. Chunks are upserted in small
batches, so a crash mid-run leaves a consistent store that the next run completes. Chunks of a source
that failed to load are left alone: bad input loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import chunk_kb_document
from ingest.kb_markdown import parse_kb_file
from ingest.state_kb import state_chunks, state_source_id
from workrights.errors import KnowledgeBaseError, WorkrightsError
from workrights.schema import Chunk, passage_text
from workrights.state_facts import load_state_file, state_files
from workrights.store import Store

__all__ = ["IngestReport", "sync_chunks", "load_kb_chunks", "ingest_kb", "merge_reports", "BATCH"]

BATCH = 64
Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    """The summary printed by ``workrights ingest --json`` (field names are a contract)."""

    sources: int = 0
    documents: int = 0
    chunks_added: int = 0
    chunks_updated: int = 0
    chunks_removed: int = 0
    chunks_unchanged: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


def load_kb_chunks(
    kb_dir: Path, source_ids: Sequence[str] | None = None
) -> tuple[list[Chunk], set[str], int, list[dict[str, str]]]:
    """Parse every KB file: (chunks, sources loaded, documents, errors). A bad file is reported, not fatal."""
    files = sorted(p for p in kb_dir.rglob("*.md") if p.name != "README.md")
    chunks: list[Chunk] = []
    loaded: set[str] = set()
    errors: list[dict[str, str]] = []
    documents = 0
    for path in files:
        try:
            doc = parse_kb_file(path)
        except KnowledgeBaseError as exc:
            errors.append({"source": str(path.relative_to(kb_dir)), "error": str(exc)})
            continue
        if source_ids and doc.source_id not in source_ids:
            continue
        if doc.source_id in loaded:
            errors.append({"source": doc.source_id, "error": f"{path} repeats the id {doc.source_id}; ids must be unique."})
            continue
        loaded.add(doc.source_id)
        documents += 1
        chunks.extend(chunk_kb_document(doc))
    documents += _load_state_chunks(kb_dir / "states", source_ids, chunks, loaded, errors)
    if source_ids:
        for missing in sorted(set(source_ids) - loaded):
            if not any(e["source"] == missing for e in errors):
                errors.append({"source": missing, "error": f"No knowledge-base file has the id {missing}."})
    return chunks, loaded, documents, errors


def _load_state_chunks(
    states_dir: Path, source_ids: Sequence[str] | None, chunks: list[Chunk], loaded: set[str], errors: list[dict[str, str]]
) -> int:
    """Add the chunks of every valid state file; a bad one is reported and its old chunks stay."""
    documents = 0
    for path in state_files(states_dir):
        source_id = state_source_id(path.stem)
        if source_ids and source_id not in source_ids:
            continue
        try:
            facts = load_state_file(path)
        except KnowledgeBaseError as exc:
            errors.append({"source": source_id, "error": str(exc)})
            continue
        loaded.add(source_id)
        documents += 1
        chunks.extend(state_chunks(facts))
    return documents


def sync_chunks(
    store: Store,
    chunks: Sequence[Chunk],
    sources: set[str],
    progress: Progress | None = None,
    keep_prefixes: tuple[str, ...] = (),
    existing: dict[str, str] | None = None,
) -> IngestReport:
    """Upsert new and changed chunks of ``sources`` and delete their chunks that are gone.

    Chunks whose id starts with one of ``keep_prefixes`` (documents that failed to load this time) stay.
    ``existing`` is the store's ``hashes()`` when the caller already has it.
    """
    report = IngestReport(sources=len(sources))
    # One snapshot of the store's hashes serves several disjoint sources: reading it costs more than parsing.
    existing = store.hashes() if existing is None else existing
    todo: list[Chunk] = []
    for chunk in chunks:
        old = existing.get(chunk.chunk_id)
        if old == chunk.metadata()["content_hash"]:
            report.chunks_unchanged += 1
        else:
            todo.append(chunk)
            if old is None:
                report.chunks_added += 1
            else:
                report.chunks_updated += 1
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        store.upsert(batch, store.embedder.embed_documents([passage_text(c) for c in batch]))
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    keep = {c.chunk_id for c in chunks}
    stale = [i for i in existing if i.split(":", 1)[0] in sources and i not in keep and not i.startswith(keep_prefixes)]
    store.delete(stale)
    report.chunks_removed = len(stale)
    return report


def ingest_kb(
    store: Store, kb_dir: Path, source_ids: Sequence[str] | None = None, progress: Progress | None = None
) -> IngestReport:
    started = time.perf_counter()
    if not kb_dir.is_dir():
        raise WorkrightsError(f"The knowledge-base folder {kb_dir} does not exist; set WORKRIGHTS_KB_DIR to it.")
    chunks, loaded, documents, errors = load_kb_chunks(kb_dir, source_ids)
    report = sync_chunks(store, chunks, loaded, progress)
    report.documents = documents
    report.sources = len(loaded) + len({e["source"] for e in errors} - loaded)
    report.errors = errors
    report.seconds = time.perf_counter() - started
    return report


def merge_reports(reports: Sequence[IngestReport]) -> IngestReport:
    total = IngestReport()
    for r in reports:
        for name in ("sources", "documents", "chunks_added", "chunks_updated", "chunks_removed", "chunks_unchanged", "seconds"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.errors += r.errors
    return total
