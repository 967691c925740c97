"""Every error a user can meet, in one tree.

Each message is one sentence that says what went wrong and how to fix it; the CLI prints it as one
line and exits 1, and the app shows it as a plain sentence.
"""

from __future__ import annotations

__all__ = [
    "WorkrightsError",
    "ConfigError",
    "KnowledgeBaseError",
    "StoreError",
    "StoreBusyError",
    "EmbeddingError",
    "GuardrailError",
    "FeedbackError",
    "LLMError",
]


class WorkrightsError(Exception):
    """Base class: a problem the user can act on."""


class ConfigError(WorkrightsError):
    """A setting is missing or invalid."""


class KnowledgeBaseError(WorkrightsError):
    """A knowledge-base file is malformed (bad front matter, no sections, bad citation)."""


class StoreError(WorkrightsError):
    """The vector store cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock."""


class EmbeddingError(WorkrightsError):
    """The embedding model cannot be loaded or run."""


class GuardrailError(WorkrightsError):
    """A guardrail failed; the answer is refused rather than shown unchecked."""


class FeedbackError(WorkrightsError):
    """The feedback file cannot be written or read; the answer itself is never affected."""


class LLMError(WorkrightsError):
    """The language model could not give an answer (timeout, refused key, rate limit, server error, cut stream).

    ``ask()`` never lets it reach the user: the extractive answer is shown with this message as a notice.
    """
