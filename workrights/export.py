"""Export a session's conversation as Markdown or PDF, for a worker to bring to an advocate or lawyer.

Both formats carry the same content: the Markdown is the document and the PDF is drawn from it
(``workrights.markdown_pdf``), so the two downloads cannot disagree. Personal details the worker typed
are redacted by default (``guardrails.pii``). The law itself is kept intact, because a lawyer needs it:
citations, quotes and dates are not personal data, and agency phone numbers are rendered from the
answer's ``Contact`` objects and shielded from the phone-number redaction inside the answer text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from guardrails import pii
from workrights.markdown_pdf import render_pdf
from workrights.schema import Answer, Citation, Contact, Deadline
from workrights.state_facts import STATES, TERRITORIES

__all__ = ["Turn", "DISCLAIMER", "export_markdown", "export_pdf", "export_filename"]

DISCLAIMER = "General information about US employment law, not legal advice."
TITLE = "workrights: conversation export"
_REDACTED_NOTE = (
    "Personal details (Social Security, phone, card and bank numbers, emails, birth dates and health "
    "details) were removed from this export."
)
_NOT_REDACTED_NOTE = "Personal details were NOT removed: this export shows the questions exactly as typed."
_EMPTY = "No questions yet: ask a question first, then export the conversation."
# Characters that would turn a worker's text into Markdown markup (emphasis, raw HTML, code).
_MD_SPECIAL = re.compile(r"([\\`*_<>])")
_HOLD = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Turn:
    """One exchange of the conversation: what the worker asked and what ``ask()`` answered."""

    question: str
    answer: Answer


def export_filename(exported: date, ext: str) -> str:
    """``workrights-2026-11-24.md`` for ``ext`` "md" (or ".md")."""
    ext = ext.lstrip(".")
    if not re.fullmatch(r"[A-Za-z0-9]{1,8}", ext):
        raise ValueError(f"export file extension {ext!r} is not a plain extension such as 'md' or 'pdf'")
    return f"workrights-{exported.isoformat()}.{ext.lower()}"


def export_markdown(
    turns: Sequence[Turn], *, exported: date, state: str | None, role: str, redact: bool = True
) -> str:
    """The whole conversation as one Markdown document (see the module docstring for what is redacted)."""
    lines = _header(exported, state, role, redact, len(turns))
    if not turns:
        lines += ["## No questions yet", "", _EMPTY, ""]
    for n, turn in enumerate(turns, 1):
        lines += _turn(n, turn, state, redact)
    return "\n".join(lines).rstrip() + "\n"


def export_pdf(
    turns: Sequence[Turn], *, exported: date, state: str | None, role: str, redact: bool = True
) -> bytes:
    """The same document as ``export_markdown``, as a PDF."""
    markdown = export_markdown(turns, exported=exported, state=state, role=role, redact=redact)
    return render_pdf(markdown, title=TITLE, footer=DISCLAIMER, created=exported)


# -- the document ------------------------------------------------------------------------------------


def _header(exported: date, state: str | None, role: str, redact: bool, count: int) -> list[str]:
    return [
        "# workrights: conversation export",
        "",
        f"**{DISCLAIMER}** For advice about your own situation, contact the agency named below or an employment lawyer.",
        "",
        f"- **Exported:** {exported.isoformat()}",
        f"- **State:** {_state_label(state)}",
        f"- **Role:** {_escape(role)}",
        f"- **Questions:** {count}",
        f"- {_REDACTED_NOTE if redact else _NOT_REDACTED_NOTE}",
        "",
        "---",
        "",
    ]


def _state_label(state: str | None) -> str:
    if not state:
        return "none selected (federal law only)"
    code = state.strip().upper()
    name = (STATES | TERRITORIES).get(code)
    return f"{name} ({code})" if name else _escape(code)


def _turn(n: int, turn: Turn, state: str | None, redact: bool) -> list[str]:
    answer = turn.answer
    question = pii.redact(turn.question).text if redact else turn.question
    body = _redact_answer(answer) if redact else answer.answer
    lines = [f"## Question {n}", "", *_quoted(question), ""]
    used = _state_used(answer, state)
    if used:
        lines += [used, ""]
    lines += ["### Answer", "", *_demote_headings(body), ""]
    lines += _citations(answer.citations, answer.as_of)
    lines += _deadlines(answer.escalation.deadlines)
    lines += _contacts(answer.escalation.contacts)
    return [*lines, "---", ""]


def _quoted(text: str) -> list[str]:
    return [f"> {_escape(line)}".rstrip() for line in (text.strip() or "(empty question)").splitlines()]


def _state_used(answer: Answer, state: str | None) -> str:
    """Said only when the answer used another state than the export's (one named in the question)."""
    if not answer.state or answer.state == (state or "").upper():
        return ""
    how = " (named in the question)" if answer.state_source == "detected" else ""
    return f"*State law used for this answer: {_state_label(answer.state)}{how}.*"


