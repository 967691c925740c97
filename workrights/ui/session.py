"""What one browser session remembers: its conversation, its uploaded policy and its feedback rows.

Everything lives in ``st.session_state``, which Streamlit keeps per session; ``st.cache_resource`` is shared
by every user and never sees any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from workrights.schema import Answer

__all__ = ["ChatTurn", "turns", "history_of", "get", "put", "clear_conversation", "pop_suggestion"]


@dataclass
class ChatTurn:
    question: str  # as typed: shown back only to this session; exports redact it
    answer: Answer | None = None
    error: str | None = None  # a plain sentence when no answer could be given
    role: str = "employee"
    state: str | None = None
    feedback_row: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def turns() -> list[ChatTurn]:
    return st.session_state.setdefault("turns", [])


def history_of(conversation: list[ChatTurn]) -> list[dict[str, str]]:
    """Earlier turns for follow-up questions (the core redacts them again before any model sees them)."""
    out: list[dict[str, str]] = []
    for turn in conversation:
        if turn.answer is None:
            continue
        out += [{"role": "user", "content": turn.question}, {"role": "assistant", "content": turn.answer.answer}]
    return out


def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def clear_conversation() -> None:
    st.session_state["turns"] = []


def pop_suggestion() -> str | None:
    """An example question the user clicked, asked once."""
    return st.session_state.pop("suggestion", None)
