"""workrights web app: ask about your rights at work and read a cited answer, with tools beside the chat.

Run with `make run` (serves http://127.0.0.1:8501). This file only lays the page out; the pieces are in
``workrights.ui`` and every answer, deadline and coverage line comes from the core.
"""

from __future__ import annotations

import streamlit as st

from workrights.errors import WorkrightsError
from workrights.settings import Settings
from workrights.ui import session
from workrights.ui.answer_view import crisis_text, render_crisis_banner
from workrights.ui.chat import answer_question, passage_dates, render_history
from workrights.ui.export_view import render_export
from workrights.ui.feedback_view import feedback_renderer
from workrights.ui.policy_view import render_policy_upload
from workrights.ui.setup import ready_assistant
from workrights.ui.sidebar import render_choices, render_mode
from workrights.ui.tools_view import render_tools
from workrights.ui.welcome import render_welcome

PROMPT = "Ask about your rights at work, e.g. Can I get fired for asking about my pay?"


def main() -> None:
    st.set_page_config(page_title="workrights: your rights at work", page_icon="⚖️", layout="wide")
    top = st.container()  # the crisis banner goes here, above everything
    st.title("workrights")
    st.caption("Know your rights at work, with every answer cited to the law. General information, not legal advice.")
    with st.sidebar:
        choices = render_choices()
        mode, upload, export = st.container(), st.container(), st.container()
    try:
        settings = Settings.from_env()
        assistant = ready_assistant(settings)
    except WorkrightsError as exc:
        st.error(str(exc))
        return
    conversation = session.turns()
    with mode:
        render_mode(assistant.mode, assistant.chat.name if assistant.chat else None)
    with upload:
        policy = render_policy_upload(assistant, settings)
    chat, tools = st.columns([3, 2], gap="large")
    with tools:
        st.subheader("Tools")
        render_tools(assistant, assistant.states.get(choices.state) if choices.state else None, assistant.today())
    with chat:
        history = st.container()
        question = st.chat_input(PROMPT) or session.pop_suggestion()
        with history:
            if not conversation and not question:
                render_welcome()
            feedback, dates = feedback_renderer(settings), passage_dates(assistant, policy)
            render_history(conversation, feedback, dates)
            if question:
                answer_question(
                    assistant, question, conversation, role=choices.role, state=choices.state, policy=policy, extra=feedback, as_of=dates
                )
    # Filled last, so that an answer given in this run is already in them.
    banner = next((text for turn in reversed(conversation) if turn.answer and (text := crisis_text(turn.answer))), None)
    if banner:
        with top:
            render_crisis_banner(banner)
    with export:
        render_export(conversation, choices)


main()
