"""``workrights bench``: index build speed, warm search/ask latency, peak memory, on the built-in KB.

Builds into a temporary store so the user's index is untouched; questions come from the eval datasets.
The LLM path is timed against the scripted OpenAI-compatible server on 127.0.0.1, and the server's own
time is subtracted, so the figure is what the LLM mode costs on our side (prompt, HTTP, streaming,
grounding check), whatever model is used.
"""

from __future__ import annotations

import platform
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from evals.datasets import load_all
from evals.llm_server import ScriptedLLM
from ingest.pipeline import ingest_kb
from workrights.answer import Assistant, build_assistant
from workrights.embeddings import make_embedder
from workrights.retrieve import Retriever
from workrights.settings import Settings
from workrights.store import open_store

__all__ = ["run_bench", "percentile", "latency", "machine_info", "spread_questions"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(samples, 50), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        "n": len(samples),
    }


def mirror_ingest(settings: Settings, mirror: Path) -> dict[str, Any]:
    """Ingest every official source of the mirror into a fresh store, cold and then unchanged."""
    from ingest.official import ingest_sources, mirror_root
    from ingest.registry import load_registry

    sources = [s for s in load_registry(settings.kb_dir / "sources.toml") if not s.live_only]
    with tempfile.TemporaryDirectory(prefix="workrights-bench-mirror-") as tmp:
        local = replace(settings, data_dir=Path(tmp), chroma_host=None)
        store = open_store(local, make_embedder(local))
        reader = mirror_root(mirror)
        t0 = time.perf_counter()
        cold = ingest_sources(store, sources, mirror=reader)
        cold_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest_sources(store, sources, mirror=reader)
        again_s = time.perf_counter() - t0
    return {
        "embedding_model": store.embedder.name,
        "sources": len(sources),
        "documents": cold.documents,
        "chunks": cold.chunks_added,
        "errors": len(cold.errors),
        "cold_s": round(cold_s, 1),
        "cold_chunks_per_s": round(cold.chunks_added / cold_s, 1) if cold_s else None,
        "unchanged_s": round(again_s, 2),
        "unchanged_share_of_cold": round(again_s / cold_s, 3) if cold_s else None,
        "unchanged_embedded": again.chunks_added + again.chunks_updated,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_bench(settings: Settings, rounds: int = 2) -> dict[str, Any]:
    questions = [item.question for item in load_all()]
    with tempfile.TemporaryDirectory(prefix="workrights-bench-") as tmp:
        bench_settings = replace(settings, data_dir=Path(tmp), chroma_host=None)
        embedder = make_embedder(bench_settings)
        t0 = time.perf_counter()
        embedder.embed_query("load")
        model_load = time.perf_counter() - t0

        store = open_store(bench_settings, embedder)
        cold = ingest_kb(store, bench_settings.kb_dir)
        unchanged = ingest_kb(store, bench_settings.kb_dir)
        retriever = Retriever(store, bench_settings.kb_dir / "popular_names.toml")
        assistant = build_assistant(bench_settings, retriever)
        assistant.warm()

        search_ms: list[float] = []
        ask_ms: list[float] = []
        for _ in range(rounds):
            for q in questions:
                t = time.perf_counter()
                retriever.search(q, k=10)
                search_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                assistant.ask(q)
                ask_ms.append((time.perf_counter() - t) * 1000)
        llm = _llm_overhead(bench_settings, retriever, questions, assistant, rounds)
        chunks = store.count()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "embedding_model": embedder.name,
        "model_load_s": round(model_load, 2),
        "index": {
            "chunks": chunks,
            "documents": cold.documents,
            "cold_s": round(cold.seconds, 2),
            "cold_chunks_per_s": round(cold.chunks_added / cold.seconds, 1) if cold.seconds else None,
            "unchanged_s": round(unchanged.seconds, 3),
            "unchanged_embedded": unchanged.chunks_added + unchanged.chunks_updated,
        },
        "search": latency(search_ms),
        "ask_extractive": latency(ask_ms),
        "ask_llm": llm,
        "peak_rss_mb": round(peak_kib / 1024, 1),
    }


