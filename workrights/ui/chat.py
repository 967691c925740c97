"""The conversation: earlier turns, a new question answered (streamed in the LLM mode), errors as sentences."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from workrights.answer import Assistant
from workrights.errors import WorkrightsError
from workrights.schema import Citation
from workrights.ui.answer_view import AsOf, render_answer
from workrights.ui.session import ChatTurn, history_of

__all__ = ["render_history", "answer_question", "passage_dates", "UNEXPECTED"]

UNEXPECTED = "Something went wrong while answering; please try again, or contact one of the agencies listed in earlier answers."
log = logging.getLogger("workrights.app")


Extra = Callable[[int, ChatTurn], None]


def passage_dates(assistant: Assistant, policy: Any = None) -> AsOf:
    """A citation's own passage date: from the store, or from the session's uploaded policy."""

    def as_of(citation: Citation) -> str | None:
        chunk = assistant.retriever.chunk(citation.chunk_id)
        if chunk is None and policy is not None:
            chunk = next((c for c in policy.chunks if c.chunk_id == citation.chunk_id), None)
        return chunk.as_of if chunk is not None else None

    return as_of


def render_turn(i: int, turn: ChatTurn, extra: Extra | None = None, as_of: AsOf | None = None) -> None:
    with st.chat_message("user"):
        st.markdown(turn.question)
    with st.chat_message("assistant"):
        _render_reply(i, turn, extra, as_of)


def _render_reply(i: int, turn: ChatTurn, extra: Extra | None, as_of: AsOf | None) -> None:
    if turn.answer is None:
        st.error(turn.error or UNEXPECTED)
        return
    render_answer(i, turn.answer, as_of)
    if extra is not None:
        extra(i, turn)


def render_history(conversation: list[ChatTurn], extra: Extra | None = None, as_of: AsOf | None = None) -> None:
    for i, turn in enumerate(conversation):
        render_turn(i, turn, extra, as_of)


def token_sink(placeholder: Any, every_s: float = 0.05) -> Callable[[str], None]:
    """Show the model's words as they arrive, a few times a second; the checked answer replaces them."""
    parts: list[str] = []
    last = [0.0]

    def on_token(token: str) -> None:
        parts.append(token)
        now = time.monotonic()
        if now - last[0] >= every_s:
            last[0] = now
            placeholder.markdown("".join(parts) + " ▌")

    return on_token


def answer_question(
    assistant: Assistant,
    question: str,
    conversation: list[ChatTurn],
    *,
    role: str,
    state: str | None,
    policy: Any = None,
    extra: Extra | None = None,
    as_of: AsOf | None = None,
) -> ChatTurn:
    """Ask and show the answer in place (streamed while a model writes it); the turn joins ``conversation``.

    Drawing the answer in this run, rather than rerunning the script, keeps a warm answer to one script run.
    """
    turn = ChatTurn(question=question, role=role, state=state)
    i = len(conversation)
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        placeholder = st.empty()
        sink = token_sink(placeholder) if assistant.chat is not None else None
        try:
            with st.spinner("Looking it up in the law…"):
                kwargs = {"policy": policy} if policy is not None else {}
                turn.answer = assistant.ask(question, state=state, role=role, history=history_of(conversation), on_token=sink, **kwargs)
        except WorkrightsError as exc:
            turn.error = str(exc)
        except Exception:  # noqa: BLE001 - a plain sentence for the user, the traceback for the log
            log.exception("answering failed")
            turn.error = UNEXPECTED
        placeholder.empty()
        conversation.append(turn)
        _render_reply(i, turn, extra, as_of)
    return turn
