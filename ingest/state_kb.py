"""Chunks of the state facts (``kb/states/XX.toml``): one summary section per fact, in jurisdiction ``XX``.

Provenance: authored for this project from the state codes and agency pages each fact cites (its ``url``);
the text comes from ``workrights.state_facts.render``, so the summaries and the guardrails read the same facts.
Each chunk keeps its own fact's citation, official URL and as-of date.
"""

from __future__ import annotations

from ingest.chunking import pack
from workrights.schema import Chunk
from workrights.state_facts import StateFacts, render

__all__ = ["state_source_id", "state_chunks"]


def state_source_id(code: str) -> str:
    return f"{code.lower()}_workrights_state"


def state_chunks(facts: StateFacts) -> list[Chunk]:
    source_id = state_source_id(facts.code)
    title = f"{facts.name} employment law"
    chunks: list[Chunk] = []
    for section in render(facts):
        for n, text in enumerate(pack(section.text)):
            chunks.append(
                Chunk(
                    chunk_id=f"{source_id}:{section.key}:{n}",
                    text=text,
                    source_id=source_id,
                    law=f"{facts.name} law",
                    jurisdiction=facts.code,
                    cite=section.cite,
                    title=title,
                    heading_path=f"{title} > {section.heading}",
                    url=section.url,
                    doc_type="summary",
                    as_of=section.as_of,
                )
            )
    return chunks
