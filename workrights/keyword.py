"""BM25 keyword index (bm25s, Snowball stemming) over the stored chunks.

Dense retrieval misses exact terms ("1,250 hours", "I-9"); BM25 alone misses paraphrase. The two are
fused by reciprocal rank in ``workrights.retrieve``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["KeywordIndex", "analyze"]


class KeywordIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        self.size = len(texts)
        self._model = bm25s.BM25()
        if texts:
            tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=self._stemmer, show_progress=False)
            self._model.index(tokens, show_progress=False)
            self._vocab = set(self._model.vocab_dict)
        else:
            self._vocab = set()

    def query_terms(self, query: str) -> list[str]:
        tokens = self._bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False)
        return [t for t in tokens[0] if t in self._vocab]

    def scores(self, query: str) -> np.ndarray:
        terms = self.query_terms(query)
        if not terms or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(terms), dtype=np.float32)

    def top(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Indices and scores of the ``k`` best documents with a positive score, within ``mask``."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        return [(int(i), float(scores[i])) for i in idx]


_ANALYZER: tuple[object, object] | None = None


def analyze(text: str) -> list[str]:
    """The index's own analysis (lower case, English stop words out, Snowball stems), for one text."""
    global _ANALYZER
    if _ANALYZER is None:
        import bm25s
        import Stemmer

        _ANALYZER = (bm25s, Stemmer.Stemmer("english"))
    bm25s, stemmer = _ANALYZER
    return bm25s.tokenize([text], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)[0]  # type: ignore[attr-defined]
