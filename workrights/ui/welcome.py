"""The empty page: what the app does and a few questions to start from."""

from __future__ import annotations

import streamlit as st

from workrights.ui import session

__all__ = ["render_welcome", "EXAMPLES"]

EXAMPLES = (
    "Can I get fired for asking about my pay?",
    "Does FMLA cover me? I have worked there 14 months, about 30 hours a week.",
    "What is the minimum wage where I work?",
    "I was fired after I complained about harassment. What can I do?",
)


def render_welcome() -> None:
    st.markdown(
        "Ask a question about your job, pay, leave, discrimination or safety. Every answer quotes the law it "
        "rests on, adds your state's law when you choose a state, and tells you who can help and by when."
    )
    for i, example in enumerate(EXAMPLES):
        st.button(example, key=f"example-{i}", on_click=session.put, args=("suggestion", example))
