"""Semantic triage: judgments of a message from labelled exemplars, by embedding similarity.

Keyword rules miss paraphrase ("room is spinning, took too many of the pills"); a vote among the nearest
labelled exemplars (``kb/triage_exemplars.jsonl``, product data kept apart from the evaluation sets) catches
many of them. It can only raise a level, never lower one, and it runs on redacted text. The same exemplars
also train a linear model (logistic regression on the vectors): where exemplars come in pairs that differ
only in intent (``kb/evasion_exemplars.jsonl``: an evasion request and its good-faith twin), a linear
direction generalises to new wording far better than the nearest neighbours do.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workrights.embeddings import Embedder

__all__ = ["SemanticTriage", "SemanticVote", "clauses"]

LEVELS = ("none", "refer", "urgent", "crisis")

# A long message averages its sentences into one vector, so one line about self-harm inside a question about
# accents or PTO can vanish; each clause is also judged on its own.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|,\s+(?:and |but |so )?(?=(?:i|im|i'm|i've|ive|he|she|they) )", re.IGNORECASE)


def clauses(text: str, min_words: int = 3) -> list[str]:
    """The sentences (or comma-joined clauses) of a message that has more than one; [] for a single one."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and len(p.split()) >= min_words]
    return parts if len(parts) > 1 else []


@dataclass(frozen=True)
class SemanticVote:
    level: str
    share: float
    top_similarity: float
    crisis_similarity: float
    shares: dict[str, float] | None = None


class SemanticTriage:
    def __init__(
        self,
        embedder: Embedder,
        exemplars: Path,
        cache_dir: Path | None = None,
        k: int = 7,
        label_key: str = "level",
        regularisation: float = 2.0,
    ) -> None:
        self._regularisation = regularisation
        self._model: tuple[np.ndarray, np.ndarray, list[str]] | None = None
        self._label_key = label_key
        self._embedder = embedder
        self._path = exemplars
        self._cache_dir = cache_dir
        self._k = k
        self._lock = threading.Lock()
        self._matrix: np.ndarray | None = None
        self._levels: list[str] = []
        self._labels: list[str] = []
        self._crisis: np.ndarray = np.zeros(0, dtype=bool)

    def _load(self) -> tuple[np.ndarray, list[str]]:
        with self._lock:
            if self._matrix is None:
                raw = self._path.read_bytes()
                rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
                self._levels = [r[self._label_key] for r in rows]
                self._labels = sorted(set(self._levels), key=lambda lvl: LEVELS.index(lvl) if lvl in LEVELS else len(LEVELS))
                self._crisis = np.array([lvl == "crisis" for lvl in self._levels], dtype=bool)
                key = hashlib.sha256(raw + self._embedder.name.encode()).hexdigest()[:16]
                cache = self._cache_dir / f"exemplars-{key}.npy" if self._cache_dir else None
                if cache is not None and cache.exists():
                    self._matrix = np.load(cache)
                else:
                    self._matrix = np.asarray(self._embedder.embed_documents([r["text"] for r in rows]), dtype=np.float32)
                    if cache is not None:
                        cache.parent.mkdir(parents=True, exist_ok=True)
                        np.save(cache, self._matrix)
            return self._matrix, self._levels

    def warm(self) -> None:
        self._linear()

    def _linear(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        matrix, levels = self._load()
        with self._lock:
            if self._model is None:
                # Imported here: scikit-learn costs a second to import, and only a warmed assistant needs it.
                from sklearn.linear_model import LogisticRegression

                fitted = LogisticRegression(C=self._regularisation, max_iter=3000).fit(matrix, levels)
                weights, bias = fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32)
                if len(fitted.classes_) == 2:  # scikit-learn keeps one row for two classes: the second's odds
                    weights, bias = np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
                self._model = (weights, bias, [str(c) for c in fitted.classes_])
            return self._model

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """The linear model's probability of each label, for each text."""
        if not texts:
            return []
        weights, bias, classes = self._linear()
        # Plain NumPy: scikit-learn's own predict_proba spends ~5 ms checking its input on every call.
        queries = np.asarray([self._embedder.embed_query(t) for t in texts], dtype=np.float32)
        logits = queries @ weights.T + bias
        odds = np.exp(logits - logits.max(axis=1, keepdims=True))
        return [dict(zip(classes, map(float, row / row.sum()))) for row in odds]

    def vote(self, text: str) -> SemanticVote:
        return self._vote(np.asarray(self._embedder.embed_query(text), dtype=np.float32))

    def _vote(self, query: np.ndarray) -> SemanticVote:
        matrix, levels = self._load()
        sims = matrix @ query
        top = np.argsort(-sims)[: self._k]
        labels = self._labels
        scores = {label: 0.0 for label in labels}
        for i in top:
            scores[levels[i]] += max(float(sims[i]), 0.0)
        total = sum(scores.values()) or 1.0
        best = max(labels, key=lambda lvl: scores[lvl])
        crisis = float(sims[self._crisis].max()) if self._crisis.any() else 0.0
        shares = {label: score / total for label, score in scores.items()}
        return SemanticVote(best, shares[best], float(sims[top[0]]), crisis, shares)

    def votes(self, texts: Sequence[str]) -> list[SemanticVote]:
        """One vote per text, embedded in one batch (the clauses of a message are not worth remembering)."""
        if not texts:
            return []
        self._load()
        vectors = np.asarray(self._embedder.embed_documents(list(texts)), dtype=np.float32)
        return [self._vote(v) for v in vectors]
