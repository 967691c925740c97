"""Jurisdiction-aware answers: federal plus the state's law, the more protective one named, both cited.

Expected values are read from kb/states/, never written here, so the tests follow the facts.
"""

from __future__ import annotations

from datetime import date

import pytest

from ingest.parsers.min_wage import rows
from ingest.pipeline import ingest_kb
from ingest.fetch import MirrorReader
from ingest.official import ingest_sources
from ingest.registry import load_registry, select
from tests.conftest import corpus_or_skip
from workrights.answer import Assistant, build_assistant
from workrights.citations import section_key
from workrights.retrieve import Retriever
from workrights.settings import default_kb_dir
from workrights.state_facts import StateFacts, load_states
from workrights.store import open_store

STATES = load_states(default_kb_dir() / "states")


def _cites(answer) -> set[str]:  # type: ignore[no-untyped-def]
    return {section_key(c.cite) for c in answer.citations}


@pytest.mark.parametrize("code", ["CA", "NY", "WA", "FL", "IL"])
def test_a_higher_state_minimum_wage_is_named_and_both_laws_cited(assistant: Assistant, code: str) -> None:
    facts = STATES[code]
    answer = assistant.ask("What is the minimum wage?", state=code)
    assert f"{facts.minimum_wage.rate:.2f}" in answer.answer
    assert section_key(facts.minimum_wage.cite) in _cites(answer)
    assert {"29 U.S.C. § 218", "29 U.S.C. § 206"} & _cites(answer)
    assert f"**In {facts.name}**" in answer.answer
    assert answer.state == code and answer.state_source == "selected"


def test_a_state_named_in_the_question_is_detected_and_said(assistant: Assistant) -> None:
    facts = STATES["TX"]
    answer = assistant.ask("In Texas, what is the minimum wage?")
    assert answer.state == "TX" and answer.state_source == "detected"
    assert "Your question mentions Texas" in answer.answer
    assert section_key(facts.minimum_wage.cite) in _cites(answer) or "29 U.S.C. § 206" in _cites(answer)
    assert assistant.ask("What is the minimum wage?").state is None


def test_a_follow_up_keeps_the_state_of_the_conversation(assistant: Assistant) -> None:
    answer = assistant.ask("and how long do I have to file a discrimination complaint?", history=["What is the minimum wage in Ohio?"])
    assert answer.state == "OH"


def _coverage_sentence(facts: StateFacts) -> str:
    need = facts.fair_employment.min_employees
    assert need is not None
    return "it covers your employer" if need <= 8 else "it probably does not reach your employer either"


@pytest.mark.parametrize("code", ["CA", "NY", "TX", "FL"])
def test_the_eight_employee_coverage_example(assistant: Assistant, code: str) -> None:
    facts = STATES[code]
    answer = assistant.ask("My employer has 8 employees. Does the law against religious discrimination cover them?", state=code)
    assert "Title VII covers employers with 15 or more employees" in answer.answer
    assert _coverage_sentence(facts) in answer.answer
    assert facts.fair_employment.law in answer.answer
    assert section_key(facts.fair_employment.cite) in _cites(answer)


def test_eight_employees_is_covered_in_california_and_new_york_but_not_texas_or_florida() -> None:
    # The facts behind the example above, checked against the statutes' thresholds.
    assert STATES["CA"].fair_employment.min_employees == 5  # Cal. Gov. Code § 12926(d)
    assert STATES["NY"].fair_employment.min_employees == 1  # N.Y. Exec. Law § 292(5)
    assert STATES["TX"].fair_employment.min_employees == 15  # Tex. Lab. Code § 21.002(8)
    assert STATES["FL"].fair_employment.min_employees == 15  # Fla. Stat. § 760.02(7)


def test_deadlines_and_contacts_use_the_state_agency(assistant: Assistant) -> None:
    today = date.today()
    facts = STATES["CA"]
    answer = assistant.ask(f"I was fired because of my race on {today.replace(day=1):%B %-d, %Y}. What is my deadline?", state="CA")
    claims = {d.claim: d for d in answer.escalation.deadlines}
    eeoc = next(d for c, d in claims.items() if c.startswith("EEOC charge"))
    assert eeoc.days == facts.agency.eeoc_days == 300 and "California" in eeoc.claim
    state_claim = claims[f"Complaint to the {facts.agency.name}"]
    assert state_claim.cite == facts.agency.cite and state_claim.last_day is not None
    assert facts.agency.name in {c.name for c in answer.escalation.contacts}


def test_without_a_state_agency_the_eeoc_deadline_is_180_days(assistant: Assistant) -> None:
    facts = STATES["AL"]
    assert not facts.agency.exists
    answer = assistant.ask("I was fired because of my race last week. How long do I have to file?", state="AL")
    eeoc = next(d for d in answer.escalation.deadlines if d.claim.startswith("EEOC charge"))
    assert eeoc.days == 180
    assert not any(d.claim.startswith("Complaint to the") for d in answer.escalation.deadlines)


def test_federal_only_answers_never_cite_a_state(assistant: Assistant) -> None:
    answer = assistant.ask("What is the minimum wage?")
    by_id = {c.chunk_id: c for c in assistant.retriever.store.all_chunks()}
    assert answer.citations and all(by_id[c.chunk_id].jurisdiction in ("US", "company") for c in answer.citations)


def test_minimum_wage_history_is_answered_from_the_dol_table(tmp_path, make_settings, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus = corpus_or_skip()
    settings = make_settings(WORKRIGHTS_DATA_DIR=str(tmp_path / "store"))
    store = open_store(settings, embedder)
    ingest_kb(store, settings.kb_dir)
    sources = select(load_registry(settings.kb_dir / "sources.toml"), ["us_dol_min_wage_history"])
    report = ingest_sources(store, sources, mirror=MirrorReader(corpus))
    assert not report.errors
    assistant = build_assistant(settings, Retriever(store, settings.kb_dir / "popular_names.toml"))
    expected = next(r for r in rows((corpus / "state_data" / "Minimum Wage Data.csv").read_bytes()) if r["state"] == "Ohio" and r["year"] == 2015)
    answer = assistant.ask("what was the minimum wage in Ohio in 2015?")
    table = [c for c in answer.citations if c.cite == "DOL WHD State Minimum Wage History: Ohio"]
    assert table and any("2015" in c.quote and expected["normalized"] in c.quote for c in table)
    assert "year 2015" in answer.answer and expected["normalized"] in answer.answer
    assert not any("Kentucky" in c.cite for c in answer.citations)