def _llm_overhead(settings: Settings, retriever: Retriever, questions: list[str], extractive: Assistant, rounds: int) -> dict[str, Any]:
    """LLM-mode ``ask`` latency minus the server's own time, paired with an extractive ``ask`` of the same question.

    Both run warm on the same embedder (its query memo included), so the difference is the LLM path alone.
    """
    with ScriptedLLM() as server:
        llm_settings = replace(settings, openai_base_url=server.base_url, openai_api_key="bench", llm_model="scripted")
        assistant: Assistant = build_assistant(llm_settings, retriever)
        assistant.warm()
        total: list[float] = []
        ours: list[float] = []
        extractive_ms: list[float] = []
        used = 0
        for _ in range(rounds):
            for q in questions:
                t = time.perf_counter()
                extractive.ask(q)
                extractive_ms.append((time.perf_counter() - t) * 1000)
                before = len(server.requests)
                t = time.perf_counter()
                answer = assistant.ask(q, on_token=lambda _t: None)
                elapsed = (time.perf_counter() - t) * 1000
                server_ms = sum(r["seconds"] for r in server.requests[before:]) * 1000
                total.append(elapsed)
                ours.append(elapsed - server_ms)
                used += answer.mode == "llm"
    overhead = [o - e for o, e in zip(ours, extractive_ms)]
    return {
        "total": latency(total),
        "without_server": latency(ours),
        "overhead_vs_extractive_p50_ms": round(percentile(overhead, 50), 2),
        "overhead_vs_extractive_p95_ms": round(percentile(overhead, 95), 2),
        "answers_in_llm_mode": used,
    }


def machine_info() -> dict[str, Any]:
    """The machine a benchmark ran on, as every bench report records it."""
    import os

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)
    return {"cpus": cpus, "python": platform.python_version(), "platform": platform.platform()}


def spread_questions(n: int) -> list[tuple[str, str | None]]:
    """``n`` distinct evaluation questions with their state, spread evenly over all sets (same on every run)."""
    distinct = list({item.question: item.state for item in load_all()}.items())
    step = max(1, len(distinct) // max(n, 1))
    return distinct[::step][:n]


def render_markdown(result: dict[str, Any]) -> str:
    idx, s, a = result["index"], result["search"], result["ask_extractive"]
    return "\n".join(
        [
            f"| measure ({result['date']}, {result['machine']['cpus']} CPUs, Python {result['machine']['python']}) | value |",
            "|---|---|",
            f"| index build, cold ({idx['chunks']} chunks, {idx['documents']} documents) | {idx['cold_s']} s, {idx['cold_chunks_per_s']} chunks/s |",
            f"| index build, unchanged (chunks embedded: {idx['unchanged_embedded']}) | {idx['unchanged_s']} s |",
            f"| embedding model load | {result['model_load_s']} s |",
            f"| `search` warm, p50 / p95 ({s['n']} queries) | {s['p50_ms']} ms / {s['p95_ms']} ms |",
            f"| extractive `ask` warm, p50 / p95 ({a['n']} questions) | {a['p50_ms']} ms / {a['p95_ms']} ms |",
            f"| LLM `ask` warm without the server's time, p50 / p95 (scripted server on 127.0.0.1) | "
            f"{result['ask_llm']['without_server']['p50_ms']} ms / {result['ask_llm']['without_server']['p95_ms']} ms |",
            f"| LLM path overhead over extractive, p50 / p95 | {result['ask_llm']['overhead_vs_extractive_p50_ms']} ms / "
            f"{result['ask_llm']['overhead_vs_extractive_p95_ms']} ms |",
            f"| peak memory (RSS) | {result['peak_rss_mb']} MB |",
        ]
    )
