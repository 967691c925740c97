"""guardrails.policy_gaps: real policy passages (the sample handbook, uploaded Markdown) against the cited rule set."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from guardrails.policy_gaps import GapFinding, find_gaps, load_gap_rules
from ingest.chunking import chunk_kb_document
from ingest.kb_markdown import parse_kb_file
from workrights.compose import quote_for
from workrights.errors import KnowledgeBaseError
from workrights.schema import Chunk, Hit
from workrights.settings import Settings, default_kb_dir
from workrights.state_facts import load_states
from workrights.uploads import load_upload

KB = default_kb_dir()
RULES = load_gap_rules(KB / "policy_minimums.toml")


def _northwind(heading: str) -> list[Chunk]:
    chunks = chunk_kb_document(parse_kb_file(KB / "policies" / "northwind_handbook.md"))
    section = [c for c in chunks if c.heading_path.endswith(f"> {heading}")]
    assert section, heading
    return section


def _gaps(chunks: list[Chunk], state: str | None = None) -> list[GapFinding]:
    facts = load_states(KB / "states")[state] if state else None
    return find_gaps([Hit(chunk=chunks[0], score=1.0, section=chunks)], RULES, facts)


def _uploaded(markdown: str, tmp_path: Path) -> list[Chunk]:
    settings = Settings.from_env({"WORKRIGHTS_DATA_DIR": str(tmp_path)})
    return list(load_upload("policy.md", markdown.encode(), settings).chunks)


def _policy_gaps(markdown: str, tmp_path: Path, state: str | None = None) -> list[GapFinding]:
    chunks = _uploaded(markdown, tmp_path)
    facts = load_states(KB / "states")[state] if state else None
    hits = [Hit(chunk=c, score=1.0) for c in chunks]
    return find_gaps(hits, RULES, facts)


def test_sample_handbook_pay_confidentiality_is_a_gap_cited_to_the_nlra() -> None:
    section = _northwind("Pay confidentiality")
    [gap] = _gaps(section)
    assert gap.rule == "pay_discussion"
    assert gap.cite == "29 U.S.C. § 158(a)(1)"
    assert gap.display.startswith("Employees may not discuss or disclose their own wages")
    assert gap.quote in " ".join(" ".join(c.text for c in section).split())
    assert gap.chunk in section


@pytest.mark.parametrize("heading", ["Leave of absence", "Overtime approval", "Paid time off", "Remote work", "Discipline"])
def test_sample_handbook_sections_that_meet_the_law_give_no_finding(heading: str) -> None:
    assert _gaps(_northwind(heading), state="CA") == []


def test_uploaded_policy_with_short_fmla_leave_and_late_overtime(tmp_path: Path) -> None:
    markdown = (
        "# Acme Handbook\n\n## Family and medical leave\n"
        "Acme follows the Family and Medical Leave Act (FMLA). Eligible employees may take up to 8 weeks of FMLA "
        "leave in a 12-month period.\n\n## Overtime\nNonexempt employees are paid overtime at one and one-half times "
        "their regular rate for hours worked after 45 hours in a workweek.\n"
    )
    gaps = {g.rule: g for g in _policy_gaps(markdown, tmp_path)}
    assert set(gaps) == {"fmla_weeks", "overtime_threshold"}
    assert gaps["fmla_weeks"].cite == "29 U.S.C. § 2612(a)(1)"
    assert "8 weeks of FMLA leave" in gaps["fmla_weeks"].quote
    assert gaps["overtime_threshold"].cite == "29 U.S.C. § 207(a)(1)"
    assert "after 45 hours" in gaps["overtime_threshold"].quote
    assert gaps["fmla_weeks"].chunk.cite == "Acme Handbook § Family and medical leave"


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("You become eligible for FMLA leave after 18 months of employment.", "fmla_months"),
        ("To be eligible for FMLA leave you must have worked 2 years of continuous service.", "fmla_months"),
        ("To qualify for FMLA leave you must have worked at least 1,500 hours in the past year.", "fmla_hours"),
        ("Overtime is paid at straight time.", "overtime_rate"),
        ("Overtime hours are paid at 1.25 times the regular rate.", "overtime_rate"),
        ("Discussing wages with coworkers is strictly prohibited.", "pay_discussion"),
        ("New warehouse associates start at $6.50 an hour.", "minimum_wage"),
    ],
)
def test_each_rule_finds_its_gap(sentence: str, rule: str, tmp_path: Path) -> None:
    markdown = f"# Handbook\n\n## Family and Medical Leave Act (FMLA) and pay\n{sentence}\n"
    assert [g.rule for g in _policy_gaps(markdown, tmp_path)] == [rule]


@pytest.mark.parametrize(
    "sentence",
    [
        "Eligible employees may take up to 16 weeks of FMLA leave in a 12-month period.",
        "Eligible employees may take up to 12 workweeks of FMLA leave, and the first 6 weeks are paid.",
        "For example, an employee who took FMLA leave for 4 weeks in March used accrued sick leave.",
        "You may carry over up to 40 hours of unused PTO into the next year.",
        "Overtime is paid at time and a half after 8 hours in a day and after 40 hours in a workweek.",
        "Overtime may not exceed 50 hours in a workweek without a director's approval.",
        "Tipped employees are paid a cash wage of $2.13 an hour plus tips.",
        "Night shift differential is $1.00 per hour.",
        "Employees may not be disciplined for discussing their wages with coworkers.",
        "Managers may not ask applicants about their salary history.",
        "Payroll staff must not disclose other employees' pay records they see as part of their job.",
        "Employees must give 2 weeks notice before planned FMLA leave.",
        "You become eligible for FMLA leave after 12 months and 1,250 hours in the 12 months before your leave.",
    ],
)
def test_sentences_that_meet_the_law_or_are_not_the_rule_give_no_finding(sentence: str, tmp_path: Path) -> None:
    markdown = f"# Handbook\n\n## Family and Medical Leave Act (FMLA), overtime and pay\n{sentence}\n"
    assert _policy_gaps(markdown, tmp_path) == []


def test_a_chosen_states_higher_minimum_wage_is_the_rule_with_its_own_cite(tmp_path: Path) -> None:
    markdown = "# Handbook\n\n## Pay\nNew warehouse associates start at $12.00 an hour.\n"
    assert _policy_gaps(markdown, tmp_path) == []  # above the federal $7.25
    [gap] = _policy_gaps(markdown, tmp_path, state="CA")
    ca = load_states(KB / "states")["CA"].minimum_wage
    assert (gap.rule, gap.cite, gap.jurisdiction) == ("minimum_wage", ca.cite, "CA")
    assert f"${ca.rate:,.2f}" in gap.requires and "California" in gap.requires
    assert _policy_gaps(markdown, tmp_path, state="TX") == []  # Texas follows the federal rate


def test_only_policy_passages_are_checked() -> None:
    section = _northwind("Pay confidentiality")
    as_summary = [replace(c, doc_type="summary") for c in section]
    assert find_gaps([Hit(chunk=as_summary[0], score=1.0, section=as_summary)], RULES) == []


def test_every_rule_cites_a_sentence_the_knowledge_base_carries() -> None:
    chunks = [c for p in sorted((KB / "federal").glob("*.md")) for c in chunk_kb_document(parse_kb_file(p))]
    assert RULES
    for rule in RULES:
        assert any(quote_for(rule.cite, c) for c in chunks), f"no KB passage carries {rule.cite} ({rule.id})"


def test_malformed_rules_file_is_a_clear_error_and_a_missing_one_means_no_rules(tmp_path: Path) -> None:
    bad = tmp_path / "policy_minimums.toml"
    bad.write_text(
        '[[rule]]\nid = "x"\ntopic = "x"\nkind = "bogus"\nsection = "."\nsentence = "."\n'
        'requires = "x."\ncite = "29 U.S.C. § 207(a)(1)"\nlimit = 1\n[[rule.value]]\npattern = "{number}"\n',
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="rule 1: kind 'bogus' is not one of"):
        load_gap_rules(bad)
    assert load_gap_rules(tmp_path / "absent.toml") == ()
