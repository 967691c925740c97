"""``workrights bench --scale``: how warm search and ask latency grow when the store grows to 10k and 100k chunks.

The built-in KB is indexed into a temporary store, measured, then grown with synthetic chunks and measured
again at each size. Embedding 100k passages with the real model would take most of an hour on a small machine,
so synthetic chunks get synthetic vectors: a real passage's vector with Gaussian noise, re-normalised, which
keeps the vectors where real ones are (what the HNSW graph and the jurisdiction filter work on). Their text is
real sentences shuffled together, so BM25 sees the KB's own vocabulary and document frequencies. Most synthetic
chunks are federal ("US": searched on every question); a share carries a state's code, so the jurisdiction
filters have something to leave out, as they do in a real store with many states.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench import latency, machine_info, spread_questions
from ingest.pipeline import ingest_kb
from workrights.answer import Assistant, build_assistant
from workrights.embeddings import Embedder, make_embedder
from workrights.errors import KnowledgeBaseError
from workrights.retrieve import Retriever
from workrights.schema import Chunk
from workrights.settings import Settings
from workrights.store import Store, open_store
from workrights.text import split_sentences

__all__ = [
    "SIZES",
    "SYNTHETIC_SOURCE",
    "TARGET_FACTOR",
    "grow_store",
    "scale_curve",
    "run_scale",
    "scale_report",
    "render_markdown",
]

SIZES = (10_000, 100_000)
SYNTHETIC_SOURCE = "us_synthetic_scale"
TARGET_FACTOR = 2.0  # at 100k chunks, p95 within twice the built-in targets (issue #7)
BASE_TARGETS_MS = {"search": 100.0, "ask_extractive": 300.0}
STATE_SHARE = 0.2  # synthetic chunks given a state's code rather than "US"
NOISE = 0.04  # per-dimension sigma: a 384-d unit vector keeps a cosine of about 0.8 with its original
SECTION_SIZE = 4  # synthetic chunks per synthetic section (a section's chunks are returned together)
_BATCH = 1000


@dataclass(frozen=True)
class _Seed:
    """What synthetic chunks are made from: the real chunks, their vectors and sentences."""

    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: list[list[str]]
    by_jurisdiction: dict[str, list[int]]  # "US" and each state code -> its real chunks


def _seed(store: Store) -> _Seed:
    """The store's real chunks with the vectors they were stored with."""
    chunks = [c for c in store.all_chunks() if c.source_id != SYNTHETIC_SOURCE]
    if not chunks:
        raise KnowledgeBaseError("The store holds no real passages to grow from; run `workrights ingest` first.")
    stored = store.vectors([c.chunk_id for c in chunks])
    vectors = np.asarray([stored[c.chunk_id] for c in chunks], dtype=np.float32)
    sentences = [split_sentences(c.text) or [c.text] for c in chunks]
    by_jurisdiction: dict[str, list[int]] = {}
    for i, chunk in enumerate(chunks):
        if chunk.jurisdiction != "company":
            by_jurisdiction.setdefault(chunk.jurisdiction, []).append(i)
    if "US" not in by_jurisdiction:
        raise KnowledgeBaseError("The store holds no federal passages to grow from; run `workrights ingest` first.")
    return _Seed(chunks, vectors, sentences, by_jurisdiction)


