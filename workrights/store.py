"""The Chroma vector store: embedded on disk by default, or a Chroma server when configured.

One writer per store directory: chromadb's embedded mode is not safe for two processes writing the
same folder, so every write happens under an exclusive file lock (``write.lock``). A store remembers
the embedding model that built it and refuses to be queried or extended with another one.
"""

from __future__ import annotations

import fcntl
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workrights.embeddings import ChromaEmbeddingAdapter, Embedder
from workrights.errors import StoreBusyError, StoreError
from workrights.schema import Chunk
from workrights.settings import Settings

__all__ = ["Store", "open_store", "writer_lock"]

_PAGE = 1000


def _client(settings: Settings) -> Any:
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.data_dir / "chroma"), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types for the same user problem
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else f"{settings.data_dir / 'chroma'}"
        )
        raise StoreError(
            f"Could not open the vector store at {where} ({exc}); check WORKRIGHTS_CHROMA_HOST / WORKRIGHTS_DATA_DIR."
        ) from exc


class Store:
    """A Chroma collection of ``Chunk``s with cosine similarity search."""

    def __init__(self, collection: Any, embedder: Embedder) -> None:
        self._collection = collection
        self.embedder = embedder

    @property
    def model(self) -> str | None:
        return (self._collection.metadata or {}).get("embedding_model")

    def count(self) -> int:
        return int(self._collection.count())

    def hashes(self) -> dict[str, str]:
        """chunk_id -> content_hash for everything stored."""
        out: dict[str, str] = {}
        for ids, metas, _ in self._pages(include=["metadatas"]):
            out.update({i: str((m or {}).get("content_hash", "")) for i, m in zip(ids, metas)})
        return out

    def all_chunks(self) -> list[Chunk]:
        chunks: list[Chunk] = []
        for ids, metas, docs in self._pages(include=["metadatas", "documents"]):
            chunks.extend(Chunk.from_store(i, d or "", m or {}) for i, m, d in zip(ids, metas, docs))
        return chunks

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """chunk_id -> stored embedding, for the given ids (those not stored are left out)."""
        out: dict[str, list[float]] = {}
        for start in range(0, len(ids), _PAGE):
            page = self._collection.get(ids=list(ids[start : start + _PAGE]), include=["embeddings"])
            out.update({i: [float(x) for x in e] for i, e in zip(page["ids"], page["embeddings"])})
        return out

    def _pages(self, include: list[str]) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
        offset = 0
        while True:
            page = self._collection.get(include=include, limit=_PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            docs = page.get("documents") or [None] * len(ids)
            yield ids, page["metadatas"] or [{}] * len(ids), docs
            offset += len(ids)

    def upsert(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        if not chunks:
            return
        for start in range(0, len(chunks), _PAGE):
            part = chunks[start : start + _PAGE]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=[list(e) for e in embeddings[start : start + _PAGE]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _PAGE):
            self._collection.delete(ids=list(ids[start : start + _PAGE]))

    def nearest(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the ``k`` nearest chunks, unfiltered; nothing else is read, so it stays fast."""
        if k <= 0:
            return []
        result = self._collection.query(query_embeddings=[list(vector)], n_results=k, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]

    def query(
        self, vector: Sequence[float], k: int, jurisdictions: Sequence[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """The ``k`` nearest chunks with their cosine similarity, optionally limited to jurisdictions."""
        total = self.count()
        if total == 0:
            return []
        where = {"jurisdiction": {"$in": list(jurisdictions)}} if jurisdictions else None
        result = self._collection.query(
            query_embeddings=[list(vector)],
            n_results=min(k, total),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            (Chunk.from_store(i, d or "", m or {}), 1.0 - float(dist))
            for i, d, m, dist in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
            )
        ]


def open_store(settings: Settings, embedder: Embedder, *, rebuild: bool = False) -> Store:
    """Open (or create) the collection; ``rebuild`` drops it first (caller holds the write lock)."""
    client = _client(settings)
    try:
        if rebuild and settings.collection in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
            client.delete_collection(settings.collection)
        with warnings.catch_warnings():
            # chromadb tries to rebuild the stored embedding function from its config and warns when it cannot;
            # workrights always passes its own, so the warning says nothing.
            warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")
            collection = client.get_or_create_collection(
                settings.collection,
                embedding_function=ChromaEmbeddingAdapter(embedder),
                metadata={"hnsw:space": "cosine", "embedding_model": embedder.name},
            )
    except Exception as exc:  # noqa: BLE001
        raise StoreError(
            f"Could not open the collection {settings.collection!r} ({exc}); run `workrights ingest --rebuild`."
        ) from exc
    store = Store(collection, embedder)
    if store.model not in (None, embedder.name):
        raise StoreError(
            f"The store was built with the embedding model {store.model!r} but {embedder.name!r} is configured; "
            "run `workrights ingest --rebuild` or change WORKRIGHTS_EMBEDDING back."
        )
    return store


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's single-writer lock for the duration of a write (an ingest)."""
    if settings.chroma_host:
        yield  # a Chroma server serialises writers itself
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = Path(settings.data_dir) / "write.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusyError(
                f"Another workrights ingest is writing to {settings.data_dir}; wait for it to finish and try again."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
