"""Export the conversation (Markdown or PDF) to bring to an advocate or a lawyer, personal details removed."""

from __future__ import annotations

from datetime import date

import streamlit as st

from workrights.export import Turn, export_filename, export_markdown, export_pdf
from workrights.ui.session import ChatTurn
from workrights.ui.sidebar import Choices

__all__ = ["render_export"]


def render_export(conversation: list[ChatTurn], choices: Choices, today: date | None = None) -> None:
    answered = [Turn(t.question, t.answer) for t in conversation if t.answer is not None]
    if not answered:
        return
    today = today or date.today()
    st.markdown("**Save this conversation**")
    redact = st.checkbox(
        "Remove personal details", value=True, key="export-redact",
        help="Social Security, card and account numbers, emails, phone numbers, dates of birth and health details you typed.",
    )
    options = {"exported": today, "state": choices.state, "role": choices.role, "redact": redact}
    markdown = export_markdown(answered, **options)
    left, right = st.columns(2)
    left.download_button("Markdown", markdown, file_name=export_filename(today, "md"), mime="text/markdown", key="export-md", icon=":material/download:")
    # The PDF is drawn only when asked for (a callable is run on click).
    right.download_button("PDF", lambda: export_pdf(answered, **options), file_name=export_filename(today, "pdf"), mime="application/pdf", key="export-pdf", icon=":material/picture_as_pdf:")
    with st.expander("Preview what you will share"):
        with st.container(key="export-preview"):
            st.markdown(markdown)