def _demote_headings(body: str) -> list[str]:
    # The answer sits under "### Answer": its own headings must not outrank the question's.
    return [re.sub(r"^#{1,6}\s+", "#### ", line) for line in body.strip().splitlines()]


def _citations(citations: Sequence[Citation], as_of: str) -> list[str]:
    if not citations:
        return []
    lines = ["### Citations", ""]
    if as_of:
        lines += [f"Law as of {as_of}.", ""]
    for c in citations:
        lines.append(f"{c.n}. **{_escape(c.cite)}**: {_escape(c.title)}")
        if c.url:
            lines.append(f"   <{c.url}>")
        if c.quote:
            lines.append(f"   > {_escape(c.quote)}")
    return [*lines, ""]


def _deadlines(deadlines: Sequence[Deadline]) -> list[str]:
    if not deadlines:
        return []
    lines = ["### Deadlines", "", "| Claim | Days | Cite | Last day | Days left |", "|---|---|---|---|---|"]
    for d in deadlines:
        last = d.last_day or "not known (no date given)"
        left = "" if d.days_left is None else str(d.days_left)
        lines.append(f"| {_cell(d.claim)} | {d.days} | {_cell(d.cite)} | {last} | {left} |")
    return [*lines, ""]


def _contacts(contacts: Sequence[Contact]) -> list[str]:
    if not contacts:
        return []
    lines = ["### Agency contacts", ""]
    for c in contacts:
        parts = [p for p in (c.phone, c.url) if p]
        lines.append(f"- **{_escape(c.name)}**: {', '.join(parts)}")
    return [*lines, ""]


def _escape(text: str) -> str:
    """Plain text into Markdown: no emphasis, HTML or link syntax of its own."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("](", "]\\(")


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|")


# -- redaction of the answer text -------------------------------------------------------------------


def _redact_answer(answer: Answer) -> str:
    """The answer text with personal data removed, but the law it quotes and the agencies' numbers intact.

    Kept: the contacts' phone numbers, the citations, and whatever the redactor would take out of the
    cited passages themselves (a state agency's local number, a condition the law names such as
    "miscarriage"): those come from the knowledge base, not from the worker.
    """
    keep = {c.phone for c in answer.escalation.contacts if c.phone}
    keep.update(c.cite for c in answer.citations)
    keep.update(d.cite for d in answer.escalation.deadlines)
    for c in answer.citations:
        keep.update(original for _, original in pii.redact(c.quote).found)
    return _redact_keeping(answer.answer, sorted((k for k in keep if k.strip()), key=len, reverse=True))


def _redact_keeping(text: str, keep: Sequence[str]) -> str:
    if not keep:
        return pii.redact(text).text
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return f"\ue000{len(held) - 1}\ue001"

    masked = re.sub("|".join(re.escape(k) for k in keep), hold, text, flags=re.IGNORECASE)
    return _HOLD.sub(lambda m: held[int(m.group(1))], pii.redact(masked).text)
