"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank, filtered by jurisdiction.

Federal law always applies; a state adds its own law; company policies are always searchable. A question
that names a section ("29 USC 2612", "§ 2000e-3", "section 7 of the NLRA") gets that section first.
Only the best chunk of each section is returned, so five hits are five different passages.

A session's uploaded policy (see ``workrights.uploads``) joins one query's rankings: its nearest passages are
merged into the dense ranking by cosine similarity (same embedder, same scale) and its BM25 matches take turns
with the store's in the keyword ranking, then both are fused as usual. With an upload the store's company policies (the
fictional sample handbook) are left out, so an answer never cites another company's rules beside the user's.
"""

from __future__ import annotations

import threading
from itertools import zip_longest
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from workrights.citations import find_cites, normalize_text, parse_query_cites, section_key, section_number
from workrights.keyword import KeywordIndex
from workrights.schema import Chunk, Hit, passage_text
from workrights.settings import Settings
from workrights.store import Store

__all__ = ["Retriever", "PolicyPassages", "jurisdictions_for", "search", "default_retriever", "RRF_K"]

RRF_K = 60
EXACT_CITE_BOOST = 1.0
STATE_SLOT = 2  # the 0-based rank a chosen state's best passage is lifted to, if it ranks lower
POLICY_SLOT = 3  # the same for an uploaded policy's best passage (after the state's)
# An uploaded passage is lifted only when at least this similar to the question: with all-MiniLM-L6-v2 a
# handbook section on another topic scores about 0.1-0.25, one on the question's topic 0.4-0.65.
POLICY_SLOT_SIMILARITY = 0.35
# Unfiltered nearest neighbours read per dense candidate wanted, before the jurisdiction filter: a wider
# read when the allowed jurisdictions are rare near the question (a state's law among other states' passages).
DENSE_OVERSAMPLE = (4, 40)


def jurisdictions_for(state: str | None) -> list[str]:
    codes = ["US", "company"]
    if state:
        codes.append(state.upper())
    return codes


class _Matches(Protocol):
    @property
    def dense(self) -> list[tuple[Chunk, float]]: ...

    @property
    def keyword(self) -> list[tuple[Chunk, float]]: ...


class PolicyPassages(Protocol):
    """What retrieval needs from a session's uploaded policies (``workrights.uploads.PolicyIndex``)."""

    def __len__(self) -> int: ...

    def search(self, query_vector: Sequence[float], query: str, k: int) -> _Matches: ...

    def section_of(self, chunk: Chunk) -> list[Chunk] | None: ...


@dataclass
class _Snapshot:
    """Everything derived from the store's contents, rebuilt when the store changes."""

    count: int
    chunks: list[Chunk]
    keywords: KeywordIndex
    jurisdiction: np.ndarray  # each chunk's jurisdiction as an index into ``codes`` (integers compare fast)
    codes: dict[str, int]
    section_keys: list[frozenset[str]]
    by_section: dict[str, list[int]]  # section key -> the chunks that carry it, in store order
    position: dict[str, int]
    sections: dict[tuple[str, str], list[int]]


def _section_keys(chunk: Chunk) -> frozenset[str]:
    keys = {section_key(c) for c in find_cites(chunk.text)}
    keys.add(section_key(chunk.cite))
    return frozenset(keys)


