"""Input checks: can we take this question, and what does the situation need from a human.

Order matters: a crisis is never refused (crisis resources come first whatever else the message
holds); then empty or oversized input, prompt injection, other countries' law and requests to evade the
law are refused with a clear reason. Everything downstream sees only the redacted text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from guardrails.assess import Assessment, assess
from guardrails.semantic import SemanticTriage
from guardrails.triage import crisis_words
from workrights.settings import default_kb_dir
from workrights.state_facts import StateFacts

__all__ = ["InputCheck", "check_input", "MAX_QUESTION_CHARS", "user_turns"]

MAX_QUESTION_CHARS = 4000

INJECTION_REASON = (
    "This message tries to change how the assistant works, so it is not answered; ask your question about work directly."
)
FOREIGN_REASON = (
    "I can only answer questions about US employment law; for another country, contact that country's labour authority or a local lawyer."
)
EVASION_REASON = "I can't help with getting around employment law; here is what the law requires and the risk of ignoring it."


@dataclass
class InputCheck:
    text: str
    refused: bool = False
    reason: str | None = None
    assessment: Assessment | None = None
    evasion: bool = False


def user_turns(history: Sequence[Any]) -> list[str]:
    """Earlier user messages from a history of strings or {"role", "content"} dicts."""
    turns = []
    for turn in history:
        if isinstance(turn, str):
            turns.append(turn)
        elif isinstance(turn, dict) and turn.get("role", "user") == "user":
            turns.append(str(turn.get("content") or turn.get("text") or ""))
    return turns


def check_input(
    question: str,
    history: Sequence[Any] = (),
    *,
    today: date | None = None,
    deadlines_file: Path | None = None,
    semantic: SemanticTriage | None = None,
    evasion: SemanticTriage | None = None,
    role: str = "employee",
    state: StateFacts | None = None,
    injection: SemanticTriage | None = None,
    routing: SemanticTriage | None = None,
) -> InputCheck:
    text = " ".join(question.split())
    if not text:
        return InputCheck(text, refused=True, reason="The question is empty; type a question about work.")
    if len(text) > MAX_QUESTION_CHARS:
        return InputCheck(
            "", refused=True, reason=f"The question is longer than {MAX_QUESTION_CHARS:,} characters; shorten it to the main point."
        )
    if deadlines_file is None:
        deadlines_file = default_kb_dir() / "deadlines.toml"
    result = assess(
        text, user_turns(history), today=today or date.today(), deadlines_file=deadlines_file, semantic=semantic, evasion=evasion, role=role,
        state=state, injection=injection, routing=routing,
    )
    check = InputCheck(result.redaction.text, assessment=result)
    # A jailbreak role-play, or an HR user's request judged to be evasion, that merely resembles a crisis (the
    # semantic layer only, no crisis words of its own) is an injection or an evasion first: otherwise the
    # crisis answer would carry the evasion's answer with it. A worker's message never loses its crisis this way.
    employer_evasion = role == "hr" and result.evasion is not None
    if result.level == "crisis" and not crisis_words(result.triage) and (result.injection or employer_evasion):
        result.triage.level, result.triage.reasons = "none", []
    elif result.level == "crisis" and not result.injection:
        return check
    # A crisis kept to this point is a jailbreak holding crisis words: it keeps its level, so the crisis lines
    # come first, but none of its instructions are followed.
    if result.injection:
        check.refused, check.reason = True, INJECTION_REASON
    elif result.foreign:
        check.refused, check.reason = True, FOREIGN_REASON
    elif result.evasion:
        check.refused, check.reason, check.evasion = True, EVASION_REASON, True
    return check
