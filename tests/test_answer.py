"""ask(): cited extractive answers, honest 'not found', and guardrails that fail closed."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from guardrails.output import check_output, verify_citation
from workrights.answer import Assistant
from workrights.errors import WorkrightsError
from workrights.schema import Answer, Citation

CONTRACT_KEYS = {"answer", "mode", "citations", "escalation", "refused", "refusal_reason", "as_of", "timings_ms"}


def test_fmla_weeks_answer_is_cited_to_2612(assistant: Assistant) -> None:
    answer = assistant.ask("How many weeks of FMLA leave can I take?")
    assert not answer.refused and answer.mode == "extractive"
    assert "12 workweeks" in answer.answer
    cites = [c.cite for c in answer.citations]
    assert any(c.startswith("29 U.S.C. § 2612") for c in cites)
    assert "not legal advice" in answer.answer
    assert re.match(r"\d{4}-\d{2}-\d{2}$", answer.as_of)


def test_every_marker_maps_to_a_citation_quoted_from_a_retrieved_chunk(assistant: Assistant) -> None:
    question = "Can my employer fire me for complaining about discrimination?"
    answer = assistant.ask(question)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers and markers == {c.n for c in answer.citations}
    hits = assistant.retriever.search(question, k=assistant.settings.top_k)
    support = [h for c in answer.citations if (h := assistant.retriever.find_cited(c.cite))]
    assert all(verify_citation(c, [*hits, *support]) for c in answer.citations)


def test_json_shape_is_the_contract(assistant: Assistant) -> None:
    data = assistant.ask("What is the federal minimum wage?").to_dict()
    assert set(data) == CONTRACT_KEYS
    assert set(data["citations"][0]) == {"n", "cite", "title", "url", "chunk_id", "quote"}
    assert set(data["escalation"]) == {"level", "reasons", "contacts", "deadlines"}
    assert set(data["timings_ms"]) == {"guard", "retrieve", "generate", "total"}
    assert "$7.25" in data["answer"]


@pytest.mark.parametrize("question", ["What is the capital of France?", "How do I bake sourdough bread?"])
def test_out_of_scope_questions_get_a_short_polite_refusal(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.citations
    assert "US employment law" in answer.answer and len(answer.answer) < 200


def test_work_question_the_kb_cannot_answer_gets_no_guess(make_settings, embedder, kb_settings) -> None:
    from workrights.answer import build_assistant
    from workrights.retrieve import Retriever
    from workrights.store import open_store

    settings = make_settings(WORKRIGHTS_KB_DIR=str(kb_settings.kb_dir))
    store = open_store(settings, embedder)
    assistant = build_assistant(settings, Retriever(store))
    answer = assistant.ask("Does my employer have to give me paid jury duty leave?")
    assert not answer.citations and "could not find" in answer.answer
    assert answer.escalation.level == "refer" and answer.escalation.contacts
    assert all(c.phone in answer.answer for c in answer.escalation.contacts)


def test_roles_change_the_framing_not_the_law(assistant: Assistant) -> None:
    employee = assistant.ask("Does the ADEA protect me at 45?", role="employee")
    hr = assistant.ask("Does the ADEA protect me at 45?", role="hr")
    assert employee.answer.splitlines()[0] != hr.answer.splitlines()[0]
    assert {c.cite for c in employee.citations} == {c.cite for c in hr.citations}
    with pytest.raises(WorkrightsError, match="Role"):
        assistant.ask("x", role="boss")


def test_empty_and_oversized_questions_are_refused_clearly(assistant: Assistant) -> None:
    empty = assistant.ask("   ")
    assert empty.refused and "empty" in (empty.refusal_reason or "")
    huge = assistant.ask("overtime " * 1000)
    assert huge.refused and "shorten" in (huge.refusal_reason or "")


def test_input_guardrail_error_fails_closed(assistant: Assistant) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("classifier down")

    answer = replace(assistant, check_input=broken).ask("How many weeks of FMLA leave can I take?")
    assert answer.refused and not answer.citations
    assert "988" in answer.answer and answer.escalation.level == "refer"


def test_output_guardrail_error_fails_closed(assistant: Assistant) -> None:
    def broken(answer: Answer, hits: object) -> Answer:
        raise ValueError("verifier crashed")

    answer = replace(assistant, check_output=broken).ask("How many weeks of FMLA leave can I take?")
    assert answer.refused and "12 workweeks" not in answer.answer


def test_output_check_drops_fabricated_citations(assistant: Assistant) -> None:
    question = "How many weeks of FMLA leave can I take?"
    hits = assistant.retriever.search(question, k=5)
    good = assistant.ask(question)
    hits = [*hits, *(h for c in good.citations if (h := assistant.retriever.find_cited(c.cite)))]
    real = good.citations[0]
    invented = [
        Citation(90, "29 U.S.C. § 9999", real.title, real.url, real.chunk_id, real.quote),  # cite not in chunk
        Citation(91, real.cite, real.title, real.url, "nowhere:0:0", real.quote),  # chunk not retrieved
        Citation(92, real.cite, real.title, real.url, real.chunk_id, "You get 52 weeks of paid leave."),  # misquote
    ]
    text = good.answer + "\n- Invented one [90]\n- Invented two [91]\n- Invented three [92]\n- Unbacked [93]"
    checked = check_output(replace(good, answer=text, citations=good.citations + invented), hits)
    assert "Invented" not in checked.answer and "Unbacked" not in checked.answer
    assert [c.cite for c in checked.citations] == [c.cite for c in good.citations]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", checked.answer)} == {c.n for c in checked.citations}
