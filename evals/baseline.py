"""A naive LangChain RAG over the same documents, scored on the same questions as workrights.

What a first attempt would build: the knowledge-base files split by RecursiveCharacterTextSplitter
(1,000 characters, 200 overlap), the same embedding model, Chroma top-4 by similarity, no keyword
search, no jurisdiction filter, no structure, and each passage cited to its document. The report puts
our figure, the baseline's and their ratio side by side.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.datasets import EvalItem
from evals.metrics import mrr, recall_at
from ingest.kb_markdown import parse_kb_file
from workrights.citations import find_cites, normalize_text, section_key
from workrights.embeddings import Embedder, as_langchain
from workrights.state_facts import load_states, render

__all__ = ["NaiveRAG", "baseline_metrics"]

TOP_K = 4


class NaiveRAG:
    def __init__(self, kb_dir: Path, embedder: Embedder, directory: Path) -> None:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        docs = []
        for path in sorted(p for p in kb_dir.rglob("*.md") if p.name != "README.md"):
            kb = parse_kb_file(path)
            body = "\n\n".join(f"{' > '.join(s.headings)}\n{s.text}" for s in kb.sections)
            docs.append(Document(page_content=f"{kb.title}\n\n{body}", metadata={"source": kb.source_id, "cite": kb.cites[0] if kb.cites else kb.title}))
        # The state summaries are documents too: the same text workrights indexes, one document per state.
        for code, facts in sorted(load_states(kb_dir / "states").items()):
            body = "\n\n".join(f"{s.heading}\n{s.text}" for s in render(facts))
            docs.append(Document(page_content=f"{facts.name} employment law\n\n{body}", metadata={"source": code, "cite": facts.minimum_wage.cite}))
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks = splitter.split_documents(docs)
        self.store = Chroma(collection_name="naive-baseline", embedding_function=as_langchain(embedder), persist_directory=str(directory))
        self.store.add_documents(self.chunks)

    def search(self, question: str, k: int = TOP_K) -> list[Any]:
        return list(self.store.similarity_search(question, k=k))


def _sections(text: str) -> set[str]:
    return {section_key(c) for c in find_cites(normalize_text(text))}


def _rank(docs: Sequence[Any], expected: Sequence[str]) -> int | None:
    wanted = {section_key(normalize_text(e)) for e in expected}
    for rank, doc in enumerate(docs, 1):
        if _sections(doc.page_content) & wanted:
            return rank
    return None


def baseline_metrics(kb_dir: Path, embedder: Embedder, items: Sequence[EvalItem], ours: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="workrights-baseline-") as tmp:
        rag = NaiveRAG(kb_dir, embedder, Path(tmp))
        ranks = []
        cited = valid = 0
        for item in items:
            docs = rag.search(item.question, k=10)
            ranks.append(_rank(docs, item.expected_cites))
            for doc in docs[:TOP_K]:
                # The naive answer cites each passage to its document; valid only if the passage says that section.
                cited += 1
                valid += section_key(normalize_text(doc.metadata["cite"])) in _sections(doc.page_content)
        chunks = len(rag.chunks)
    base = {
        "chunks": chunks,
        "recall@1": round(recall_at(ranks, 1), 4),
        "recall@4": round(recall_at(ranks, TOP_K), 4),
        "recall@5": round(recall_at(ranks, 5), 4),
        "recall@10": round(recall_at(ranks, 10), 4),
        "mrr": round(mrr(ranks), 4),
        "citation_validity": round(valid / cited, 4) if cited else 0.0,
    }
    ratio = {k: (round(ours[k] / base[k], 2) if base.get(k) else None) for k in ("recall@1", "recall@5", "recall@10", "mrr")}
    return {"n": len(items), "baseline": base, "ours": {k: ours[k] for k in ratio}, "ratio": ratio}