class Retriever:
    def __init__(self, store: Store, names_file: Path | None = None, candidates: int = 50) -> None:
        self.store = store
        self._names_file = names_file
        self._candidates = candidates
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Snapshot:
        count = self.store.count()
        with self._lock:
            if self._snapshot is None or self._snapshot.count != count:
                chunks = self.store.all_chunks()
                codes = {j: n for n, j in enumerate(sorted({c.jurisdiction for c in chunks}))}
                section_keys = [_section_keys(c) for c in chunks]
                self._snapshot = _Snapshot(
                    count=count,
                    chunks=chunks,
                    keywords=KeywordIndex([passage_text(c) for c in chunks]),
                    jurisdiction=np.array([codes[c.jurisdiction] for c in chunks], dtype=np.int32),
                    codes=codes,
                    section_keys=section_keys,
                    by_section=_by_section(section_keys),
                    position={c.chunk_id: i for i, c in enumerate(chunks)},
                    sections=_group_sections(chunks),
                )
            return self._snapshot

    def warm(self) -> None:
        """Build the keyword index and load the embedding model now rather than on the first question."""
        self._current()
        self.store.embedder.embed_query("warm up")

    def search(
        self, query: str, *, state: str | None = None, k: int = 10, policy: PolicyPassages | None = None
    ) -> list[Hit]:
        """The ``k`` best sections for ``query``; ``policy`` adds a session's uploaded policies to this search only."""
        snap = self._current()
        uploaded = policy if policy is not None and len(policy) > 0 else None
        if not (snap.chunks or uploaded) or not query.strip():
            return []
        allowed = jurisdictions_for(state)
        if uploaded is not None:
            allowed = [j for j in allowed if j != "company"]
        hits: dict[str, Hit] = {}

        vector = self.store.embedder.embed_query(query)
        mask = np.isin(snap.jurisdiction, [snap.codes[j] for j in allowed if j in snap.codes])
        dense = self._dense(snap, vector, allowed, mask)
        keyword = [(snap.chunks[i], score) for i, score in snap.keywords.top(query, self._candidates, mask)]
        if uploaded is not None:
            found = uploaded.search(vector, query, self._candidates)
            dense = _by_similarity(dense, found.dense, self._candidates)
            keyword = _interleaved(keyword, found.keyword, self._candidates)

        for rank, (chunk, similarity) in enumerate(dense):
            hit = hits.setdefault(chunk.chunk_id, Hit(chunk=chunk, score=0.0))
            hit.similarity = similarity
            hit.score += 1.0 / (RRF_K + rank + 1)

        for rank, (chunk, score) in enumerate(keyword):
            hit = hits.setdefault(chunk.chunk_id, Hit(chunk=chunk, score=0.0))
            hit.keyword_score = score
            hit.score += 1.0 / (RRF_K + rank + 1)

        self._boost_named_sections(query, snap, mask, hits)
        ranked = _best_per_section(hits.values())
        best = _with_state_passage(ranked, state, k)
        if uploaded is not None:
            best = _with_upload_passage(best, ranked, uploaded, k)
        for hit in best:
            own = uploaded.section_of(hit.chunk) if uploaded is not None else None
            hit.section = own or _section_of(snap, hit.chunk)
        return best

    def _dense(self, snap: _Snapshot, vector: Sequence[float], allowed: list[str], mask: np.ndarray) -> list[tuple[Chunk, float]]:
        """The nearest chunks of the allowed jurisdictions, with their cosine similarity.

        Chroma's ``where`` filter reads the metadata of every allowed chunk on each query (about 0.2 s at 100k
        chunks), so the nearest chunks are read unfiltered, ids and distances only, and the snapshot's mask
        filters them; the store filters only when the allowed jurisdictions are too rare even in the wider read.
        """
        wanted = self._candidates
        for factor in DENSE_OVERSAMPLE:
            n = min(snap.count, wanted * factor)
            nearest = self.store.nearest(vector, n)
            positions = (snap.position.get(chunk_id) for chunk_id, _ in nearest)
            kept = [(snap.chunks[i], sim) for i, (_, sim) in zip(positions, nearest) if i is not None and mask[i]]
            if len(kept) >= wanted or (n == snap.count and len(nearest) == n):
                return kept[:wanted]  # enough, or every chunk was read
        return self.store.query(vector, wanted, allowed)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The stored chunk ``chunk_id`` (a citation card reads its own passage's "as of" date from it)."""
        snap = self._current()
        i = snap.position.get(chunk_id)
        return snap.chunks[i] if i is not None else None

    def find_cited(self, cite: str, *, state: str | None = None) -> Hit | None:
        """The passage that carries ``cite`` (exact citation preferred, then the same section), as a hit."""
        snap = self._current()
        allowed = set(jurisdictions_for(state))
        wanted_exact, wanted_section = normalize_text(cite), section_key(cite)
        # Prefer the passage whose own citation is the one wanted, then one that states it exactly,
        # then any passage of the same section.
        best: tuple[int, int] | None = None
        for i in snap.by_section.get(wanted_section, ()):
            chunk = snap.chunks[i]
            if chunk.jurisdiction not in allowed:
                continue
            if normalize_text(chunk.cite) == wanted_exact:
                rank = 0
            elif wanted_exact in {normalize_text(c) for c in find_cites(chunk.text)}:
                rank = 1
            else:
                rank = 2
            if best is None or rank < best[0]:
                best = (rank, i)
            if rank == 0:
                break
        if best is None:
            return None
        chunk = snap.chunks[best[1]]
        return Hit(chunk=chunk, score=0.0, section=_section_of(snap, chunk))

    def _boost_named_sections(self, query: str, snap: _Snapshot, mask: np.ndarray, hits: dict[str, Hit]) -> None:
        named = parse_query_cites(query, self._names_file)
        if not named:
            return
        wanted = set(named.sections)
        numbers = set(named.bare_numbers)
        for i, keys in enumerate(snap.section_keys):
            if not mask[i]:
                continue
            if keys & wanted or (numbers and {section_number(k) for k in keys} & numbers):
                chunk = snap.chunks[i]
                hit = hits.setdefault(chunk.chunk_id, Hit(chunk=chunk, score=0.0))
                # The chunk's own citation naming the section outranks a passing mention of it.
                own = section_key(chunk.cite) in wanted or section_number(chunk.cite) in numbers
                hit.score += EXACT_CITE_BOOST * (1.5 if own else 1.0)
                hit.exact_cite = True


def _with_state_passage(ranked: list[Hit], state: str | None, k: int) -> list[Hit]:
    """The top ``k``, with the best passage of the chosen state's own law among the first three when there is one.

    Federal passages outnumber a state's summaries many times over, so without this a state's more
    protective rule could rank just below the cut and the answer would miss it.
    """
    if not state:
        return ranked[:k]

    def in_state(hit: Hit) -> bool:
        return hit.chunk.jurisdiction == state

    return _lift(ranked, ranked, in_state, in_state, STATE_SLOT, k)


def _lift(
    shown: list[Hit], pool: list[Hit], present: Callable[[Hit], bool], eligible: Callable[[Hit], bool], slot: int, k: int
) -> list[Hit]:
    """``shown`` cut to ``k``, with the best ``eligible`` hit of ``pool`` moved to rank ``slot`` unless a ``present``
    one already ranks there or higher."""
    slot = min(slot, k - 1)
    if slot < 1 or any(present(h) for h in shown[: slot + 1]):
        return shown[:k]
    own = next((h for h in pool if eligible(h)), None)
    if own is None:
        return shown[:k]
    rest = [h for h in shown if h is not own]
    return [*rest[:slot], own, *rest[slot : k - 1]]


def _by_similarity(ours: list[tuple[Chunk, float]], theirs: list[tuple[Chunk, float]], k: int) -> list[tuple[Chunk, float]]:
    """Two dense rankings as one, by cosine similarity (one embedder, so one scale; ties keep the store's first)."""
    return sorted([*ours, *theirs], key=lambda pair: -pair[1])[:k]


def _interleaved(ours: list[tuple[Chunk, float]], theirs: list[tuple[Chunk, float]], k: int) -> list[tuple[Chunk, float]]:
    """Two keyword rankings as one, taking turns (the store's first).

    BM25 scores are not on one scale across indexes: a term's weight comes from its document frequency, and
    in a handbook of a few passages every term is common, so an upload's best match scores a fraction of the
    store's. Taking turns gives each index's best match a comparable rank, which is all the fusion uses.
    """
    out: list[tuple[Chunk, float]] = []
    for pair in zip_longest(ours, theirs):
        out.extend(p for p in pair if p is not None)
    return out[:k]


def _with_upload_passage(best: list[Hit], ranked: list[Hit], policy: PolicyPassages, k: int) -> list[Hit]:
    """``best``, with the upload's best passage among the first four when it bears on the question.

    The knowledge base has many passages on each law and an upload a few, so the user's own rule can rank
    just below the cut even when the question is about it ("does our leave policy follow the FMLA?").
    """

    def uploaded(hit: Hit) -> bool:
        return policy.section_of(hit.chunk) is not None

    def on_topic(hit: Hit) -> bool:
        return uploaded(hit) and hit.similarity >= POLICY_SLOT_SIMILARITY

    return _lift(best, ranked, uploaded, on_topic, POLICY_SLOT, k)


def _section_of(snap: _Snapshot, chunk: Chunk) -> list[Chunk]:
    """Every chunk of ``chunk``'s section, in order."""
    siblings = snap.sections.get((chunk.source_id, chunk.heading_path), [])
    return [snap.chunks[i] for i in siblings] or [chunk]


def _by_section(section_keys: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, keys in enumerate(section_keys):
        for key in keys:
            index.setdefault(key, []).append(i)
    return index


def _chunk_order(chunk: Chunk) -> int:
    tail = chunk.chunk_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _group_sections(chunks: Sequence[Chunk]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for i, chunk in enumerate(chunks):
        groups.setdefault((chunk.source_id, chunk.heading_path), []).append(i)
    for members in groups.values():
        members.sort(key=lambda i: _chunk_order(chunks[i]))
    return groups


def _best_per_section(hits: Sequence[Hit] | object) -> list[Hit]:
    best: dict[tuple[str, str], Hit] = {}
    for hit in sorted(hits, key=lambda h: -h.score):  # type: ignore[arg-type]
        key = (hit.chunk.source_id, hit.chunk.heading_path)
        best.setdefault(key, hit)
    return sorted(best.values(), key=lambda h: -h.score)


@lru_cache(maxsize=1)
def default_retriever() -> Retriever:
    """The retriever for the environment's settings, built on first use (the CLI and app pass their own)."""
    from workrights.embeddings import make_embedder
    from workrights.store import open_store

    settings = Settings.from_env()
    return Retriever(open_store(settings, make_embedder(settings)), settings.kb_dir / "popular_names.toml")


def search(query: str, *, state: str | None = None, k: int = 10) -> list[Hit]:
    """Search the knowledge base configured by the environment (see ``Retriever.search``)."""
    return default_retriever().search(query, state=state, k=k)
