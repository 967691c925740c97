"""WORKRIGHTS_CHROMA_HOST switches the store to a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.pipeline import ingest_kb
from tests.conftest import REPO
from workrights.retrieve import Retriever
from workrights.store import open_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the chroma CLI is not installed in this environment")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not answer its heartbeat within 30 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(chroma_server: int, make_settings, embedder, tmp_path: Path) -> None:
    kb = tmp_path / "kb" / "federal"
    kb.mkdir(parents=True)
    shutil.copy(REPO / "kb" / "federal" / "fmla.md", kb / "fmla.md")
    settings = make_settings(WORKRIGHTS_CHROMA_HOST="127.0.0.1", WORKRIGHTS_CHROMA_PORT=str(chroma_server))
    store = open_store(settings, embedder)
    report = ingest_kb(store, kb.parent)
    assert report.chunks_added > 5 and not report.errors
    assert not (settings.data_dir / "chroma").exists()  # nothing written to the embedded path
    assert ingest_kb(open_store(settings, embedder), kb.parent).chunks_unchanged == report.chunks_added
    hits = Retriever(open_store(settings, embedder)).search("How many weeks of FMLA leave can I take?", k=3)
    assert any("12 workweeks" in h.chunk.text for h in hits)


def test_unreachable_server_is_one_clear_error(make_settings, embedder) -> None:
    from workrights.errors import StoreError

    settings = make_settings(WORKRIGHTS_CHROMA_HOST="127.0.0.1", WORKRIGHTS_CHROMA_PORT=str(_free_port()))
    with pytest.raises(StoreError, match="WORKRIGHTS_CHROMA_HOST"):
        open_store(settings, embedder)
