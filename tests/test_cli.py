"""The workrights command: contract JSON, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from workrights.cli import main
from workrights.settings import Settings


@pytest.fixture
def env_store(kb_store, kb_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(kb_settings.data_dir))
    return kb_settings


def test_search_json_fields(env_store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "29 USC 2612", "--k", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3
    assert set(hits[0]) == {"chunk_id", "cite", "title", "law", "jurisdiction", "source", "url", "score", "text"}
    assert "2612" in hits[0]["cite"] or "2612" in hits[0]["text"]


def test_ingest_json_summary_is_idempotent(env_store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "sources", "documents", "chunks_added", "chunks_updated", "chunks_removed", "chunks_unchanged", "errors", "seconds",
    }
    assert report["chunks_added"] == report["chunks_updated"] == report["chunks_removed"] == 0
    assert report["chunks_unchanged"] > 50 and report["errors"] == []


def test_errors_are_one_line_and_exit_1(env_store: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hello", "--state", "California"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "two-letter" in err


def test_unindexed_store_says_how_to_fix(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(tmp_path / "empty"))
    assert main(["search", "overtime"]) == 1
    assert "run `workrights ingest` first" in capsys.readouterr().err


def test_bad_setting_is_named(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("WORKRIGHTS_TOP_K", "lots")
    assert main(["search", "overtime"]) == 1
    assert "WORKRIGHTS_TOP_K" in capsys.readouterr().err


@pytest.mark.slow
def test_ask_as_a_real_process(env_store: Settings) -> None:
    env = {**os.environ, "WORKRIGHTS_DATA_DIR": str(env_store.data_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "workrights", "ask", "How many weeks of FMLA leave can I take?", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "12 workweeks" in data["answer"] and data["mode"] == "extractive"
    assert any(c["cite"].startswith("29 U.S.C. § 2612") for c in data["citations"])


def test_app_and_scale_figures_are_filed_in_bench_json(tmp_path) -> None:
    from workrights.cli import _file_under, _with_filed

    bench_json = tmp_path / "reports" / "bench.json"
    _file_under(bench_json, "app", {"cold_start": {"usable_median_s": 6.3}})
    _file_under(bench_json, "scale", {"sizes": [489, 10000, 100000]})
    core = _with_filed({"search": {"p95_ms": 20.0}}, bench_json)
    assert core == {"search": {"p95_ms": 20.0}, "app": {"cold_start": {"usable_median_s": 6.3}}, "scale": {"sizes": [489, 10000, 100000]}}
    assert _with_filed({"search": {}}, tmp_path / "missing.json") == {"search": {}}
