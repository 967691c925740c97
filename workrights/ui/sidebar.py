"""The sidebar: who is asking and where, how answers are written, and the permanent disclaimer."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workrights.settings import ROLES
from workrights.state_facts import STATES

__all__ = ["Choices", "DISCLAIMER", "render_choices", "render_mode", "ROLE_LABELS"]

DISCLAIMER = (
    "General information about US employment law, not legal advice. For advice about your own situation, "
    "contact an agency or an employment lawyer. In danger? Call 911. In crisis? Call or text 988."
)
ROLE_LABELS = {"employee": "An employee", "advocate": "An advocate", "hr": "HR staff"}
FEDERAL = "Federal law only"


@dataclass(frozen=True)
class Choices:
    role: str
    state: str | None


def render_choices() -> Choices:
    codes = sorted(STATES, key=STATES.get)
    state = st.selectbox(
        "Where do you work?", [None, *codes], format_func=lambda c: FEDERAL if c is None else STATES[c], key="state",
        help="Answers add this state's law to federal law. A state named in your question is used for that question.",
    )
    role = st.radio("I am", ROLES, format_func=ROLE_LABELS.get, key="role", horizontal=True)
    return Choices(role=role, state=state)


def render_mode(mode: str, model: str | None) -> None:
    if mode == "llm":
        st.caption(f"Answer mode: **AI-written** by {model}, checked against the sources; unsupported sentences are removed.")
    else:
        st.caption("Answer mode: **extractive**, quoting the law directly (no AI model is configured).")
    st.info(DISCLAIMER, icon=":material/balance:")
