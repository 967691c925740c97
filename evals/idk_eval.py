"""The "I don't know" rate: questions the knowledge base cannot answer, which must not get a cited answer.

``evals/datasets/unanswerable/idk.jsonl`` holds three kinds: other countries' law, work topics no source
covers (unemployment benefits, workers' compensation, a named company's policy, a future minimum wage...),
and questions not about work. An answer abstains when it is refused, says nothing was found, or quotes no
law (a referral to the agency that handles the topic). Kept apart from ``evals/datasets/*.jsonl``, whose
questions all have expected citations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workrights.answer import Assistant
from workrights.schema import Answer

__all__ = ["IDK_FILE", "load_idk", "abstained", "idk_metrics"]

IDK_FILE = Path(__file__).resolve().parent / "datasets" / "unanswerable" / "idk.jsonl"


def load_idk(path: Path = IDK_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def abstained(answer: Answer) -> bool:
    return answer.refused or not answer.citations


def idk_metrics(assistant: Assistant, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The share of unanswerable questions that got no cited answer, overall and per kind; the ones answered."""
    by_kind: dict[str, list[bool]] = {}
    answered = []
    for item in items:
        answer = assistant.ask(item["question"], state=item.get("state"), role=item.get("role", "employee"))
        ok = abstained(answer)
        by_kind.setdefault(item["kind"], []).append(ok)
        if not ok:
            answered.append({"id": item["id"], "question": item["question"], "cites": [c.cite for c in answer.citations][:3]})
    flat = [ok for oks in by_kind.values() for ok in oks]
    return {
        "n": len(flat),
        "idk_rate": round(sum(flat) / len(flat), 4) if flat else None,
        "by_kind": {k: {"n": len(v), "idk_rate": round(sum(v) / len(v), 4)} for k, v in sorted(by_kind.items())},
        "answered": answered,
    }
