"""Filing deadlines: which apply, the last day to file and the days left, each with its statute.

The rules come from ``kb/deadlines.toml`` (DESIGN.md section 4). With no event date the rule is given and
the user is asked for the date; nothing is guessed. Where a longer period may apply (300 days in a state
with its own agency), the countdown uses the shorter one and says so, because missing it loses the claim.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from guardrails.dates import add_months, find_event_date
from workrights.state_facts import StateFacts

__all__ = ["DeadlineRule", "DeadlineResult", "load_rules", "compute", "countdown", "for_state", "URGENT_DAYS", "EEOC_CHARGES"]

EEOC_CHARGES = ("eeoc_charge", "adea_charge")

URGENT_DAYS = 30


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    claim: str
    agency: str
    cite: str
    days: int = 0
    months: int = 0
    years: int = 0
    extended: str = ""
    extended_when: str = ""
    forward: bool = False

    def period_text(self) -> str:
        if self.days:
            return f"{self.days} days"
        if self.months:
            return f"{self.months} months"
        return f"{self.years} years"

    def last_day(self, event: date) -> date:
        if self.days:
            return event + timedelta(days=self.days)
        if self.months:
            return add_months(event, self.months)
        return add_months(event, 12 * self.years)


@dataclass(frozen=True)
class DeadlineResult:
    rule: DeadlineRule
    event: date | None
    last_day: date | None
    days_left: int | None

    @property
    def period_days(self) -> int:
        if self.event and self.last_day:
            return (self.last_day - self.event).days
        return self.rule.days or round(30.4 * self.rule.months) or 365 * self.rule.years

    def sentence(self) -> str:
        r = self.rule
        text = f"{r.claim}: {r.period_text()}"
        if r.extended:
            text += f" ({r.extended} if {r.extended_when})"
        if self.last_day is None:
            return text + ". Tell me the date it happened to count the days; check this with the agency."
        if self.days_left is not None and self.days_left < 0:
            return text + f". Counting from {self.event:%B %-d, %Y}, the last day was {self.last_day:%B %-d, %Y}; contact the agency now, exceptions exist."
        return text + f". Counting from {self.event:%B %-d, %Y}, the last day is {self.last_day:%B %-d, %Y} ({self.days_left} days left)."

    @property
    def urgent(self) -> bool:
        return self.days_left is not None and self.days_left <= URGENT_DAYS


@lru_cache(maxsize=4)
def load_rules(path: Path) -> dict[str, DeadlineRule]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = {}
    for c in data["claim"]:
        extended = f"{c['extended_days']} days" if "extended_days" in c else (f"{c['extended_years']} years" if "extended_years" in c else "")
        rules[c["id"]] = DeadlineRule(
            id=c["id"], claim=c["claim"], agency=c["agency"], cite=c["cite"], days=c.get("days", 0),
            months=c.get("months", 0), years=c.get("years", 0), extended=extended,
            extended_when=c.get("extended_when", ""), forward=bool(c.get("forward", False)),
        )
    return rules


def compute(rule: DeadlineRule, text: str, today: date) -> DeadlineResult:
    return countdown(rule, find_event_date(text, today), today)


def countdown(rule: DeadlineRule, event: date | None, today: date) -> DeadlineResult:
    """The last day and the days left from ``event`` (None: the rule only, nothing guessed)."""
    if event is None:
        return DeadlineResult(rule, None, None, None)
    last = rule.last_day(event)
    return DeadlineResult(rule, event, last, (last - today).days)


def for_state(rules: list[DeadlineRule], state: StateFacts | None) -> list[DeadlineRule]:
    """The rules as they apply in ``state``: the EEOC period settled (300 or 180 days), the state agency's added.

    With no state chosen, the EEOC rule keeps both periods and the countdown uses the shorter one.
    """
    if state is None:
        return rules
    out: list[DeadlineRule] = []
    agency = state.agency
    for rule in rules:
        if rule.id not in EEOC_CHARGES:
            out.append(rule)
            continue
        out.append(replace(rule, days=agency.eeoc_days, extended="", extended_when="", claim=f"{rule.claim} in {state.name}"))
        if agency.exists and agency.filing_period and not any(r.id == "state_charge" for r in out):
            out.append(
                DeadlineRule(
                    id="state_charge", claim=f"Complaint to the {agency.name}", agency=f"state:{state.code}", cite=agency.cite,
                    days=agency.filing_days, months=agency.filing_months, years=agency.filing_years,
                )
            )
    return out
