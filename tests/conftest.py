"""Shared fixtures: isolated settings, no network but loopback, one real KB store per session."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import ingest_kb
from workrights.answer import Assistant, build_assistant
from workrights.embeddings import LocalMiniLM
from workrights.retrieve import Retriever
from workrights.settings import Settings
from workrights.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WORKRIGHTS_SHARED_DIR", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    host = address[0] if isinstance(address, tuple) else str(address)
    if host in ("localhost", "::1") or str(host).startswith("127."):
        return _real_connect(self, address)
    raise OSError(f"tests may not reach the network ({host}); use a server on 127.0.0.1")


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("WORKRIGHTS_") and name != "WORKRIGHTS_SHARED_DIR" or name.startswith("OPENAI_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def corpus_or_skip() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}; clone with ../shared beside the repo")
    return CORPUS


@pytest.fixture(scope="session")
def embedder() -> LocalMiniLM:
    return LocalMiniLM()


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.from_env({"WORKRIGHTS_DATA_DIR": str(tmp_path_factory.mktemp("kbstore"))})


@pytest.fixture(scope="session")
def kb_store(kb_settings: Settings, embedder: LocalMiniLM) -> Store:
    store = open_store(kb_settings, embedder)
    report = ingest_kb(store, kb_settings.kb_dir)
    assert not report.errors, report.errors
    return store


@pytest.fixture(scope="session")
def retriever(kb_store: Store, kb_settings: Settings) -> Retriever:
    return Retriever(kb_store, kb_settings.kb_dir / "popular_names.toml")


@pytest.fixture(scope="session")
def assistant(retriever: Retriever, kb_settings: Settings) -> Assistant:
    return build_assistant(kb_settings, retriever)


@pytest.fixture
def make_settings(tmp_path: Path) -> Iterator[object]:
    def _make(**env: str) -> Settings:
        base = {"WORKRIGHTS_DATA_DIR": str(tmp_path / "data")}
        base.update(env)
        return Settings.from_env(base)

    yield _make
