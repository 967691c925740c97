"""Choose the semantic layer's thresholds without touching an evaluation set: ``python -m evals.calibrate``.

The exemplars in ``kb/`` come from several writers (their ``source``). Each writer's messages are judged in
turn by the full guardrail (``assess``) with semantic layers built from the *other* writers only, the way a
new user's wording meets the product. The table this prints, for a grid of thresholds, is what the defaults
in ``guardrails.assess.Thresholds`` were chosen from; the evaluation sets are scored only afterwards.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from evals.guardrail_eval import LEVELS, level_metrics
from evals.guardrail_sets import load_jsonl
from guardrails.assess import THRESHOLDS, Thresholds, assess
from guardrails.semantic import SemanticTriage
from workrights.embeddings import make_embedder
from workrights.settings import Settings

__all__ = ["MemoEmbedder", "leave_one_source_out", "triage_scores", "evasion_scores", "main"]

class MemoEmbedder:
    """Each text is embedded once for all the folds and thresholds."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._memo: dict[str, list[float]] = {}
        self.name = f"memo:{inner.name}"

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self._inner.embed_documents(missing)))
        return [self._memo[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def leave_one_source_out(
    rows: Sequence[dict[str, Any]], embedder: Any, workdir: Path, label_key: str
) -> Iterable[tuple[str, list[dict[str, Any]], SemanticTriage]]:
    """For each source: its rows, and a semantic layer built from every other source."""
    for source in sorted({r["source"] for r in rows}):
        rest = workdir / f"without-{source}-{label_key}.jsonl"
        rest.write_text("".join(json.dumps(r) + "\n" for r in rows if r["source"] != source), encoding="utf-8")
        yield source, [r for r in rows if r["source"] == source], SemanticTriage(embedder, rest, None, label_key=label_key)


def triage_scores(predictions: Sequence[tuple[str, str]]) -> dict[str, float | None]:
    """Recall and precision per level from (expected, got) pairs; urgent+ counts crisis as caught."""
    confusion = Counter(predictions)
    out: dict[str, float | None] = {}
    for level, m in level_metrics(confusion).items():
        out[f"{level}_recall"], out[f"{level}_precision"] = m["recall"], m["precision"]
    urgent = sum(confusion[("urgent", g)] for g in LEVELS)
    out["urgent_or_higher"] = round((confusion[("urgent", "urgent")] + confusion[("urgent", "crisis")]) / urgent, 4) if urgent else None
    return out


def evasion_scores(predictions: Sequence[tuple[str, bool]]) -> dict[str, float]:
    evasion = [refused for label, refused in predictions if label == "evasion"]
    legitimate = [refused for label, refused in predictions if label != "evasion"]
    return {
        "evasion_refused": round(sum(evasion) / len(evasion), 3) if evasion else 0.0,
        "legitimate_refused": round(sum(legitimate) / len(legitimate), 3) if legitimate else 0.0,
    }


def _grid(base: Thresholds) -> list[Thresholds]:
    """The defaults, and the defaults with one crisis knob moved at a time (1.01: that signal is off)."""
    grid = [base]
    grid += [replace(base, crisis_probability=p) for p in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)]
    grid += [replace(base, clause_crisis_probability=p) for p in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)]
    return list(dict.fromkeys(grid))


def _evasion_grid(base: Thresholds) -> list[Thresholds]:
    return [replace(base, evasion_probability=p) for p in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01)]


def calibrate(settings: Settings, embedder: Any, today: date, workdir: Path) -> dict[str, Any]:
    deadlines = settings.kb_dir / "deadlines.toml"
    triage_rows = load_jsonl(settings.kb_dir / "triage_exemplars.jsonl")
    evasion_rows = load_jsonl(settings.kb_dir / "evasion_exemplars.jsonl")
    triage_runs: dict[Thresholds, list[tuple[str, str]]] = {t: [] for t in _grid(THRESHOLDS)}
    for _source, held_out, layer in leave_one_source_out(triage_rows, embedder, workdir, "level"):
        for row in held_out:
            for limits, got in triage_runs.items():
                got.append((row["level"], assess(row["text"], today=today, deadlines_file=deadlines, semantic=layer, limits=limits).level))
    evasion_runs: dict[Thresholds, list[tuple[str, bool]]] = {t: [] for t in _evasion_grid(THRESHOLDS)}
    for _source, held_out, layer in leave_one_source_out(evasion_rows, embedder, workdir, "label"):
        for row in held_out:
            for limits, got in evasion_runs.items():
                found = assess(row["text"], today=today, deadlines_file=deadlines, evasion=layer, role="hr", limits=limits).evasion
                got.append((row["label"], found is not None))
    return {
        "triage": [{"thresholds": t.__dict__, **triage_scores(p)} for t, p in triage_runs.items()],
        "evasion": [{"thresholds": t.__dict__, **evasion_scores(p)} for t, p in evasion_runs.items()],
    }


def render(report: dict[str, Any]) -> str:
    lines = ["| crisis p | sentence crisis p | crisis R/P | urgent R/P | urgent+ | refer R/P | none R |", "|---|---|---|---|---|---|---|"]
    for r in report["triage"]:
        t = r["thresholds"]
        lines.append(
            f"| {t['crisis_probability']} | {t['clause_crisis_probability']} | {r['crisis_recall']} / {r['crisis_precision']} | "
            f"{r['urgent_recall']} / {r['urgent_precision']} | {r['urgent_or_higher']} | {r['refer_recall']} / {r['refer_precision']} | {r['none_recall']} |"
        )
    lines += ["", "| evasion p | evasion refused | legitimate twins refused |", "|---|---|---|"]
    lines += [
        f"| {r['thresholds']['evasion_probability']} | {r['evasion_refused']} | {r['legitimate_refused']} |"
        for r in report["evasion"]
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the full table as JSON here")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        report = calibrate(settings, MemoEmbedder(make_embedder(settings)), date.today(), Path(tmp))
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
