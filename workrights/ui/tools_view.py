"""The tools beside the chat: the filing-deadline calculator and the coverage checker.

Inputs are plain form fields; the answers come from ``workrights.tools`` (the guardrails' own rules), each
line with its citation card.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from guardrails.coverage import Facts
from workrights.answer import Assistant
from workrights.state_facts import StateFacts
from workrights.tools import ToolLine, ToolResult, coverage_laws, coverage_tool, deadline_rules, deadline_tool
from workrights.ui.answer_view import render_card

__all__ = ["render_tools"]

_STATUS = {
    "covered": ("Covers you", ":material/check_circle:"),
    "not_covered": ("Probably does not cover you", ":material/cancel:"),
    "unknown": ("Need more facts", ":material/help:"),
}


def render_tools(assistant: Assistant, state: StateFacts | None, today: date) -> None:
    deadline_tab, coverage_tab = st.tabs(["Filing deadline", "Does the law cover me?"])
    with deadline_tab:
        _deadline_calculator(assistant, state, today)
    with coverage_tab:
        _coverage_checker(assistant, state)


def _lines(lines: list[ToolLine]) -> str:
    return "\n".join(f"- {line.text}" + (f" [{line.n}]" if line.n else "") for line in lines)


def _cards(key: str, result: ToolResult, as_of: str) -> None:
    for c in result.citations:
        render_card(key, c, as_of)


def _deadline_calculator(assistant: Assistant, state: StateFacts | None, today: date) -> None:
    rules = deadline_rules(assistant.settings.kb_dir, state)
    where = f" in {state.name}" if state else " (choose your state in the sidebar to settle 180 or 300 days)"
    with st.form("deadline-form", border=False):
        rule = st.selectbox("What do you want to file?", rules, format_func=lambda r: r.claim, key="deadline-rule")
        event = st.date_input(
            "When did it happen (the firing, the last act, the notice)?",
            value=today, min_value=today - timedelta(days=365 * 5), max_value=today, key="deadline-event", format="MM/DD/YYYY",
        )
        go = st.form_submit_button("Count the days")
    st.caption(f"Deadlines{where}. Counting starts from the date of the event.")
    if not go or rule is None:
        return
    result, out = deadline_tool(rule, event, today, assistant.retriever, state.code if state else None)
    with st.container(key="deadline-result"):
        if result.days_left is not None and result.last_day is not None:
            left = "passed: contact the agency now" if result.days_left < 0 else f"{result.days_left} days left"
            st.metric(f"Last day: {result.last_day:%B %-d, %Y}", left)
        st.markdown(_lines(out.lines))
        _cards("deadline", out, assistant.directory.as_of)


def _coverage_checker(assistant: Assistant, state: StateFacts | None) -> None:
    laws = coverage_laws(assistant.settings.kb_dir)
    with st.form("coverage-form", border=False):
        chosen = st.multiselect("Laws", list(laws), default=list(laws), format_func=laws.get, key="coverage-laws")
        employees = st.number_input("How many employees does your employer have?", min_value=0, value=None, step=1, key="coverage-employees")
        age = st.number_input("Your age (for age discrimination)", min_value=14, max_value=110, value=None, step=1, key="coverage-age")
        months = st.number_input("Months you have worked there", min_value=0, value=None, step=1, key="coverage-months")
        hours = st.number_input("Hours you worked in the last 12 months", min_value=0, max_value=8784, value=None, step=10, key="coverage-hours")
        site = st.radio("50 or more employees within 75 miles of your worksite?", ["Not sure", "Yes", "No"], horizontal=True, key="coverage-site")
        go = st.form_submit_button("Check coverage")
    if not go:
        return
    facts = Facts(
        employees=int(employees) if employees is not None else None,
        age=int(age) if age is not None else None,
        months=float(months) if months is not None else None,
        hours_year=int(hours) if hours is not None else None,
        worksite_50={"Yes": True, "No": False}.get(site),
    )
    out = coverage_tool(facts, chosen, assistant.settings.kb_dir, assistant.retriever, state)
    with st.container(key="coverage-result"):
        for note, lines in out.notes:
            label, icon = _STATUS.get(note.status, _STATUS["unknown"])
            text = f"**{note.law}: {label}** {icon}\n" + _lines(lines)
            if note.missing:
                text += "\n- To be sure, I need: " + "; ".join(note.missing) + "."
            st.markdown(text)
        _cards("coverage", out, assistant.directory.as_of)
