"""Thumbs up or down and a comment under each answer, saved to the local feedback file for the evals."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workrights.errors import WorkrightsError
from workrights.feedback import FeedbackStore, feedback_from
from workrights.settings import Settings
from workrights.ui.session import ChatTurn

__all__ = ["feedback_renderer"]


def _rate(store: FeedbackStore, turn: ChatTurn, key: str) -> None:
    choice = st.session_state.get(key)
    if choice is None or turn.answer is None:
        return
    try:
        entry = feedback_from(turn.question, turn.answer, 1 if choice == 1 else -1, "", turn.role)
        turn.feedback_row = store.record(entry)
    except WorkrightsError as exc:
        turn.extras["feedback_error"] = str(exc)


def _comment(store: FeedbackStore, turn: ChatTurn, key: str) -> None:
    text = (st.session_state.get(key) or "").strip()
    if not text or turn.feedback_row is None:
        return
    try:
        store.add_comment(turn.feedback_row, text)
        turn.extras["commented"] = True
    except WorkrightsError as exc:
        turn.extras["feedback_error"] = str(exc)


def feedback_renderer(settings: Settings) -> Callable[[int, ChatTurn], None]:
    """The widget drawn under answer ``i``: a rating is saved at once, a comment when sent."""
    store = FeedbackStore(settings.feedback_file)

    def render(i: int, turn: ChatTurn) -> None:
        st.feedback("thumbs", key=f"rating-{i}", on_change=_rate, args=(store, turn, f"rating-{i}"))
        if turn.extras.get("feedback_error"):
            st.error(turn.extras.pop("feedback_error"))
        if turn.feedback_row is None:
            return
        if turn.extras.get("commented"):
            st.caption("Thank you: your rating and comment were saved.")
            return
        with st.form(f"comment-form-{i}", border=False):
            st.text_input("Thank you. Anything to add? (optional)", key=f"comment-{i}", max_chars=2000)
            st.form_submit_button("Send comment", on_click=_comment, args=(store, turn, f"comment-{i}"))

    return render
