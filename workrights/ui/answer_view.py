"""One answer on screen: escalation notices first, the cited text, then the sources as cards.

The core's answer text is also the CLI's, so it carries the crisis banner and the contacts list as text.
Here those two are shown as a banner at the top of the page and as a contact card, and are taken out of
the text so that nothing is said twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import streamlit as st

from workrights.answer import ACT_SOON, LAWYER, TIME_SENSITIVE, WHO_CAN_HELP, shown_reasons
from workrights.schema import Answer, Citation, Contact

__all__ = ["AsOf", "displayed_body", "crisis_text", "render_answer", "render_crisis_banner", "render_contacts", "phone_link"]



def crisis_text(answer: Answer) -> str | None:
    """The crisis banner the core put first in a crisis answer, or None."""
    if answer.escalation.level != "crisis":
        return None
    return answer.answer.split("\n\n", 1)[0]


def displayed_body(answer: Answer) -> str:
    """The answer text without what the page shows elsewhere (crisis banner, urgent notice, contact list)."""
    text = answer.answer
    banner = crisis_text(answer)
    if banner and text.startswith(banner):
        text = text[len(banner) :].lstrip("\n")
    lines = [line for line in text.split("\n") if not (answer.escalation.level == "urgent" and line.startswith(TIME_SENSITIVE))]
    if WHO_CAN_HELP in lines:
        start = lines.index(WHO_CAN_HELP)
        end = next((j for j in range(start + 1, len(lines)) if not lines[j].startswith("- ")), len(lines))
        lines = lines[:start] + lines[end:]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def phone_link(phone: str) -> str:
    """A tap-to-call link for a phone number (the text stays as written: 'call or text 988' included)."""
    digits = re.sub(r"\D", "", phone.split(",")[0].split("(")[0])
    return f"[{phone}](tel:{digits})" if 3 <= len(digits) <= 11 else phone


def render_crisis_banner(text: str) -> None:
    with st.container(key="crisis-banner"):
        st.error(text, icon=":material/emergency:")


def render_contacts(contacts: list[Contact], level: str) -> None:
    if not contacts:
        return
    lines = [f"- **{c.name}**: " + " · ".join(x for x in (phone_link(c.phone) if c.phone else "", f"[{_site(c.url)}]({c.url})" if c.url else "") if x) for c in contacts]
    if level in ("refer", "urgent"):
        lines.append(f"- {LAWYER}")
    with st.container(border=True):
        st.markdown(WHO_CAN_HELP + "\n" + "\n".join(lines))


def _site(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _render_urgent(i: int, answer: Answer) -> None:
    counted = [d for d in answer.escalation.deadlines if d.last_day and d.days_left is not None]
    reasons = shown_reasons(answer.escalation)
    with st.container(key=f"urgent-{i}"):
        why = "; ".join(reasons).capitalize() + ". " if reasons else ""
        st.warning(f"{TIME_SENSITIVE}. {why}{ACT_SOON}", icon=":material/schedule:")
        for d in counted[:3]:
            left = "Last day passed" if d.days_left < 0 else f"{d.days_left} days left"
            last = date.fromisoformat(d.last_day)
            st.metric(f"{d.claim}: last day {last:%B %-d, %Y}", left, help=f"{d.cite}. Counted from the date you gave; check it with the agency, exceptions exist.")


AsOf = Callable[[Citation], str | None]  # a citation's own passage date, when known


def render_answer(i: int, answer: Answer, as_of: AsOf | None = None) -> None:
    """Answer number ``i`` of the session, wrapped in a container keyed ``answer-<i>``."""
    with st.container(key=f"answer-{i}"):
        if answer.escalation.level == "urgent":
            _render_urgent(i, answer)
        st.markdown(displayed_body(answer))
        contacts = [c for c in answer.escalation.contacts if "988" not in c.phone and c.phone != "911"]
        render_contacts(contacts, answer.escalation.level)
        render_sources(i, answer, as_of)


def render_sources(i: int, answer: Answer, as_of: AsOf | None = None) -> None:
    cites = answer.citations
    if not cites:
        return
    by_n = {c.n: c for c in cites}
    picked = st.pills(
        "Sources: choose a marker to see its source",
        list(by_n),
        format_func=lambda n: f"[{n}] {by_n[n].cite}",
        default=cites[0].n,
        required=True,
        key=f"sources-{i}",
    )
    card = by_n.get(picked, cites[0])
    render_card(i, card, (as_of(card) if as_of else None) or answer.as_of)
    if len(cites) > 1:
        with st.expander(f"All {len(cites)} sources"):
            st.markdown("\n".join(f"{c.n}. **{c.cite}** — {c.title}{_link(c)}" for c in cites))


def render_card(i: int | str, c: Citation, as_of: str) -> None:
    with st.container(border=True, key=f"card-{i}-{c.n}"):
        st.markdown(f"**[{c.n}] {c.cite}**  \n{c.title}")
        st.markdown("> " + c.quote.replace("\n", "\n> "))
        st.caption(f"Law as of {as_of}{_link(c, ' · ')}")


def _link(c: Citation, sep: str = " · ") -> str:
    if c.url.startswith(("http://", "https://")):
        return f"{sep}[Official source]({c.url})"
    return f"{sep}from the policy you uploaded" if c.chunk_id.startswith("company_upload") else ""
