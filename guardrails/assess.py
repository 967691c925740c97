"""One assessment of a question: triage, agencies, deadlines, evasion, injection and scope together.

``check_input`` turns this into an ``InputCheck``; the evals call it directly to score each part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from guardrails.coverage import CoverageNote, check_coverage
from guardrails.dates import find_event_date
from guardrails.deadlines import DeadlineResult, compute, for_state, load_rules
from guardrails.evasion import evasion_topic
from guardrails.injection import is_injection
from guardrails.pii import Redaction, redact
from guardrails.router import route
from guardrails.semantic import SemanticTriage, clauses
from guardrails.scope import foreign_jurisdiction
from guardrails.triage import LEVEL_ORDER, Triage, triage
from workrights.state_facts import StateFacts

__all__ = ["Assessment", "assess", "claims_for", "SEMANTIC_REASON", "Thresholds", "THRESHOLDS"]

_AGE = re.compile(r"(?i)\b(?:age|aged?|ageist|older|too old|over (?:40|50|60|fifty|sixty)|\d\d[- ]year[- ]old|retire\w*|young(?:er)? (?:guy|people|workers))\b")
_FMLA = re.compile(r"(?i)\b(?:fmla|family (?:and|&) medical leave|medical leave|maternity leave|paternity leave|leave)\b")
_RETALIATION_OR_FIRING = re.compile(r"(?i)\b(?:fired|terminat\w+|let (?:me|us) go|retaliat\w+|demot\w+|written up|wrote me up|cut my|punish\w*|disciplin\w*|last day)\b")
_RIGHT_TO_SUE = re.compile(r"(?i)\bright[- ]to[- ]sue\b|\bderecho a demandar\b")
_FEDERAL = re.compile(
    r"(?i)\b(?:federal (?:employee|agency|job|government|worker|civilian)|work(?:s|ed|ing)? (?:for|at) the (?:va|irs|usps|post office|federal government|army|navy|air force|dod|tsa|department of \w+)|"
    r"the va\b|usps|postal (?:service|worker)|gs-\d+|federal civil service)\b"
)
_SEVERANCE = re.compile(r"(?i)\b(?:severance|separation agreement|release of (?:all )?claims|sign (?:a|the|this) (?:release|waiver))\b")
_ASKS_DEADLINE = re.compile(r"(?i)\b(?:deadline|how long (?:do|does|did) (?:i|we|they|you|someone|workers?)|time limit|still (?:file|sue|do anything)|too late|statute of limitations|how much time|by when)\b")


@dataclass
class Assessment:
    redaction: Redaction
    triage: Triage
    agencies: list[str]
    deadlines: list[DeadlineResult] = field(default_factory=list)
    evasion: str | None = None
    injection: bool = False
    foreign: bool = False
    coverage: list[CoverageNote] = field(default_factory=list)

    @property
    def level(self) -> str:
        return self.triage.level


def claims_for(text: str, agencies: Sequence[str]) -> list[str]:
    """Deadline rule ids that fit the situation, most specific first."""
    ids: list[str] = []
    if _RIGHT_TO_SUE.search(text):
        ids.append("right_to_sue")
    if _FEDERAL.search(text):
        ids.append("federal_eeo")
    for agency in agencies[:2]:
        if agency == "eeoc" and not _FEDERAL.search(text):
            ids.append("adea_charge" if _AGE.search(text) else "eeoc_charge")
        elif agency == "whd":
            ids.append("fmla_suit" if _FMLA.search(text) else "flsa_suit")
        elif agency == "nlrb":
            ids.append("nlrb_charge")
        elif agency == "osha" and _RETALIATION_OR_FIRING.search(text):
            ids.append("osha_11c")
        elif agency == "ier":
            ids.append("ier_charge")
    if _SEVERANCE.search(text):
        ids += ["adea_waiver_consider", "adea_waiver_revoke"]
    return list(dict.fromkeys(ids))


# How every reason given by the semantic vote starts: it is for the record, not shown to the reader.
SEMANTIC_REASON = "a situation like others"


@dataclass(frozen=True)
class Thresholds:
    """When the semantic layer raises a level. Chosen by ``python -m evals.calibrate``, which leaves out one
    writer of exemplars at a time; crisis needs far less than an even chance, because missing one is the
    worst error the tool can make and an extra 988 banner costs a line."""

    crisis_probability: float = 0.2  # the linear model, on the whole message
    clause_crisis_probability: float = 0.8  # the linear model, on one sentence of a longer message
    evasion_probability: float = 0.8
    injection_probability: float = 0.5  # the even-odds boundary: it was not tuned on any attack set


THRESHOLDS = Thresholds()


_ES_WORDS = re.compile(
    r"(?i)(?<!\w)(?:que|qu[eé]|de|la|el|me|mi|es|por|para|con|no|y|los|las|una|un|tengo|puedo|trabajo|jefe|a|se|en|del|al|lo|le|su|"
    r"como|c[oó]mo|cu[aá]nt[oa]s?|hay|est[aá]|nos|tiempo|semana|horas)(?!\w)"
)


def _spanish(text: str) -> bool:
    """The embedding model reads English only; Spanish text is left to the Spanish rules."""
    words = text.split()
    return len(words) >= 3 and len(_ES_WORDS.findall(text)) / len(words) > 0.3


def _crisis_signal(text: str, probabilities: dict[str, float], semantic: SemanticTriage, limits: Thresholds) -> bool:
    if probabilities.get("crisis", 0.0) >= limits.crisis_probability:
        return True
    # Only now, because it embeds each sentence: most messages are settled on the whole text. A fragment of
    # three or four words ("just curious") carries too little for the model to judge on its own.
    sentences = clauses(text, min_words=5)
    return any(p.get("crisis", 0.0) >= limits.clause_crisis_probability for p in semantic.probabilities(sentences))


def _semantic(result: Triage, text: str, history: Sequence[str], semantic: SemanticTriage, limits: Thresholds) -> None:
    if any(_crisis_signal(earlier, semantic.probabilities([earlier])[0], semantic, limits) for earlier in history):
        result.raise_to("crisis", f"{SEMANTIC_REASON} that needed crisis help (said earlier in this conversation)")
    probabilities = semantic.probabilities([text])[0]
    if _crisis_signal(text, probabilities, semantic, limits):
        result.raise_to("crisis", f"{SEMANTIC_REASON} that needed crisis help")
        return
    likeliest = max(probabilities, key=lambda level: probabilities[level])
    if likeliest in ("urgent", "refer"):
        result.raise_to(likeliest, f"{SEMANTIC_REASON} that needed " + ("urgent help" if likeliest == "urgent" else "an agency or a lawyer"))


# Evasion by similarity applies only to questions asked from the employer's side: a worker asking "can they
# fire me for..." is never evasion; then the linear model trained on the evasion/good-faith pairs must be
# confident.
_EMPLOYER_SIDE = re.compile(
    r"(?i)\b(?:can|could|should|how (?:do|can|should)|is it (?:ok|okay|legal) (?:if|for)|what'?s the (?:best|safest|cleanest) way (?:to|for)|any way to)\s+"
    r"(?:we|i)\s+(?:\w+\s+){0,2}(?:hire|fire|terminate|term|let|pay|classify|ask|require|make|deny|refuse|decline|discipline|move|schedule|cut|dock|"
    r"keep|offer|word|avoid|screen|get|give|tell|call|use|run|document|write|put|switch|retitle|stop|track|find)\b|"
    r"\b(?:our|my) (?:employees|staff|workers|team members|drivers|servers|cashiers|managers|supervisors|nurses|techs|interns|hires|reps)\b|"
    r"\b(?:an?|the|one of our|this) (?:employee|applicant|candidate|new hire)\b"
)
_WORKER_SIDE = re.compile(
    r"(?i)\bmy (?:boss|manager|employer|supervisor|job|company|lead|foreman|hr)\b|\b(?:can|could|did|do) (?:they|he|she|my \w+) (?:\w+ )?(?:fire|make|write|dock|cut) (?:me|us)\b|"
    r"\bdo (?:we|i) (?:get|have)\b|\b(?:made|make|makes) (?:me|us)\b"
)


def _semantic_evasion(text: str, role: str, evasion: SemanticTriage | None, limits: Thresholds) -> bool:
    if evasion is None or _WORKER_SIDE.search(text) or not (_EMPLOYER_SIDE.search(text) or role == "hr"):
        return False
    return evasion.probabilities([text])[0].get("evasion", 0.0) >= limits.evasion_probability


def _semantic_injection(text: str, injection: SemanticTriage | None, limits: Thresholds) -> bool:
    """Jailbreaks come in endless wordings (personas, fake terminals, "two answers"); the pattern rules miss
    new ones, so a linear model trained on written attacks against the ordinary questions also judges."""
    return injection is not None and injection.probabilities([text])[0].get("injection", 0.0) >= limits.injection_probability


def assess(
    question: str,
    history: Sequence[str] = (),
    *,
    today: date,
    deadlines_file: Path,
    semantic: SemanticTriage | None = None,
    evasion: SemanticTriage | None = None,
    role: str = "employee",
    state: StateFacts | None = None,
    limits: Thresholds = THRESHOLDS,
    injection: SemanticTriage | None = None,
    routing: SemanticTriage | None = None,
) -> Assessment:
    redaction = redact(question)
    text = redaction.text
    history_text = [redact(h).text for h in history]
    # The keyword rules read the raw words in memory (redaction would hide "heart attack" from them);
    # nothing raw is logged, stored or sent anywhere.
    result = triage(" ".join(question.split()), list(history))
    if semantic is not None and not _spanish(text):
        _semantic(result, text, [h for h in history_text if not _spanish(h)], semantic, limits)
    context = " ".join([*history_text[-2:], text])
    likely = routing.probabilities([context])[0] if routing is not None and not _spanish(context) else None
    agencies = route(context, likely=likely)
    wants_deadlines = (
        LEVEL_ORDER[result.level] >= LEVEL_ORDER["refer"]
        or bool(_ASKS_DEADLINE.search(text))
        or find_event_date(context, today) is not None
    )
    rules = load_rules(deadlines_file)
    chosen = for_state([rules[i] for i in claims_for(context, agencies)], state) if wants_deadlines else []
    deadlines = [compute(rule, context, today) for rule in chosen]
    if any(d.urgent for d in deadlines) and LEVEL_ORDER[result.level] < LEVEL_ORDER["urgent"]:
        result.raise_to("urgent", "a filing deadline that is near or past")
    return Assessment(
        redaction=redaction,
        triage=result,
        agencies=agencies,
        deadlines=deadlines,
        evasion=evasion_topic(text) or ("generic" if _semantic_evasion(text, role, evasion, limits) else None),
        injection=is_injection(text) or _semantic_injection(text, injection, limits),
        foreign=foreign_jurisdiction(text),
        coverage=check_coverage(text, deadlines_file.parent / "coverage.toml", context, state),
    )
