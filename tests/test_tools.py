"""The app's tools: the deadline calculator and the coverage checker, on the real KB store, each line cited."""

from __future__ import annotations

from datetime import date

from guardrails.coverage import Facts
from tests.conftest import REPO
from workrights.retrieve import Retriever
from workrights.state_facts import load_states
from workrights.tools import coverage_laws, coverage_tool, deadline_rules, deadline_tool

KB = REPO / "kb"
TODAY = date(2026, 11, 24)


def _states():
    return load_states(KB / "states")


def test_deadline_counts_days_and_cites_the_statute(retriever: Retriever) -> None:
    rules = {r.id: r for r in deadline_rules(KB, None)}
    result, out = deadline_tool(rules["nlrb_charge"], date(2026, 10, 1), TODAY, retriever, None)
    assert result.last_day == date(2027, 4, 1) and result.days_left == (date(2027, 4, 1) - TODAY).days
    assert out.lines[0].n == 1 and out.citations[0].cite.startswith("29 U.S.C. § 160(b)")
    assert "160(b)" in out.citations[0].quote  # the quote is the passage's sentence that carries the cite


def test_deadline_without_a_state_uses_the_shorter_eeoc_period_and_says_so(retriever: Retriever) -> None:
    rule = next(r for r in deadline_rules(KB, None) if r.id == "eeoc_charge")
    result, out = deadline_tool(rule, date(2026, 10, 20), TODAY, retriever, None)
    assert result.last_day == date(2027, 4, 18)  # 180 days
    assert any("300 days" in line.text and line.n is None for line in out.lines)


def test_deadline_in_a_state_settles_the_period_and_adds_the_state_agency(retriever: Retriever) -> None:
    ca = _states()["CA"]
    rules = {r.id: r for r in deadline_rules(KB, ca)}
    result, _ = deadline_tool(rules["eeoc_charge"], date(2026, 10, 20), TODAY, retriever, "CA")
    assert result.last_day == date(2027, 8, 16)  # 300 days where a state agency enforces a similar law
    assert "state_charge" in rules and "California" in rules["state_charge"].claim
    _, out = deadline_tool(rules["state_charge"], date(2026, 10, 20), TODAY, retriever, "CA")
    assert out.citations and out.citations[0].chunk_id.startswith("ca_workrights_state")


def test_coverage_checker_cites_each_threshold(retriever: Retriever) -> None:
    laws = coverage_laws(KB)
    assert list(laws) == ["title_vii", "ada", "pwfa", "adea", "fmla"]
    out = coverage_tool(Facts(employees=8, age=45), ["title_vii", "adea"], KB, retriever, None)
    status = {note.law: note.status for note, _ in out.notes}
    assert status == {"Title VII": "not_covered", "ADEA (age)": "not_covered"}
    cites = {c.cite for c in out.citations}
    assert {"42 U.S.C. § 2000e(b)", "29 U.S.C. § 630(b)"} <= cites
    assert all(line.n for _, lines in out.notes for line in lines)


def test_fmla_eligibility_from_the_form(retriever: Retriever) -> None:
    facts = Facts(employees=120, months=14, hours_year=1300, worksite_50=True)
    (note, lines), = coverage_tool(facts, ["fmla"], KB, retriever, None).notes
    assert note.status == "covered" and not note.missing and len(lines) == 4
    facts = Facts(employees=120, months=14, hours_year=1300, worksite_50=False)
    (note, _), = coverage_tool(facts, ["fmla"], KB, retriever, None).notes
    assert note.status == "not_covered"
    (note, _), = coverage_tool(Facts(employees=120), ["fmla"], KB, retriever, None).notes
    assert note.status == "unknown" and len(note.missing) == 3


def test_state_law_joins_the_discrimination_check(retriever: Retriever) -> None:
    out = coverage_tool(Facts(employees=8), ["title_vii"], KB, retriever, _states()["CA"])
    (_, federal), (state_note, state_lines) = out.notes
    assert state_note.status == "covered" and state_lines[0].n is not None
    assert any(c.chunk_id.startswith("ca_workrights_state") for c in out.citations)
