"""Getting the app ready: one shared assistant (store and models only), the index built on first run."""

from __future__ import annotations

import hashlib

import streamlit as st

from workrights.answer import Assistant, build_assistant
from workrights.settings import Settings

__all__ = ["ready_assistant"]


@st.cache_resource(show_spinner="Loading the knowledge base and models…")
def _assistant(key: str, _settings: Settings) -> Assistant:
    # Shared by every session: the store and the models, never a user's data. Keyed by the settings, so a
    # changed configuration gets its own assistant.
    return build_assistant(_settings)


@st.cache_resource(show_spinner="Getting ready (first start only)…")
def _warmed(key: str, _assistant: Assistant) -> bool:
    _assistant.warm()  # embeds the triage exemplars once; later starts read them from the disk cache
    return True


def _key(settings: Settings) -> str:
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def _ensure_index(assistant: Assistant) -> None:
    store = assistant.retriever.store
    if store.count() > 0:
        return
    from ingest.pipeline import ingest_kb
    from workrights.store import writer_lock

    bar = st.progress(0.0, text="Building the knowledge base for the first time (about a minute)…")
    with writer_lock(assistant.settings):
        report = ingest_kb(
            store,
            assistant.settings.kb_dir,
            progress=lambda done, total: bar.progress(done / total, text=f"Indexing {done} of {total} passages…"),
        )
    bar.empty()
    for err in report.errors:
        st.warning(f"{err['source']}: {err['error']}")


def ready_assistant(settings: Settings) -> Assistant:
    """The shared assistant with its index built and models loaded (raises WorkrightsError with the fix)."""
    key = _key(settings)
    assistant = _assistant(key, settings)
    _ensure_index(assistant)
    _warmed(key, assistant)
    return assistant
