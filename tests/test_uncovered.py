"""Questions the knowledge base cannot answer: other countries, uncovered work topics, not work at all."""

from __future__ import annotations

import pytest

from evals.idk_eval import idk_metrics, load_idk
from guardrails.uncovered import load_uncovered, uncovered_topic
from tests.conftest import REPO
from workrights.answer import Assistant

TOPICS = load_uncovered(REPO / "kb" / "not_covered.toml")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How much will I get per week in unemployment benefits in Ohio?", "unemployment"),
        ("can i get workers comp for my back injury", "workers_comp"),
        ("When does my 401(k) match vest?", "retirement_health_plans"),
        ("How long can I keep COBRA after I quit?", "retirement_health_plans"),
        ("How much federal income tax is withheld from a bonus?", "taxes"),
        ("What is the H-1B visa cap this year?", "visas"),
        ("Can I keep my health insurance while I am on FMLA leave?", None),
        ("My employer asked for my green card again after I showed my license, is that allowed?", None),
        ("Do I have to be paid for my lunch break?", None),
    ],
)
def test_topics_not_covered_are_recognised_narrowly(question: str, topic: str | None) -> None:
    found = uncovered_topic(question, TOPICS)
    assert (found.id if found else None) == topic


def test_uncovered_topic_is_referred_to_who_handles_it_not_answered_with_other_law(assistant: Assistant) -> None:
    answer = assistant.ask("How much will I get per week in unemployment benefits in Ohio?")
    assert not answer.citations and not answer.refused
    assert "does not cover unemployment benefits" in answer.answer
    assert answer.escalation.level == "refer" and answer.escalation.contacts[0].phone == "1-877-872-5627"


def test_uncovered_topic_in_an_urgent_situation_keeps_the_deadlines(assistant: Assistant) -> None:
    answer = assistant.ask("I was fired yesterday for filing a workers comp claim after I complained about racial slurs")
    assert answer.escalation.level == "urgent" and answer.escalation.deadlines
    assert any("workers' compensation" in c.name.lower() or "owcp" in c.url for c in answer.escalation.contacts)


def test_foreign_law_with_the_word_federal_is_still_foreign(assistant: Assistant) -> None:
    answer = assistant.ask("Does Mexico's Ley Federal del Trabajo require a Christmas bonus (aguinaldo)?")
    assert answer.refused and "US employment law" in (answer.refusal_reason or "")


def test_idk_floor(assistant: Assistant) -> None:
    """Regression floor for the unanswerable set (measured 0.867 when it was written: 26 of 30)."""
    report = idk_metrics(assistant, load_idk())
    assert report["idk_rate"] >= 0.85, report["answered"]
    assert report["by_kind"]["other_country"]["idk_rate"] == 1.0
    assert report["by_kind"]["out_of_scope"]["idk_rate"] == 1.0
