"""Answer metrics: are the citations real and in context, are the expected sections cited, are the key facts said.

Citation validity is checked independently of the output guardrail: each citation's chunk must be in the
knowledge base, its quote must be that chunk's own text, its citation string must appear in the chunk,
and the chunk must be in the context the (redacted) question retrieves: the top-k search, or the
exact-cite lookup the deadline and coverage notes use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from evals.datasets import EvalItem
from guardrails.output import verify_citation
from guardrails.pii import redact
from workrights.answer import Assistant
from workrights.citations import find_cites, normalize_text, section_key
from workrights.schema import Answer, Chunk, Citation, Hit

__all__ = ["answer_metrics", "citation_in_context"]


def citation_in_context(
    assistant: Assistant, citation: Citation, context: Sequence[Hit], state: str | None, by_id: dict[str, Chunk] | None = None
) -> bool:
    if verify_citation(citation, context):
        return True
    # Deadline and coverage lines are supported by an exact-cite lookup: any passage that carries the
    # citation is retrieved context for it.
    if assistant.retriever.find_cited(citation.cite, state=state) is None:
        return False
    by_id = by_id if by_id is not None else {c.chunk_id: c for c in assistant.retriever.store.all_chunks()}
    chunk = by_id.get(citation.chunk_id)
    if chunk is None or section_key(citation.cite) not in {section_key(x) for x in find_cites(chunk.text)}:
        return False
    return verify_citation(citation, [Hit(chunk=chunk, score=0.0)])


def _key_facts(answer: Answer, facts: Sequence[str]) -> float:
    text = answer.answer + " " + " ".join(c.quote for c in answer.citations)
    return sum(1 for f in facts if re.search(f, text, re.IGNORECASE)) / len(facts) if facts else 1.0


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def answer_metrics(assistant: Assistant, items: Sequence[EvalItem]) -> dict[str, Any]:
    k = assistant.settings.top_k
    cites = valid = expected_hit = changed = fell_back = 0
    facts: list[float] = []
    invalid_examples: list[dict[str, str]] = []
    modes: Counter[str] = Counter()
    by_id = {c.chunk_id: c for c in assistant.retriever.store.all_chunks()}
    for item in items:
        answer = assistant.ask(item.question, state=item.state, role=item.role)
        # ask() searches the redacted question; so must the check.
        context = assistant.retriever.search(redact(" ".join(item.question.split())).text, state=answer.state, k=k)
        modes[answer.mode] += 1
        for c in answer.citations:
            cites += 1
            if citation_in_context(assistant, c, context, answer.state, by_id):
                valid += 1
            elif len(invalid_examples) < 10:
                invalid_examples.append({"id": item.id, "cite": c.cite, "quote": c.quote[:120]})
        wanted = {section_key(normalize_text(e)) for e in item.expected_cites}
        expected_hit += any(section_key(normalize_text(c.cite)) in wanted for c in answer.citations)
        facts.append(_key_facts(answer, item.key_facts))
        if answer.llm:
            changed += bool(answer.llm.get("removed"))
            fell_back += not answer.llm.get("used")
    n = len(items)
    return {
        "n": n,
        "citations": cites,
        "citation_validity": _rate(valid, cites) if cites else 1.0,
        "expected_citation_hit": _rate(expected_hit, n),
        "key_fact_coverage": round(sum(facts) / n, 4) if n else 0.0,
        "modes": dict(modes),
        "llm_changed_by_check": changed,
        "llm_fell_back": fell_back,
        "invalid_examples": invalid_examples,
    }