def _synthetic(seed: _Seed, n: int, rng_seed: int) -> tuple[Chunk, np.ndarray]:
    """Synthetic chunk number ``n``: most of one real passage's sentences and one other's, shuffled, near its vector.

    Both passages are of the synthetic section's jurisdiction, so its text, vector and jurisdiction agree (and a
    section never mixes jurisdictions). Seeded by number, so a chunk is the same whatever size the store grows to.
    """
    section = n // SECTION_SIZE
    states = sorted(j for j in seed.by_jurisdiction if j != "US")
    pick = random.Random(f"{rng_seed}:section:{section}")
    jurisdiction = pick.choice(states) if states and pick.random() < STATE_SHARE else "US"
    rng = random.Random(f"{rng_seed}:chunk:{n}")
    anchor, other = rng.choice(seed.by_jurisdiction[jurisdiction]), rng.choice(seed.by_jurisdiction[jurisdiction])
    own = seed.sentences[anchor]
    sentences = rng.sample(own, max(1, (len(own) * 3) // 4)) + [rng.choice(seed.sentences[other])]
    rng.shuffle(sentences)
    real = seed.chunks[anchor]
    chunk = Chunk(
        chunk_id=f"{SYNTHETIC_SOURCE}:part-{section}:{n % SECTION_SIZE}",
        text=" ".join(sentences),
        source_id=SYNTHETIC_SOURCE,
        law="Synthetic scale passages",
        jurisdiction=jurisdiction,
        cite=f"Synthetic passage {section}",
        title="Synthetic passage (scale benchmark)",
        heading_path=f"Synthetic scale benchmark > Part {section}",
        url=f"https://example.invalid/workrights-scale/{section}",
        doc_type="guidance",
        as_of=real.as_of,
    )
    noise = np.random.default_rng([rng_seed, n]).normal(0.0, NOISE, seed.vectors.shape[1]).astype(np.float32)
    vector = seed.vectors[anchor] + noise
    return chunk, vector / np.linalg.norm(vector)


def _batches(seed: _Seed, start: int, count: int, rng_seed: int) -> Iterator[tuple[list[Chunk], list[list[float]]]]:
    for first in range(start, start + count, _BATCH):
        made = [_synthetic(seed, n, rng_seed) for n in range(first, min(first + _BATCH, start + count))]
        yield [c for c, _ in made], [v.tolist() for _, v in made]


def grow_store(store: Store, total: int, *, rng_seed: int = 0) -> int:
    """Add synthetic chunks (source ``SYNTHETIC_SOURCE``) until the store holds ``total``; returns how many were added."""
    missing = total - store.count()
    if missing <= 0:
        return 0
    seed = _seed(store)
    start = store.count() - len(seed.chunks)  # synthetic chunks already there
    for chunks, vectors in _batches(seed, start, missing, rng_seed):
        store.upsert(chunks, vectors)
    return missing


def _memory_mb() -> dict[str, float]:
    """Resident memory now and at its peak so far (the kernel's VmRSS and VmHWM), in MB."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                name = line.split(":", 1)[0]
                if name in found:
                    found[name] = round(int(line.split()[1]) / 1024, 1)
    except OSError:  # no /proc (macOS): the peak from getrusage, which counts bytes there
        found["VmHWM"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 1)
    return {"rss_mb": found["VmRSS"], "peak_rss_mb": found["VmHWM"]}


def _snapshot_seconds(retriever: Retriever) -> float:
    """Time the retriever's rebuild of what it derives from the store (keyword index, jurisdictions, sections)."""
    retriever.store.embedder.embed_query("warm up")  # memoised, so the timed warm() below is the snapshot alone
    t0 = time.perf_counter()
    retriever.warm()
    return time.perf_counter() - t0


def _measure(retriever: Retriever, assistant: Assistant, questions: Sequence[tuple[str, str | None]], rounds: int,
             snapshot_s: float) -> dict[str, Any]:
    """Warm search and extractive ask latency over ``questions``, with the memory in use afterwards."""
    for question, state in questions:  # untimed pass: query vectors memoised, caches warm, at every size alike
        retriever.search(question, state=state, k=10)
        assistant.ask(question, state=state)
    search_ms: list[float] = []
    ask_ms: list[float] = []
    for _ in range(rounds):
        for question, state in questions:
            t = time.perf_counter()
            retriever.search(question, state=state, k=10)
            search_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assistant.ask(question, state=state)
            ask_ms.append((time.perf_counter() - t) * 1000)
    return {
        "chunks": retriever.store.count(),
        "snapshot_s": round(snapshot_s, 3),
        "search": latency(search_ms),
        "ask_extractive": latency(ask_ms),
        **_memory_mb(),
    }


def _growth(point: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    return {
        "search_p50": ratio(point["search"]["p50_ms"], base["search"]["p50_ms"]),
        "search_p95": ratio(point["search"]["p95_ms"], base["search"]["p95_ms"]),
        "ask_p50": ratio(point["ask_extractive"]["p50_ms"], base["ask_extractive"]["p50_ms"]),
        "ask_p95": ratio(point["ask_extractive"]["p95_ms"], base["ask_extractive"]["p95_ms"]),
        "snapshot": ratio(point["snapshot_s"], base["snapshot_s"]),
    }


def scale_curve(settings: Settings, store: Store, sizes: Sequence[int] = SIZES, *, questions: int = 100,
                rounds: int = 2, rng_seed: int = 0) -> list[dict[str, Any]]:
    """Measure ``store`` as it is, then grown to each of ``sizes``; each point has its growth over the first."""
    retriever = Retriever(store, settings.kb_dir / "popular_names.toml")
    snapshot_s = _snapshot_seconds(retriever)
    assistant = build_assistant(replace(settings, answer_mode="extractive"), retriever)
    assistant.warm()
    asked = spread_questions(questions)
    points = [{"label": "built-in KB", "synthetic": 0, "grow_s": 0.0,
               **_measure(retriever, assistant, asked, rounds, snapshot_s)}]
    for size in sizes:
        t0 = time.perf_counter()
        grow_store(store, size, rng_seed=rng_seed)
        grow_s = time.perf_counter() - t0
        point = _measure(retriever, assistant, asked, rounds, _snapshot_seconds(retriever))
        points.append({"label": f"{size:,} chunks", "synthetic": point["chunks"] - points[0]["chunks"],
                       "grow_s": round(grow_s, 1), **point})
    for point in points:
        point["growth"] = _growth(point, points[0])
    return points


def run_scale(settings: Settings, sizes: Sequence[int] = SIZES, *, questions: int = 100, rounds: int = 2,
              embedder: Embedder | None = None) -> dict[str, Any]:
    """Index the built-in KB in a temporary store and measure the scale curve over it (the user's index is untouched)."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="workrights-bench-scale-") as tmp:
        local = replace(settings, data_dir=Path(tmp), chroma_host=None)
        store = open_store(local, embedder or make_embedder(local))
        report = ingest_kb(store, local.kb_dir)
        if report.errors:
            first = report.errors[0]
            raise KnowledgeBaseError(f"{first['source']}: {first['error']}")
        points = scale_curve(local, store, sizes, questions=questions, rounds=rounds)
        model = store.embedder.name
    return scale_report(points, embedding_model=model, rounds=rounds, load_before=load_before)


def scale_report(points: list[dict[str, Any]], *, embedding_model: str, rounds: int,
                 load_before: tuple[float, float, float]) -> dict[str, Any]:
    """The JSON of ``bench --scale``: the measured points, how the synthetic chunks were made, the target's verdict."""
    largest = points[-1]
    limit = {name: ms * TARGET_FACTOR for name, ms in BASE_TARGETS_MS.items()}
    return {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "embedding_model": embedding_model,
        "synthetic": {
            "source_id": SYNTHETIC_SOURCE,
            "vectors": f"synthetic: a real passage's vector plus Gaussian noise (sigma {NOISE} per dimension), re-normalised",
            "text": "real KB sentences, shuffled: most of one passage plus one sentence of another",
            "state_share": STATE_SHARE,
            "section_size": SECTION_SIZE,
        },
        "questions": points[0]["search"]["n"] // max(rounds, 1),
        "rounds": rounds,
        "points": points,
        "target_at_largest": {
            "chunks": largest["chunks"],
            "search_p95_ms": limit["search"],
            "ask_p95_ms": limit["ask_extractive"],
            "met": largest["search"]["p95_ms"] < limit["search"] and largest["ask_extractive"]["p95_ms"] < limit["ask_extractive"],
        },
    }


def render_markdown(result: dict[str, Any]) -> str:
    """The scale curve as a Markdown table, one row per store size."""
    m = result["machine"]
    rows = [
        f"| store size ({result['date']}, {m['cpus']} CPUs, Python {m['python']}) | `search` p50 / p95 | "
        "extractive `ask` p50 / p95 | growth of p95 (search / ask) | snapshot build | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for p in result["points"]:
        g = p["growth"]
        rows.append(
            f"| {p['label']} ({p['chunks']:,}, {p['synthetic']:,} synthetic) | {p['search']['p50_ms']} / "
            f"{p['search']['p95_ms']} ms | {p['ask_extractive']['p50_ms']} / {p['ask_extractive']['p95_ms']} ms | "
            f"{g['search_p95']}x / {g['ask_p95']}x | {p['snapshot_s']} s | {p['peak_rss_mb']} MB |"
        )
    t = result["target_at_largest"]
    rows.append(
        f"\nTarget at {t['chunks']:,} chunks: p95 under {t['search_p95_ms']:.0f} ms (search) and "
        f"{t['ask_p95_ms']:.0f} ms (ask): {'met' if t['met'] else 'NOT met'}."
    )
    return "\n".join(rows)
