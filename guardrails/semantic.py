"""Semantic judgments of a message, learnt from labelled exemplars (product data kept apart from the
evaluation sets).

Keyword rules miss paraphrase ("room is spinning, took too many of the pills"). A linear model (logistic
regression) trained on ``kb/triage_exemplars.jsonl`` catches many of them. It reads both the message's vector
and its words (TF-IDF of words and of character n-grams): judged on writers it never saw
(``python -m evals.calibrate``), the words lifted its exact-level recall on urgent messages from 0.77 to 0.90
and on crises from 0.75 to 0.87, because the cue is often one word the averaged vector blurs ("grabbed",
"pills", "rope"). The same model trained on ``kb/evasion_exemplars.jsonl`` (each evasion request with its
good-faith twin) tells the two intents apart. A vote among the nearest exemplars, which this layer used to
have, called more crises and evasions that were not (``evals/reports/calibration.md``). The layer can only
raise a level, never lower one, and it runs on redacted text.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from workrights.embeddings import Embedder

__all__ = ["SemanticTriage", "clauses"]

# A long message averages its sentences into one vector, so one line about self-harm inside a question about
# accents or PTO can vanish; each clause is also judged on its own.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|,\s+(?:and |but |so )?(?=(?:i|im|i'm|i've|ive|he|she|they) )", re.IGNORECASE)


def clauses(text: str, min_words: int = 3) -> list[str]:
    """The sentences (or comma-joined clauses) of a message that has more than one; [] for a single one."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and len(p.split()) >= min_words]
    return parts if len(parts) > 1 else []


class SemanticTriage:
    def __init__(
        self,
        embedder: Embedder,
        exemplars: Path,
        cache_dir: Path | None = None,
        label_key: str = "level",
        regularisation: float = 8.0,
        others: Sequence[Path] = (),
    ) -> None:
        # The texts of ``others`` are the contrasting class, labelled "other": the injection layer learns
        # attacks against every ordinary question the other layers were taught.
        self._others = tuple(others)
        self._regularisation = regularisation
        self._model: _Linear | None = None
        self._label_key = label_key
        self._embedder = embedder
        self._path = exemplars
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._matrix: np.ndarray | None = None
        self._levels: list[str] = []
        self._texts: list[str] = []

    def _load(self) -> tuple[np.ndarray, list[str]]:
        with self._lock:
            if self._matrix is None:
                sources = [(self._path, self._label_key), *((other, None) for other in self._others)]
                matrices: list[np.ndarray] = []
                self._levels, self._texts = [], []
                for path, key in sources:
                    raw = path.read_bytes()
                    rows = _rows(raw)
                    labels = [_label(row, key) if key else "other" for row in rows]
                    keep = [i for i, label in enumerate(labels) if label]
                    matrices.append(self._vectors(raw, rows)[keep])
                    self._levels += [labels[i] for i in keep]
                    self._texts += [rows[i]["text"] for i in keep]
                self._matrix = np.vstack(matrices)
            return self._matrix, self._levels

    def _vectors(self, raw: bytes, rows: Sequence[dict[str, Any]]) -> np.ndarray:
        """One file's vectors, cached by its content: layers that share a file embed it once."""
        key = hashlib.sha256(raw + self._embedder.name.encode()).hexdigest()[:16]
        cache = self._cache_dir / f"exemplars-{key}.npy" if self._cache_dir else None
        if cache is not None and cache.exists():
            return np.load(cache)
        matrix = np.asarray(self._embedder.embed_documents([r["text"] for r in rows]), dtype=np.float32)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, matrix)
        return matrix

    def warm(self) -> None:
        self._linear()

    def _linear(self) -> _Linear:
        if self._model is None:
            cache = self._model_cache()
            model = _Linear.read(cache) if cache is not None else None
            if model is None:
                matrix, levels = self._load()
                model = _Linear.fit(matrix, self._texts, levels, self._regularisation)
                if cache is not None:
                    model.write(cache)
            with self._lock:
                self._model = self._model or model
        return self._model

    def _model_cache(self) -> Path | None:
        """Where the fitted model is kept: fitting the four layers takes seconds that an app start should not
        pay twice. The key covers everything the fit depends on."""
        if self._cache_dir is None:
            return None
        import sklearn

        digest = hashlib.sha256()
        for path in (self._path, *self._others):
            digest.update(path.read_bytes())
        digest.update(f"{self._label_key}|{self._regularisation}|{self._embedder.name}|{sklearn.__version__}|{_Linear.VERSION}".encode())
        return self._cache_dir / f"linear-{digest.hexdigest()[:16]}.pkl"

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """The linear model's probability of each label, for each text."""
        if not texts:
            return []
        model = self._linear()
        # One text is a question whose vector retrieval has usually computed already; several are the
        # sentences of one message, embedded in one batch.
        vectors = [self._embedder.embed_query(texts[0])] if len(texts) == 1 else self._embedder.embed_documents(list(texts))
        return model.probabilities(np.asarray(vectors, dtype=np.float32), texts)


def _rows(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]


def _label(row: dict[str, Any], key: str) -> str | None:
    """A row's label; a list (``agencies``) gives its first item, and an empty one leaves the row out."""
    value = row.get(key)
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if value else None


@dataclass(frozen=True)
class _Linear:
    """Logistic regression on a message's vector and its TF-IDF words and character n-grams, applied with
    NumPy: scikit-learn's own predict_proba spends ~5 ms checking its input on every call."""

    VERSION: ClassVar[str] = "1"  # bump when the features change, so older cached fits are not read

    vector_weights: np.ndarray  # labels x embedding dimensions
    word_weights: np.ndarray  # labels x TF-IDF features
    bias: np.ndarray
    classes: list[str]
    vectorizers: tuple[Any, Any]

    @classmethod
    def fit(cls, matrix: np.ndarray, texts: Sequence[str], labels: Sequence[str], regularisation: float) -> _Linear:
        # Imported here: scikit-learn costs a second to import, and only a warmed assistant needs it.
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizers = (
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True),
        )
        words = hstack([v.fit_transform(texts) for v in vectorizers])
        features = hstack([csr_matrix(matrix.astype(np.float64)), words]).tocsr()
        fitted = LogisticRegression(C=regularisation, max_iter=3000).fit(features, list(labels))
        weights, bias = fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32)
        if len(fitted.classes_) == 2:  # scikit-learn keeps one row for two classes: the second's odds
            weights, bias = np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
        dims = matrix.shape[1]
        return cls(weights[:, :dims], np.ascontiguousarray(weights[:, dims:]), bias, [str(c) for c in fitted.classes_], vectorizers)

    @staticmethod
    def read(path: Path) -> _Linear | None:
        # A pickle, because the fitted vectorizers are scikit-learn objects; it is only ever read from the
        # data directory this process (or `workrights ingest --prepare`) wrote it to.
        try:
            with path.open("rb") as handle:
                model = pickle.load(handle)  # noqa: S301
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return model if isinstance(model, _Linear) else None

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # a crash mid-write leaves no half file under the real name

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str]) -> list[dict[str, float]]:
        from scipy.sparse import hstack

        words = hstack([v.transform(texts) for v in self.vectorizers]).tocsr()
        logits = vectors @ self.vector_weights.T + np.asarray(words @ self.word_weights.T) + self.bias
        odds = np.exp(logits - logits.max(axis=1, keepdims=True))
        return [dict(zip(self.classes, map(float, row / row.sum()))) for row in odds]
