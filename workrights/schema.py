"""The data that flows through workrights: chunks in the store, search hits, and answers.

``Hit.to_dict()`` is the JSON of ``workrights search`` and ``Answer.to_dict()`` the JSON of
``workrights ask --json``; their field names are a contract (see DESIGN.md section 3).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "METADATA_KEYS",
    "OPTIONAL_METADATA_KEYS",
    "DOC_TYPES",
    "ESCALATION_LEVELS",
    "Chunk",
    "Hit",
    "Citation",
    "Contact",
    "Deadline",
    "Escalation",
    "Answer",
    "content_hash",
    "passage_text",
]

METADATA_KEYS = (
    "source_id",
    "law",
    "jurisdiction",
    "cite",
    "title",
    "heading_path",
    "url",
    "doc_type",
    "as_of",
    "content_hash",
)
# Optional keys, stored only when set: cross-references and hidden-content findings of ingested pages.
OPTIONAL_METADATA_KEYS = ("refs", "flags")
DOC_TYPES = ("statute", "regulation", "guidance", "summary", "policy")
ESCALATION_LEVELS = ("none", "refer", "urgent", "crisis")


def content_hash(text: str, metadata: dict[str, str]) -> str:
    """Hash of everything that would change what the store holds for a chunk."""
    digest = hashlib.sha256(text.encode("utf-8"))
    for key in sorted(metadata):
        if key != "content_hash":
            digest.update(f"\x00{key}={metadata[key]}".encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage with its citation metadata."""

    chunk_id: str
    text: str
    source_id: str
    law: str
    jurisdiction: str
    cite: str
    title: str
    heading_path: str
    url: str
    doc_type: str
    as_of: str
    refs: str = ""  # citations the passage refers to, "; "-separated
    flags: str = ""  # hidden-content findings at ingest (zero-width, hidden-html, instruction-to-ai), ","-separated

    def metadata(self) -> dict[str, str]:
        meta = {key: getattr(self, key) for key in METADATA_KEYS if key != "content_hash"}
        meta.update({key: getattr(self, key) for key in OPTIONAL_METADATA_KEYS if getattr(self, key)})
        meta["content_hash"] = content_hash(self.text, meta)
        return meta

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> "Chunk":
        keys = [k for k in METADATA_KEYS if k != "content_hash"] + list(OPTIONAL_METADATA_KEYS)
        return cls(chunk_id=chunk_id, text=text, **{k: str(meta.get(k, "")) for k in keys})


@dataclass
class Hit:
    """A search result: a chunk and how well it matched."""

    chunk: Chunk
    score: float
    similarity: float = 0.0
    keyword_score: float = 0.0
    exact_cite: bool = False
    # Every chunk of the hit's section, in order (the chunk itself included): the retrieval unit is the
    # section, the chunk is only how it was embedded.
    section: list[Chunk] = field(default_factory=list)

    @property
    def section_chunks(self) -> list[Chunk]:
        return self.section or [self.chunk]

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "chunk_id": c.chunk_id,
            "cite": c.cite,
            "title": c.title,
            "law": c.law,
            "jurisdiction": c.jurisdiction,
            "source": c.source_id,
            "url": c.url,
            "score": round(self.score, 6),
            "text": c.text,
        }


@dataclass(frozen=True)
class Citation:
    n: int
    cite: str
    title: str
    url: str
    chunk_id: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Deadline:
    """A filing deadline: the contract's claim/days/cite, plus the countdown when the event date is known."""

    claim: str
    days: int
    cite: str
    last_day: str | None = None
    days_left: int | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Escalation:
    level: str = "none"
    reasons: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reasons": list(self.reasons),
            "contacts": [c.to_dict() for c in self.contacts],
            "deadlines": [d.to_dict() for d in self.deadlines],
        }


@dataclass
class Answer:
    answer: str
    mode: str = "extractive"
    citations: list[Citation] = field(default_factory=list)
    escalation: Escalation = field(default_factory=Escalation)
    refused: bool = False
    refusal_reason: str | None = None
    as_of: str = ""
    timings_ms: dict[str, float] = field(
        default_factory=lambda: {"guard": 0.0, "retrieve": 0.0, "generate": 0.0, "total": 0.0}
    )
    # Outside the contract JSON (see ``details``): one-line notices shown with the answer (an LLM fault, removed
    # sentences), and for the LLM mode the model, prompt version, token usage, latency and what the
    # grounding check removed.
    notices: list[str] = field(default_factory=list)
    llm: dict[str, Any] | None = None
    # The state whose law the answer used (chosen, or detected in the question), and how it was chosen.
    state: str | None = None
    state_source: str | None = None  # "selected" | "detected" | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "escalation": self.escalation.to_dict(),
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "as_of": self.as_of,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }

    def details(self) -> dict[str, Any]:
        """What the contract JSON leaves out: notices, the state used, and the LLM record (model, prompt, usage, removals)."""
        return {"notices": list(self.notices), "llm": self.llm, "state": self.state, "state_source": self.state_source}


def passage_text(chunk: Chunk) -> str:
    """What gets embedded and keyword-indexed: the section's headings give a short passage its topic."""
    return f"{chunk.heading_path}\n{chunk.text}"
