"""``workrights bench --app``: what a user of the web app waits for, measured in a real browser.

Two figures: the cold start (from launching ``streamlit run`` until the chat input is visible in Chromium, the
first usable render, with the title's first paint and the health check on the way), over several fresh server
processes; and the warm answer latency in extractive mode (from pressing Enter until the finished answer element
is visible), over evaluation questions asked in one session after a warm-up question. The index is built into a
temporary data dir first, so the user's own index is untouched and the build is not part of the figures.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import app_driver as driver
from evals.bench import machine_info, percentile, spread_questions
from workrights.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["WARM_UP", "run_app_bench", "pick_questions", "settings_env", "render_markdown"]

WARM_UP = "How many weeks of FMLA leave can I take?"


def settings_env(settings: Settings) -> dict[str, str]:
    """The ``WORKRIGHTS_*`` variables that make the app open the same index, model and answer mode as ``settings``."""
    env = {
        "WORKRIGHTS_DATA_DIR": str(settings.data_dir),
        "WORKRIGHTS_KB_DIR": str(settings.kb_dir),
        "WORKRIGHTS_COLLECTION": settings.collection,
        "WORKRIGHTS_EMBEDDING": settings.embedding,
        "WORKRIGHTS_ANSWER_MODE": settings.answer_mode,
        "WORKRIGHTS_TOP_K": str(settings.top_k),
        "WORKRIGHTS_MIN_SIMILARITY": repr(settings.min_similarity),
    }
    if settings.chroma_host:
        env |= {"WORKRIGHTS_CHROMA_HOST": settings.chroma_host, "WORKRIGHTS_CHROMA_PORT": str(settings.chroma_port)}
    return env


def pick_questions(n: int) -> list[str]:
    """``n`` distinct evaluation questions spread evenly over all sets (same choice on every run)."""
    return [question for question, _ in spread_questions(n)]


def run_app_bench(settings: Settings, *, cold_runs: int = 3, questions: int = 20) -> dict[str, Any]:
    """Build the KB index in a temporary dir, then time cold starts and warm extractive answers in Chromium."""
    driver.require_browser()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    asked = pick_questions(questions)
    with tempfile.TemporaryDirectory(prefix="workrights-bench-app-") as tmp:
        bench_settings = replace(settings, data_dir=Path(tmp), chroma_host=None, answer_mode="extractive")
        chunks = _build_index(bench_settings)
        env = settings_env(bench_settings)
        with sync_playwright() as playwright:
            browser = driver.launch_chromium(playwright)  # launched once, before any timing starts
            try:
                runs, warm = [], []
                for n in range(cold_runs):
                    with driver.run_app(env) as server:
                        page, run = _cold_start(browser, server)
                        runs.append(run)
                        if n == cold_runs - 1:
                            warm = _warm_answers(page, asked)
                        page.context.close()
                chromium = browser.version
            finally:
                browser.close()
    return _result(bench_settings, chunks, chromium, runs, warm, load_before)


def _build_index(settings: Settings) -> int:
    from ingest.pipeline import ingest_kb
    from workrights.embeddings import make_embedder
    from workrights.errors import KnowledgeBaseError
    from workrights.store import open_store

    from workrights.answer import prepare_caches

    store = open_store(settings, make_embedder(settings))
    report = ingest_kb(store, settings.kb_dir)
    if report.errors:
        first = report.errors[0]
        raise KnowledgeBaseError(f"{first['source']}: {first['error']}")
    prepare_caches(settings, store.embedder)  # what `make run` builds: `workrights ingest --prepare`
    return store.count()


def _cold_start(browser: Browser, server: driver.AppServer) -> tuple[Any, dict[str, float]]:
    """Seconds from the launch of ``streamlit run`` to health, the title's first paint and the usable chat input."""
    healthy = time.perf_counter() - server.started_at
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(server.url, wait_until="commit")
    page.locator("h1").first.wait_for(state="visible", timeout=120_000)
    painted = time.perf_counter() - server.started_at
    driver.wait_ready(page)
    usable = time.perf_counter() - server.started_at
    return page, {"healthy_s": round(healthy, 2), "first_paint_s": round(painted, 2), "usable_s": round(usable, 2)}


def _warm_answers(page: Any, questions: list[str]) -> list[dict[str, Any]]:
    """One warm-up question, then each question timed from Enter to its finished answer element."""
    driver.wait_answer(page, driver.ask(page, WARM_UP))
    timed = []
    for question in questions:
        index, ms = driver.timed_answer(page, question)
        timed.append({"question": question, "answer_index": index, "ms": round(ms, 1)})
    return timed


def _result(settings: Settings, chunks: int, chromium: str, runs: list[dict[str, float]],
            warm: list[dict[str, Any]], load_before: tuple[float, float, float]) -> dict[str, Any]:
    import streamlit

    ms = [w["ms"] for w in warm]
    return {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "streamlit": streamlit.__version__,
        "chromium": chromium,
        "embedding": settings.embedding,
        "index_chunks": chunks,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "cold_start": {
            # Every run starts on the index `make run` builds (`workrights ingest --prepare`), so the first
            # start pays only what a user's first start pays.
            "runs": runs,
            "usable_median_s": round(statistics.median(r["usable_s"] for r in runs), 2) if runs else None,
            "usable_restart_median_s": round(statistics.median(r["usable_s"] for r in runs[1:]), 2) if runs[1:] else None,
            "first_paint_median_s": round(statistics.median(r["first_paint_s"] for r in runs), 2) if runs else None,
            "healthy_median_s": round(statistics.median(r["healthy_s"] for r in runs), 2) if runs else None,
        },
        "warm_answer_extractive": {
            "n": len(ms),
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": max(ms, default=0.0),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else 0.0,
            "questions": warm,
        },
    }


def render_markdown(result: dict[str, Any]) -> str:
    cold, warm = result["cold_start"], result["warm_answer_extractive"]
    runs = ", ".join(f"{r['usable_s']} s" for r in cold["runs"])
    paints = ", ".join(f"{r['first_paint_s']} s" for r in cold["runs"])
    return "\n".join(
        [
            f"| app measure ({result['date']}, {result['machine']['cpus']} CPUs, Streamlit {result['streamlit']}, "
            f"Chromium {result['chromium']}) | value |",
            "|---|---|",
            f"| cold start to usable chat input, median ({len(cold['runs'])} runs: {runs}, each on the index `make run` builds) "
            f"| {cold['usable_median_s']} s |",
            f"| the same, restarts only (runs 2 on), median | {cold['usable_restart_median_s']} s |",
            f"| cold start to first paint (title), median ({paints}) | {cold['first_paint_median_s']} s |",
            f"| server healthy after launch, median | {cold['healthy_median_s']} s |",
            f"| warm extractive answer, Enter to its first painted frame (timed in the page), p50 / p95 / max ({warm['n']} questions, one session) | "
            f"{warm['p50_ms']} ms / {warm['p95_ms']} ms / {warm['max_ms']} ms |",
            f"| load average (1, 5, 15 min) before / after; other work on the machine inflates every figure | "
            f"{', '.join(map(str, result['load_average']['before']))} / {', '.join(map(str, result['load_average']['after']))} |",
        ]
    )
