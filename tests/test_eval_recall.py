"""Quality floor: recall@5 of the expected section over the evaluation datasets (built-in KB)."""

from __future__ import annotations

from collections import Counter

from evals.datasets import load_all
from evals.metrics import first_relevant_rank, mrr, recall_at
from evals.runner import effective_state
from workrights.retrieve import Retriever
from workrights.state_facts import STATES

RECALL_AT_5_FLOOR = 0.9


def test_datasets_are_big_enough_and_varied() -> None:
    items = load_all()
    assert len(items) >= 40
    assert len({i.id for i in items}) == len(items)
    assert set(Counter(i.role for i in items)) == {"employee", "advocate", "hr"}
    federal = [i for i in items if i.dataset != "states"]
    assert sum(i.style == "worker" for i in federal) >= len(federal) // 3
    states = [i for i in items if i.dataset == "states"]
    assert len(states) >= 100 and {effective_state(i) for i in states} >= set(STATES)


def test_recall_at_5_floor(retriever: Retriever) -> None:
    items = load_all()
    ranks = [first_relevant_rank(retriever.search(i.question, state=effective_state(i), k=10), i.expected_cites) for i in items]
    misses = [i.id for i, r in zip(items, ranks) if r is None or r > 5]
    recall5 = recall_at(ranks, 5)
    assert recall5 >= RECALL_AT_5_FLOOR, f"recall@5 {recall5:.3f} (MRR {mrr(ranks):.3f}); misses: {misses}"


def test_we_beat_a_naive_langchain_rag(retriever: Retriever, kb_settings, embedder) -> None:
    from evals.baseline import baseline_metrics

    items = load_all()
    ranks = [first_relevant_rank(retriever.search(i.question, state=effective_state(i), k=10), i.expected_cites) for i in items]
    ours = {"recall@1": recall_at(ranks, 1), "recall@5": recall_at(ranks, 5), "recall@10": recall_at(ranks, 10), "mrr": mrr(ranks)}
    result = baseline_metrics(kb_settings.kb_dir, embedder, items, ours)
    base = result["baseline"]
    assert base["chunks"] > 50  # the baseline really indexed the documents
    assert ours["recall@5"] > base["recall@5"] and ours["mrr"] >= 1.1 * base["mrr"], result
    assert base["citation_validity"] < 0.8  # citing the document is not citing the section


def test_ndcg_counts_each_expected_section_once() -> None:
    from evals.metrics import ndcg_at
    from workrights.schema import Chunk, Hit

    def hit(cite: str) -> Hit:
        return Hit(Chunk(cite, "text", "s", "law", "US", cite, "t", "h", "u", "statute", "2026-01-01"), 1.0)

    expected = ["29 U.S.C. § 2612", "29 U.S.C. § 2611"]
    assert ndcg_at([hit("29 U.S.C. § 2612(a)"), hit("29 U.S.C. § 2611(2)")], expected) == 1.0
    assert ndcg_at([hit("29 U.S.C. § 2612(a)"), hit("29 U.S.C. § 2612(b)")], expected) < 0.7  # the same section twice
    assert 0 < ndcg_at([hit("29 U.S.C. § 207"), hit("29 U.S.C. § 2611")], expected) < 0.5
    assert ndcg_at([hit("29 U.S.C. § 207")], expected) == 0.0
