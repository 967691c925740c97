"""kb/states: every state and DC has a valid file; the schema refuses what it should; summaries cite every rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_kb
from ingest.state_kb import state_chunks
from workrights.citations import find_cites, split_trailing_cites
from workrights.errors import KnowledgeBaseError
from workrights.settings import default_kb_dir
from workrights.state_facts import STATES, load_states, parse_state_text, render, state_errors
from workrights.store import open_store
from workrights.text import split_sentences

STATES_DIR = default_kb_dir() / "states"
VALID = '''
code = "OH"
name = "Ohio"
[minimum_wage]
rate = 11.00
text = "Ohio's minimum wage is $11.00 an hour for larger employers."
cite = "Ohio Const. art. II, § 34a"
url = "https://com.ohio.gov/"
as_of = "2026-01-01"
checked = []
[fair_employment]
law = "Ohio Civil Rights Act"
min_employees = 4
text = "Ohio's law covers employers with 4 or more employees in Ohio."
cite = "Ohio Rev. Code § 4112.01(A)(2)"
url = "https://civ.ohio.gov/"
as_of = "2026-01-01"
[agency]
name = "Ohio Civil Rights Commission"
phone = "1-888-278-7101"
filing_years = 2
work_sharing = true
text = "In Ohio, you have 2 years to file a charge with the Ohio Civil Rights Commission."
cite = "Ohio Rev. Code § 4112.051(C)(2)"
url = "https://civ.ohio.gov/"
as_of = "2026-01-01"
'''


def test_every_state_and_dc_has_a_valid_file() -> None:
    files = {p.stem for p in STATES_DIR.glob("*.toml")}
    assert files == set(STATES), f"missing: {sorted(set(STATES) - files)}; extra: {sorted(files - set(STATES))}"
    assert state_errors(STATES_DIR) == ()
    assert set(load_states(STATES_DIR)) == set(STATES)


def test_the_twenty_most_populous_states_and_connecticut_have_topic_facts() -> None:
    # Census 2024 estimates: the 20 most populous states, plus Connecticut as the issue asks.
    big = "CA TX FL NY PA IL OH GA NC MI NJ VA WA AZ TN MA IN MD MO WI CT".split()
    states = load_states(STATES_DIR)
    with_topics = [code for code in big if states[code].topics]
    # A state without any such law (e.g. Ohio) has no topic tables; most have several.
    assert len(with_topics) >= 18, sorted(set(big) - set(with_topics))


@pytest.mark.parametrize("code", sorted(STATES))
def test_every_rule_in_a_summary_carries_a_citation(code: str) -> None:
    facts = load_states(STATES_DIR)[code]
    for section in render(facts):
        for sentence in split_sentences(section.text):
            if sentence.startswith("You can reach"):
                continue  # contact details, not a rule; the composer shows only cited sentences as law
            assert split_trailing_cites(sentence)[1], f"{code} {section.key}: {sentence!r}"
        assert facts.name in section.heading


def test_a_higher_state_minimum_wage_is_said_to_apply_with_both_citations() -> None:
    states = load_states(STATES_DIR)
    above = [s for s in states.values() if not s.minimum_wage.federal_applies]
    assert len(above) >= 25
    for s in above:
        text = render(s)[0].text
        assert f"${s.minimum_wage.rate:,.2f}" in text
        assert "29 U.S.C. § 218(a)" in text and s.minimum_wage.cite in find_cites(text)


def test_parse_valid_example_and_its_derived_fields() -> None:
    facts = parse_state_text(VALID, "OH.toml", "OH")
    assert facts.minimum_wage.rate == 11.0 and facts.fair_employment.min_employees == 4
    assert facts.agency.filing_period == "2 years" and facts.agency.eeoc_days == 300
    assert facts.as_of == "2026-01-01"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('code = "OH"', 'code = "XX"'), "not a USPS code"),
        (('name = "Ohio"', 'name = "Ohio State"'), "should be 'Ohio'"),
        (("rate = 11.00", "rate = 12.00"), "does not state the rate $12.00"),
        (('cite = "Ohio Const. art. II, § 34a"', 'cite = "Ohio law 34a"'), "not one citation"),
        (('url = "https://com.ohio.gov/"', 'url = "http://com.ohio.gov/"'), "https://"),
        (('as_of = "2026-01-01"\nchecked', 'as_of = "2030-01-01"\nchecked'), "in the future"),
        (("min_employees = 4", "min_employees = 6"), "threshold of 6"),
        (("filing_years = 2", "filing_years = 2\nfiling_days = 300"), "at most one of"),
        (('phone = "1-888-278-7101"', 'phone = "call us"'), "is not written like"),
        (("work_sharing = true", "work_sharing = true\nworksharing = true"), "unknown key 'worksharing'"),
        (("[fair_employment]", "[fair_employmnt]"), "unknown table"),
        (("rate = 11.00", "rate = 7.00"), "above 7.25"),
    ],
)
def test_schema_errors_are_one_clear_sentence(change: tuple[str, str], message: str) -> None:
    text = VALID.replace(change[0], change[1], 1)
    assert text != VALID
    with pytest.raises(KnowledgeBaseError, match=None) as info:
        parse_state_text(text, "OH.toml", "OH")
    assert message in str(info.value) and str(info.value).startswith("OH.toml")


def test_an_agency_that_does_not_exist_points_to_the_eeoc_at_180_days() -> None:
    text = VALID.replace(
        '''name = "Ohio Civil Rights Commission"
phone = "1-888-278-7101"
filing_years = 2
work_sharing = true
text = "In Ohio, you have 2 years to file a charge with the Ohio Civil Rights Commission."
cite = "Ohio Rev. Code § 4112.051(C)(2)"''',
        '''exists = false
text = "Ohio has no agency; file with the EEOC within 180 days."
cite = "42 U.S.C. § 2000e-5(e)(1)"''',
    )
    facts = parse_state_text(text, "OH.toml", "OH")
    assert not facts.agency.exists and facts.agency.eeoc_days == 180
    assert "180 days" in render(facts)[2].text and "You can reach" not in render(facts)[2].text


def test_state_chunks_keep_each_facts_citation_url_and_date() -> None:
    facts = parse_state_text(VALID, "OH.toml", "OH")
    chunks = state_chunks(facts)
    assert {c.jurisdiction for c in chunks} == {"OH"}
    wage = next(c for c in chunks if ":minimum_wage:" in c.chunk_id)
    assert (wage.cite, wage.url, wage.as_of, wage.doc_type) == ("Ohio Const. art. II, § 34a", "https://com.ohio.gov/", "2026-01-01", "summary")


def test_a_broken_state_file_is_reported_and_its_old_chunks_stay(tmp_path: Path, make_settings, embedder) -> None:  # type: ignore[no-untyped-def]
    kb_dir = tmp_path / "kb"
    (kb_dir / "states").mkdir(parents=True)
    (kb_dir / "states" / "OH.toml").write_text(VALID, encoding="utf-8")
    store = open_store(make_settings(), embedder)
    first = ingest_kb(store, kb_dir)
    assert first.errors == [] and first.chunks_added == 3
    (kb_dir / "states" / "OH.toml").write_text(VALID.replace("rate = 11.00", "rate = 12.00"), encoding="utf-8")
    second = ingest_kb(store, kb_dir)
    assert second.errors and second.errors[0]["source"] == "oh_workrights_state"
    assert "$12.00" in second.errors[0]["error"] and second.chunks_removed == 0
    assert store.count() == 3
    shutil.rmtree(kb_dir / "states")
