"""Loaders for the labelled guardrail sets in ``evals/datasets/guardrails/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["GUARDRAILS_DIR", "load_jsonl", "escalation_sets"]

GUARDRAILS_DIR = Path(__file__).resolve().parent / "datasets" / "guardrails"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def escalation_sets(directory: Path = GUARDRAILS_DIR) -> dict[str, list[dict[str, Any]]]:
    """The tuning set and the blind held-out sets, by name."""
    return {p.stem: load_jsonl(p) for p in sorted(directory.glob("escalation*.jsonl"))}
