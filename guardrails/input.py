"""Input checks: is this a question we can take at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workrights.schema import Escalation

__all__ = ["InputCheck", "check_input", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 4000


@dataclass
class InputCheck:
    text: str
    refused: bool = False
    reason: str | None = None
    escalation: Escalation | None = None


def check_input(question: str, history: Sequence[object] = ()) -> InputCheck:
    text = " ".join(question.split())
    if not text:
        return InputCheck(text, refused=True, reason="The question is empty; type a question about work.")
    if len(text) > MAX_QUESTION_CHARS:
        return InputCheck(
            text,
            refused=True,
            reason=f"The question is longer than {MAX_QUESTION_CHARS:,} characters; shorten it to the main point.",
        )
    return InputCheck(text)
