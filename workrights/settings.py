"""One typed settings object, read from ``WORKRIGHTS_*`` environment variables.

Built once by the CLI and by ``app.py`` and passed down; nothing else reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from workrights.errors import ConfigError

__all__ = ["Settings", "EMBEDDING_MODELS", "ANSWER_MODES", "ROLES", "DEFAULT_LLM_MODEL", "default_kb_dir"]

# "openai:<model>" selects an OpenAI-compatible embeddings endpoint, e.g. openai:text-embedding-3-small.
EMBEDDING_MODELS = ("local-minilm", "local-minilm-int8", "local-minilm-static", "openai:<model>")
ANSWER_MODES = ("auto", "extractive", "llm")
ROLES = ("employee", "advocate", "hr")
DEFAULT_LLM_MODEL = "gpt-4o-mini"


def default_kb_dir() -> Path:
    import kb

    return Path(kb.__file__).resolve().parent


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to a number such as {default}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range; set it between {low} and {high}.")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to a number such as {default}.") from None


@dataclass(frozen=True)
class Settings:
    """Run-time configuration. See ``.env.example`` for each variable."""

    data_dir: Path = Path(".workrights")
    kb_dir: Path = field(default_factory=default_kb_dir)
    collection: str = "workrights"
    chroma_host: str | None = None
    chroma_port: int = 8000
    embedding: str = "local-minilm"
    top_k: int = 5
    min_similarity: float = 0.30
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    llm_model: str | None = None
    answer_mode: str = "auto"
    llm_timeout: float = 30.0
    llm_retries: int = 1
    llm_max_tokens: int = 700
    sources_base_url: str | None = None
    upload_max_mb: int = 10
    upload_max_passages: int = 500
    feedback_path: Path | None = None

    @property
    def feedback_file(self) -> Path:
        """The SQLite file of the answers' thumbs up/down, kept beside the store unless set, for the evals."""
        return self.feedback_path or self.data_dir / "feedback.sqlite"

    @property
    def llm_configured(self) -> bool:
        """An OpenAI key or an OpenAI-compatible base URL (local servers need no key) turns the LLM on."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def use_llm(self) -> bool:
        if self.answer_mode == "llm" and not self.llm_configured:
            raise ConfigError(
                "WORKRIGHTS_ANSWER_MODE=llm needs a model: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server."
            )
        return self.answer_mode == "llm" or (self.answer_mode == "auto" and self.llm_configured)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        embedding = env.get("WORKRIGHTS_EMBEDDING") or "local-minilm"
        if embedding not in EMBEDDING_MODELS[:3] and not (embedding.startswith("openai:") and len(embedding) > len("openai:")):
            raise ConfigError(
                f"WORKRIGHTS_EMBEDDING={embedding!r} is not known; use one of: {', '.join(EMBEDDING_MODELS)}."
            )
        timeout = _float(env, "WORKRIGHTS_LLM_TIMEOUT", 30.0)
        if timeout <= 0:
            raise ConfigError(f"WORKRIGHTS_LLM_TIMEOUT={timeout:g} must be more than 0; set it to seconds such as 30.")
        mode = env.get("WORKRIGHTS_ANSWER_MODE") or "auto"
        if mode not in ANSWER_MODES:
            raise ConfigError(f"WORKRIGHTS_ANSWER_MODE={mode!r} is not known; use one of: {', '.join(ANSWER_MODES)}.")
        collection = env.get("WORKRIGHTS_COLLECTION") or "workrights"
        if not 3 <= len(collection) <= 512:
            raise ConfigError("WORKRIGHTS_COLLECTION must be 3 to 512 characters long; pick a longer name.")
        kb_dir = env.get("WORKRIGHTS_KB_DIR")
        return cls(
            data_dir=Path(env.get("WORKRIGHTS_DATA_DIR") or ".workrights"),
            kb_dir=Path(kb_dir) if kb_dir else default_kb_dir(),
            collection=collection,
            chroma_host=env.get("WORKRIGHTS_CHROMA_HOST") or None,
            chroma_port=_int(env, "WORKRIGHTS_CHROMA_PORT", 8000, 1, 65535),
            embedding=embedding,
            top_k=_int(env, "WORKRIGHTS_TOP_K", 5, 1, 50),
            min_similarity=_float(env, "WORKRIGHTS_MIN_SIMILARITY", 0.30),
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            llm_model=env.get("WORKRIGHTS_LLM_MODEL") or None,
            answer_mode=mode,
            llm_timeout=timeout,
            llm_retries=_int(env, "WORKRIGHTS_LLM_RETRIES", 1, 0, 5),
            llm_max_tokens=_int(env, "WORKRIGHTS_LLM_MAX_TOKENS", 700, 50, 8000),
            sources_base_url=env.get("WORKRIGHTS_SOURCES_BASE_URL") or None,
            # The policy parser reads at most 20 MB, so a higher limit could never be honoured.
            upload_max_mb=_int(env, "WORKRIGHTS_UPLOAD_MAX_MB", 10, 1, 20),
            upload_max_passages=_int(env, "WORKRIGHTS_UPLOAD_MAX_PASSAGES", 500, 1, 5000),
            feedback_path=Path(env["WORKRIGHTS_FEEDBACK_FILE"]) if env.get("WORKRIGHTS_FEEDBACK_FILE") else None,
        )
