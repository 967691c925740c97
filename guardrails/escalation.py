"""Build the escalation object and the notices shown with an answer.

Crisis resources come before anything else; an urgent situation leads with its deadlines and the agency
to call; a referral ends the answer with where to get help. Numbers and contacts come from the verified
tables in ``kb/`` only.
"""

from __future__ import annotations

from collections.abc import Sequence

from guardrails.assess import Assessment
from guardrails.deadlines import DeadlineResult
from workrights.contacts import Directory
from workrights.schema import Contact, Deadline, Escalation
from workrights.state_facts import StateFacts

__all__ = ["build_escalation", "crisis_banner", "to_deadline", "state_contacts"]

CRISIS_BANNER = (
    "**If you are in danger right now, call 911.** If you are thinking about suicide or hurting yourself, "
    "call or text **988** (988 Suicide & Crisis Lifeline; chat at 988lifeline.org; press 1 for veterans, 2 for Spanish). "
    "You do not have to handle this alone. The information below can wait until you are safe."
)


def to_deadline(result: DeadlineResult) -> Deadline:
    return Deadline(
        claim=result.rule.claim,
        days=result.period_days,
        cite=result.rule.cite,
        last_day=result.last_day.isoformat() if result.last_day else None,
        days_left=result.days_left,
        note=result.sentence(),
    )


def state_contacts(state: StateFacts | None, agencies: Sequence[str]) -> dict[str, Contact]:
    """The state's own agencies for the federal ones routed to: fair employment beside the EEOC, wages beside WHD."""
    if state is None:
        return {}
    out: dict[str, Contact] = {}
    if "eeoc" in agencies[:2] and state.agency.exists:
        out["eeoc"] = Contact(state.agency.name, state.agency.phone, state.agency.agency_url)
    if "whd" in agencies[:2] and state.labor_agency is not None:
        out["whd"] = Contact(state.labor_agency.name, state.labor_agency.phone, state.labor_agency.url)
    return out


def _contacts(directory: Directory, agencies: Sequence[str], level: str, state: StateFacts | None = None) -> list[Contact]:
    by_id = dict(zip(directory.agency_ids, directory.agencies))
    local = state_contacts(state, agencies)
    chosen: list[Contact] = []
    for a in agencies[:2]:
        chosen += [c for c in (by_id.get(a), local.get(a)) if c is not None]
    if level == "crisis":
        return [*directory.crisis, *chosen]
    return chosen


def build_escalation(
    assessment: Assessment | None, directory: Directory, agencies: Sequence[str], state: StateFacts | None = None
) -> Escalation:
    if assessment is None:
        return Escalation()
    level = assessment.level
    return Escalation(
        level=level,
        reasons=list(assessment.triage.reasons),
        contacts=_contacts(directory, agencies, level, state),
        deadlines=[to_deadline(d) for d in assessment.deadlines],
    )


def crisis_banner() -> str:
    return CRISIS_BANNER
