"""Evaluation datasets: JSONL files in ``evals/datasets/``, one question per line.

Fields: id, question, role, state, law, expected_cites (section level), key_facts (regexes), style.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EvalItem", "DATASETS_DIR", "load_dataset", "load_all"]

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
_REQUIRED = ("id", "question", "role", "expected_cites", "key_facts")


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    role: str
    state: str | None
    law: str
    expected_cites: tuple[str, ...]
    key_facts: tuple[str, ...]
    style: str
    dataset: str


def _item(data: dict[str, object], dataset: str, where: str) -> EvalItem:
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    facts = tuple(str(f) for f in data["key_facts"])  # type: ignore[union-attr]
    for fact in facts:
        re.compile(fact)
    return EvalItem(
        id=str(data["id"]),
        question=str(data["question"]),
        role=str(data["role"]),
        state=data.get("state") or None,  # type: ignore[arg-type]
        law=str(data.get("law", "")),
        expected_cites=tuple(str(c) for c in data["expected_cites"]),  # type: ignore[union-attr]
        key_facts=facts,
        style=str(data.get("style", "")),
        dataset=dataset,
    )


def load_dataset(path: Path) -> list[EvalItem]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            items.append(_item(json.loads(line), path.stem, f"{path.name}:{n}"))
    return items


def load_all(directory: Path = DATASETS_DIR) -> list[EvalItem]:
    return [item for path in sorted(directory.glob("*.jsonl")) for item in load_dataset(path)]
