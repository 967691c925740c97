"""Coverage checks: thresholds from kb/coverage.toml, facts from the question, missing facts asked for."""

from __future__ import annotations

import pytest

from guardrails.coverage import check_coverage, extract_facts
from tests.conftest import REPO
from workrights.answer import Assistant

RULES = REPO / "kb" / "coverage.toml"


@pytest.mark.parametrize(
    ("text", "employees", "age", "months"),
    [
        ("small shop with like 8 people", 8, None, None),
        ("company has 300 employees and I'm 58", 300, 58, None),
        ("I've worked there 2 years", None, None, 24),
        ("been there for eight months, 50-year-old", None, 50, 8),
        ("I worked 1,250 hours last year", None, None, None),
    ],
)
def test_facts(text: str, employees: int | None, age: int | None, months: float | None) -> None:
    facts = extract_facts(text)
    assert (facts.employees, facts.age, facts.months) == (employees, age, months)


def test_small_employer_is_outside_title_vii_and_points_to_state_law() -> None:
    notes = check_coverage("my employer has 8 employees, can they fire me for my religion?", RULES)
    title_vii = next(n for n in notes if n.law == "Title VII")
    assert title_vii.status == "not_covered"
    sentence, cite = title_vii.lines[0]
    assert "15 or more" in sentence and "state" in sentence and cite == "42 U.S.C. § 2000e(b)"


def test_fmla_eligibility_asks_for_missing_facts() -> None:
    note = check_coverage("Am I eligible for FMLA? The company has 200 employees.", RULES)[0]
    assert note.law == "FMLA" and note.status == "unknown"
    assert any("12 months" in m for m in note.missing) and any("1,250" in m for m in note.missing)
    assert any("75 miles" in m for m in note.missing)


def test_adea_needs_age_40() -> None:
    young = check_coverage("I'm 35 and they said I'm too old for the job, company has 100 employees", RULES)[0]
    assert young.status == "not_covered" and any("40" in s for s, _ in young.lines)


def test_no_coverage_section_for_ordinary_questions() -> None:
    assert check_coverage("How many weeks of FMLA leave can I take?", RULES) == []


def test_answer_shows_cited_coverage(assistant: Assistant) -> None:
    answer = assistant.ask("My employer has 8 employees and fired me because I'm Black. Does Title VII cover us?")
    assert "**Does the law cover you?**" in answer.answer
    line = next(line for line in answer.answer.splitlines() if "15 or more employees" in line and "about 8" in line)
    assert "state" in line
    n = int(line.rsplit("[", 1)[1].rstrip("]"))
    citation = next(c for c in answer.citations if c.n == n)
    assert citation.cite == "42 U.S.C. § 2000e(b)" and citation.chunk_id.startswith("us_workrights_title_vii")
