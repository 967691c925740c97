from datetime import date

import pytest

from guardrails.dates import find_event_date
from guardrails.deadlines import compute, load_rules
from tests.conftest import REPO

TODAY = date(2026, 11, 23)  # a Monday
RULES = load_rules(REPO / "kb" / "deadlines.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was fired on March 3", date(2026, 3, 3)),
        ("they let me go on December 20", date(2025, 12, 20)),  # no year and in the future: last year
        ("fired 2026-10-01 for complaining", date(2026, 10, 1)),
        ("on 10/02/2026 my boss", date(2026, 10, 2)),
        ("two weeks ago", date(2026, 11, 9)),
        ("3 days ago", date(2026, 11, 20)),
        ("yesterday", date(2026, 11, 22)),
        ("last Friday", date(2026, 11, 20)),
        ("5 and a half months ago", date(2026, 6, 8)),
        ("a year ago", date(2025, 11, 23)),
        ("on the 3rd of March 2025", date(2025, 3, 3)),
        ("I don't remember when", None),
        ("I have 12 workweeks of leave and 50 employees", None),
    ],
)
def test_event_dates(text: str, expected: date | None) -> None:
    assert find_event_date(text, TODAY) == expected


def test_eeoc_countdown_uses_180_and_mentions_300() -> None:
    result = compute(RULES["eeoc_charge"], "I was fired on June 10", TODAY)
    assert result.last_day == date(2026, 12, 7) and result.days_left == 14 and result.urgent
    sentence = result.sentence()
    assert "180 days" in sentence and "300 days" in sentence and "14 days left" in sentence


def test_past_deadline_says_so_and_is_urgent() -> None:
    result = compute(RULES["osha_11c"], "they fired me for reporting the leak 2 months ago", TODAY)
    assert result.days_left < 0 and result.urgent and "the last day was" in result.sentence()


def test_unknown_date_gives_the_rule_and_asks() -> None:
    result = compute(RULES["nlrb_charge"], "I was fired for organizing", TODAY)
    assert result.last_day is None and not result.urgent
    assert "6 months" in result.sentence() and "Tell me the date" in result.sentence()


@pytest.mark.parametrize(
    ("rule", "text", "last_day"),
    [
        ("nlrb_charge", "on 2026-08-31", date(2027, 2, 28)),
        ("flsa_suit", "on 2025-01-15", date(2027, 1, 15)),
        ("right_to_sue", "got my right to sue letter on 2026-11-01", date(2027, 1, 30)),
        ("federal_eeo", "on 2026-11-01", date(2026, 12, 16)),
        ("adea_waiver_consider", "they handed me the release yesterday", date(2026, 12, 13)),
    ],
)
def test_periods(rule: str, text: str, last_day: date) -> None:
    assert compute(RULES[rule], text, TODAY).last_day == last_day
