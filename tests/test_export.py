"""Conversation export: real answers to Markdown and PDF, the law kept intact, the worker's personal data gone."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from workrights.answer import Assistant
from workrights.export import DISCLAIMER, Turn, export_filename, export_markdown, export_pdf
from workrights.markdown_pdf import inline_runs, render_pdf, to_latin1
from workrights.schema import Answer, Citation, Contact, Escalation

TODAY = date(2026, 11, 24)
FIRED = (
    "I was fired on 2026-11-02 after complaining about harassment. My SSN is 123-45-6789, "
    "email jo@example.com, call me at 415-555-0100"
)
ARIZONA = (
    "My manager keeps making racist comments. Where do I file a discrimination complaint in Arizona? "
    "SSN 123456789, or call 4155550199"
)
PII = ["123-45-6789", "123456789", "jo@example.com", "415-555-0100", "4155550199", "555-0100"]


@pytest.fixture(scope="module")
def turns(assistant: Assistant) -> list[Turn]:
    fixed = replace(assistant, today=lambda: TODAY)
    return [Turn(FIRED, fixed.ask(FIRED)), Turn(ARIZONA, fixed.ask(ARIZONA, state="AZ"))]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_links(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    links = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                links.add(str(action["/URI"]))
    return links


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_answers_carry_what_the_export_must_keep(turns: list[Turn]) -> None:
    # Preconditions: a dated deadline, citations, the EEOC, and a state agency's non-toll-free number.
    fired, arizona = (t.answer for t in turns)
    assert fired.citations and any(d.last_day for d in fired.escalation.deadlines)
    assert any(c.phone == "1-800-669-4000" for c in fired.escalation.contacts)
    assert any(not c.phone.startswith("1-8") for c in arizona.escalation.contacts)


def test_markdown_export_has_every_part_and_no_personal_data(turns: list[Turn]) -> None:
    md = export_markdown(turns, exported=TODAY, state=None, role="advocate")
    assert "2026-11-24" in md and "advocate" in md and DISCLAIMER in md
    assert "personal details" in md.lower() and "removed" in md
    assert "## Question 1" in md and "## Question 2" in md
    sections = md.split("\n## Question ")[1:]
    assert len(sections) == len(turns)
    for turn, section in zip(turns, sections):
        for c in turn.answer.citations:
            assert c.cite in section and c.url in section and flat(c.quote) in flat(section)
        for d in turn.answer.escalation.deadlines:
            assert d.cite in section and (d.last_day or "not known") in section
        for contact in turn.answer.escalation.contacts:
            assert contact.name in section
            # the answer text's own mention survives too, not only the contacts list
            assert section.count(contact.phone) == turn.answer.answer.count(contact.phone) + 1
        assert f"Law as of {turn.answer.as_of}" in section
    assert "1-800-669-4000" in md
    assert "Arizona (AZ)" in md  # the second answer used another state than the export's
    for secret in PII:
        assert secret not in md
    assert "[SSN]" in md and "[EMAIL]" in md and "[PHONE]" in md


def test_pdf_export_has_the_same_content_readable_and_linked(turns: list[Turn]) -> None:
    data = export_pdf(turns, exported=TODAY, state=None, role="advocate")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "2026-11-24" in text and DISCLAIMER in text and "Question 2" in text
    links = pdf_links(data)
    for turn in turns:
        for c in turn.answer.citations:
            assert c.cite in text and c.url in links
        for d in turn.answer.escalation.deadlines:
            assert d.cite in text and (d.last_day or "not known") in text
        for contact in turn.answer.escalation.contacts:
            assert contact.phone in text
    assert "1-800-669-4000" in text and "§" in text
    assert "*" not in text  # emphasis is drawn as bold and italic, not as asterisks
    assert "This looks time-sensitive" in text
    for secret in PII:
        assert secret not in text


def test_answer_text_loses_personal_data_but_keeps_the_law_and_agency_numbers() -> None:
    quote = "Report it to HR at hr@northwind.example; the PWFA covers miscarriage (42 U.S.C. § 2000gg(4))."
    answer = Answer(
        answer="Jo (jo@example.com, 415-555-0100, SSN 123-45-6789) can report to hr@northwind.example. "
        "The PWFA covers miscarriage [1]. Call the Arizona agency at 602-542-5263.",
        citations=[Citation(1, "42 U.S.C. § 2000gg(4)", "PWFA", "https://www.eeoc.gov/", "c:0", quote)],
        escalation=Escalation(contacts=[Contact("Arizona Civil Rights Division", "602-542-5263", "https://www.azag.gov")]),
    )
    md = export_markdown([Turn("After my miscarriage, what now?", answer)], exported=TODAY, state="AZ", role="employee")
    body = md.split("### Answer", 1)[1].split("### Citations", 1)[0]
    assert "jo@example.com" not in md and "415-555-0100" not in md and "123-45-6789" not in md
    assert "hr@northwind.example" in body and "covers miscarriage" in body and "602-542-5263" in body
    assert "After my [HEALTH CONDITION]" in md  # the worker's own words are still redacted


def test_without_redaction_the_questions_are_kept_as_typed(turns: list[Turn]) -> None:
    md = export_markdown(turns, exported=TODAY, state="AZ", role="employee", redact=False)
    assert FIRED in md and "jo@example.com" in md
    assert "NOT removed" in md
    text = pdf_text(export_pdf(turns, exported=TODAY, state="AZ", role="employee", redact=False))
    assert "123-45-6789" in text and "415-555-0100" in text


def test_an_empty_conversation_exports_a_clear_document() -> None:
    md = export_markdown([], exported=TODAY, state="CA", role="employee")
    assert "No questions yet" in md and "California (CA)" in md and DISCLAIMER in md
    text = pdf_text(export_pdf([], exported=TODAY, state="CA", role="employee"))
    assert "No questions yet" in text and DISCLAIMER in text


def test_the_worker_cannot_inject_markup_into_the_export() -> None:
    answer = Answer(answer="Plain answer. [1]", citations=[Citation(1, "29 U.S.C. § 207(a)(1)", "FLSA", "https://www.dol.gov/", "c:0", "q")])
    md = export_markdown([Turn("see [this](https://evil.example) <script>x</script> **now**", answer)], exported=TODAY, state=None, role="employee")
    assert "<script>" not in md and "](https://evil" not in md and "**now**" not in md
    data = export_pdf([Turn("see [this](https://evil.example)", answer)], exported=TODAY, state=None, role="employee")
    assert "[this](https://evil.example)" in pdf_text(data)  # shown as typed, not as a link named "this"


def test_typography_outside_latin1_is_mapped_for_the_pdf_fonts() -> None:
    body = "Pay \u2014 overtime \u2013 \u2018a\u2019 \u201cb\u201d wait\u2026 \u2022 item \u258c x \u2265 40 \u2264 8\u00a0h\u202fok \u4e2d \u00a7 2"
    assert to_latin1(body) == "Pay - overtime - 'a' \"b\" wait... - item | x >= 40 <= 8 h ok ? \u00a7 2"
    answer = Answer(answer=body, escalation=Escalation(contacts=[Contact("Agency \u2014 East", "1-866-487-9243", "https://www.dol.gov/agencies/whd")]))
    text = pdf_text(export_pdf([Turn("Caf\u00e9 \u201cshift\u201d pay?", answer)], exported=TODAY, state=None, role="hr"))
    assert "Pay - overtime - 'a' \"b\" wait..." in text and ">= 40" in text and "\u00a7 2" in text
    assert 'Caf\u00e9 "shift" pay?' in text and "Agency - East" in text


def test_inline_markdown_becomes_styled_runs_without_markers() -> None:
    runs = inline_runs("**Bold** and *italic* see [EEOC](https://www.eeoc.gov) or <https://www.dol.gov>; 5 \\* 3")
    assert "".join(r.text for r in runs) == "Bold and italic see EEOC or https://www.dol.gov; 5 * 3"
    assert [r.style for r in runs if r.text in ("Bold", "italic")] == ["B", "I"]
    assert {r.link for r in runs if r.link} == {"https://www.eeoc.gov", "https://www.dol.gov"}


def test_pdf_renderer_draws_tables_lists_and_long_text_across_pages() -> None:
    md = "# Title\n\n| A | Days |\n|---|---|\n| x | 180 |\n\n" + "\n".join(f"- item {i} " + "word " * 40 for i in range(60))
    data = render_pdf(md, title="t", footer="footer line", created=TODAY)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    text = pdf_text(data)
    assert "Days" in text and "180" in text and "item 59" in text and "|" not in text


def test_export_filename() -> None:
    assert export_filename(TODAY, "md") == "workrights-2026-11-24.md"
    assert export_filename(TODAY, ".PDF") == "workrights-2026-11-24.pdf"
    with pytest.raises(ValueError):
        export_filename(TODAY, "../x")


def test_markdown_and_pdf_are_reproducible(turns: list[Turn]) -> None:
    args = dict(exported=TODAY, state=None, role="employee")
    assert export_markdown(turns, **args) == export_markdown(turns, **args)
    assert re.sub(rb"/ID \[[^\]]*\]", b"", export_pdf(turns, **args)) == re.sub(rb"/ID \[[^\]]*\]", b"", export_pdf(turns, **args))
