"""Guardrails: checks on the way in (the question) and on the way out (the answer).

Both hooks fail closed: ``workrights.answer`` turns any exception raised here into a refusal with an
escalation, never into an unchecked answer. The escalation triage, agency routing, deadlines, PII and
injection checks build on these two entry points.
"""

from guardrails.input import InputCheck, check_input
from guardrails.output import check_output

__all__ = ["InputCheck", "check_input", "check_output"]
