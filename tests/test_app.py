"""The app, driven by Streamlit's AppTest against the real KB store: answers, cards, banners, tools, uploads, export."""

from __future__ import annotations

import io
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

ZEPHYR = b"""# Zephyr Freight Employee Handbook

## Family leave
Zephyr Freight gives eligible employees up to 8 workweeks of unpaid family and medical leave (FMLA leave) in a
12-month period. Employees must have worked for Zephyr Freight for 12 months to be eligible.
"""


@pytest.fixture
def app(kb_store, kb_settings, tmp_path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(kb_settings.data_dir))
    monkeypatch.setenv("WORKRIGHTS_FEEDBACK_FILE", str(tmp_path / "feedback.sqlite"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    return at


def _text(node) -> str:
    return "\n".join(m.value for m in node.markdown)


def _button(at: AppTest, label: str):
    return next(b for b in at.get("button") if getattr(b, "label", "") == label)


def _ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def test_question_gets_a_cited_answer_with_its_source_card(app: AppTest) -> None:
    _ask(app, "How many weeks of FMLA leave can I take?")
    answer = app.get_by_key("answer-0")
    assert "12 workweeks" in _text(answer) and "[1]" in _text(answer)
    card = app.get_by_key("card-0-1")
    assert "29 U.S.C. § 2612" in _text(card) and "Law as of 20" in card.caption[0].value
    assert "uscode.house.gov" in card.caption[0].value or "http" in card.caption[0].value
    app.run()  # a rerun (any click) keeps the conversation
    assert "12 workweeks" in _text(app.get_by_key("answer-0"))


def test_clicking_a_marker_shows_its_card(app: AppTest) -> None:
    _ask(app, "How many weeks of FMLA leave can I take?")
    sources = app.pills(key="sources-0")
    assert len(sources.options) >= 2
    sources.set_value(2).run()
    card = app.get_by_key("card-0-2")
    assert sources.options[1].split("] ", 1)[1] in _text(card)
    with pytest.raises(KeyError):
        app.get_by_key("card-0-1")


def test_follow_up_question_uses_the_conversation(app: AppTest) -> None:
    _ask(app, "What is the minimum wage in Ohio?")
    _ask(app, "and what about overtime?")
    second = _text(app.get_by_key("answer-1"))
    assert "Ohio" in second  # the state named in the earlier turn carries over


def test_disclaimer_is_always_shown(app: AppTest) -> None:
    assert any("not legal advice" in i.value for i in app.sidebar.info)


def test_crisis_message_shows_the_crisis_banner_above_everything(app: AppTest) -> None:
    _ask(app, "I was fired today and I don't want to live anymore. I have pills and I want to end it.")
    nodes = [n for n in app.main if getattr(n, "key", None) in ("crisis-banner", "answer-0")]
    assert [n.key for n in nodes] == ["crisis-banner", "answer-0"]
    banner = app.get_by_key("crisis-banner").error[0].value
    assert "988" in banner and "911" in banner
    assert "988" not in _text(app.get_by_key("answer-0"))  # said once, at the top


def test_urgent_answer_shows_the_countdown_and_the_agency(app: AppTest) -> None:
    _ask(app, "I was fired on 2026-10-20 after I complained about racial harassment. What can I do?")
    urgent = app.get_by_key("urgent-0")
    assert "time-sensitive" in urgent.warning[0].value
    metric = urgent.metric[0]
    assert "days left" in metric.value and "EEOC" in metric.label
    answer = app.get_by_key("answer-0")
    assert "1-800-669-4000" in _text(answer)


def test_switching_the_state_changes_the_answer(app: AppTest) -> None:
    _ask(app, "What is the minimum wage?")
    assert "In California" not in _text(app.get_by_key("answer-0"))
    app.selectbox(key="state").set_value("CA").run()
    _ask(app, "What is the minimum wage?")
    second = _text(app.get_by_key("answer-1"))
    assert "In California" in second and "Cal. Lab. Code" in second


def test_each_card_shows_its_own_passage_date(app: AppTest) -> None:
    app.selectbox(key="state").set_value("CA").run()
    _ask(app, "What is the minimum wage?")
    sources = app.pills(key="sources-0")
    dates = {}
    for label in sources.options:
        number = int(label[1 : label.index("]")])
        app.pills(key="sources-0").set_value(number).run()
        dates[label] = app.get_by_key(f"card-0-{number}").caption[0].value
    state_cards = [d for d in dates.values() if "ca.gov" in d]
    federal_cards = [d for d in dates.values() if "ca.gov" not in d]
    assert state_cards and all("Law as of 2026-01-01" in d for d in state_cards)  # the state facts' own date
    assert federal_cards and all("Law as of 2026-11-23" in d for d in federal_cards)  # not the answer's oldest date


def test_switching_the_role_changes_the_answer(app: AppTest) -> None:
    _ask(app, "How many weeks of FMLA leave can I take?")
    assert "in plain words" in _text(app.get_by_key("answer-0"))
    app.radio(key="role").set_value("advocate").run()
    _ask(app, "How many weeks of FMLA leave can I take?")
    assert "with their citations" in _text(app.get_by_key("answer-1"))


def test_uploaded_policy_is_cited_and_its_gap_pointed_out(app: AppTest) -> None:
    app.file_uploader(key="policy-files").set_value(("zephyr.md", ZEPHYR, "text/markdown")).run()
    assert not app.exception
    status = app.get_by_key("policy-status")
    assert "zephyr.md" in status.success[0].value and "1 passage indexed" in status.success[0].value
    _ask(app, "How many weeks of family leave does our Zephyr Freight policy give, and is that enough under FMLA?")
    answer = app.get_by_key("answer-0")
    pills = app.pills(key="sources-0").options
    assert any("Zephyr Freight Employee Handbook" in o for o in pills)
    assert any("2612(a)(1)" in o for o in pills)
    assert "falls below the law" in _text(answer)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("payroll.exe", b"MZ\x90\x00 not a policy", ("payroll.exe", ".md", ".pdf", ".docx")),
        ("handbook.pdf", b"# actually markdown\n\nsome text", ("handbook.pdf", "PDF")),
        ("empty.md", b"", ("empty.md", "empty")),
    ],
)
def test_bad_upload_is_refused_clearly(app: AppTest, name: str, data: bytes, words: tuple[str, ...]) -> None:
    app.file_uploader(key="policy-files").set_value((name, data, "application/octet-stream")).run()
    assert not app.exception
    errors = app.get_by_key("policy-status").error
    assert len(errors) == 1 and all(w in errors[0].value for w in words)
    assert not app.get_by_key("policy-status").success


def test_oversized_upload_is_refused(kb_store, kb_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(kb_settings.data_dir))
    monkeypatch.setenv("WORKRIGHTS_UPLOAD_MAX_MB", "1")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.file_uploader(key="policy-files").set_value(("big.md", b"# Big\n\n" + b"word " * 300_000, "text/markdown")).run()
    error = at.get_by_key("policy-status").error[0].value
    assert "big.md" in error and "1 MB" in error


def test_export_has_the_citations_and_no_ssn(app: AppTest) -> None:
    _ask(app, "I was fired on 2026-11-02 after complaining about harassment. My SSN is 123-45-6789, email jo@example.com.")
    preview = _text(app.get_by_key("export-preview"))
    cites = app.pills(key="sources-0").options
    assert cites and all(o.split("] ", 1)[1] in preview for o in cites)
    assert "123-45-6789" not in preview and "jo@example.com" not in preview
    assert "2000e-5(e)(1)" in preview and "1-800-669-4000" in preview
    labels = [b.label for b in app.sidebar.get("download_button")]
    assert labels == ["Markdown", "PDF"]


def test_feedback_is_saved_with_the_question_answer_and_mode(app: AppTest, tmp_path) -> None:
    _ask(app, "How many weeks of FMLA leave can I take? My phone is 415-555-0100.")
    app.feedback(key="rating-0").set_value(1).run()
    app.text_input(key="comment-0").set_value("Clear, thanks")  # a form: the text is sent with the button
    _button(app, "Send comment").click().run()
    assert "comment were saved" in app.get_by_key("answer-0").caption[-1].value or any("comment were saved" in c.value for c in app.caption)
    rows = sqlite3.connect(tmp_path / "feedback.sqlite").execute("SELECT question, answer, mode, rating, comment FROM feedback").fetchall()
    assert len(rows) == 1
    question, answer, mode, rating, comment = rows[0]
    assert "415-555-0100" not in question and "FMLA" in question
    assert "12 workweeks" in answer and mode == "extractive" and rating == 1 and comment == "Clear, thanks"


def test_deadline_calculator_counts_and_cites(app: AppTest) -> None:
    from datetime import date, timedelta

    rule = app.selectbox(key="deadline-rule")
    rule.set_value(next(o for o in rule.options if "NLRB" in o))
    app.date_input(key="deadline-event").set_value(date.today() - timedelta(days=30))
    _button(app, "Count the days").click().run()
    result = app.get_by_key("deadline-result")
    assert "days left" in result.metric[0].value
    assert "29 U.S.C. § 160(b)" in _text(result)


def test_coverage_checker_answers_with_citations(app: AppTest) -> None:
    app.number_input(key="coverage-employees").set_value(8)
    _button(app, "Check coverage").click().run()
    result = _text(app.get_by_key("coverage-result"))
    assert "Title VII: Probably does not cover you" in result and "42 U.S.C. § 2000e(b)" in result


def test_first_run_builds_the_index(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(tmp_path / "fresh"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception and not at.error
    _ask(at, "What is the federal minimum wage?")
    assert "$7.25" in _text(at.get_by_key("answer-0"))


def test_bad_configuration_is_one_sentence_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WORKRIGHTS_TOP_K", "many")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "WORKRIGHTS_TOP_K" in at.error[0].value


@pytest.fixture
def llm_app(kb_store, kb_settings, tmp_path, monkeypatch: pytest.MonkeyPatch):
    from evals.llm_server import ScriptedLLM

    with ScriptedLLM() as server:
        monkeypatch.setenv("WORKRIGHTS_DATA_DIR", str(kb_settings.data_dir))
        monkeypatch.setenv("WORKRIGHTS_FEEDBACK_FILE", str(tmp_path / "feedback.sqlite"))
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("WORKRIGHTS_LLM_MODEL", "scripted")
        monkeypatch.setenv("WORKRIGHTS_LLM_RETRIES", "0")
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.run()
        assert not at.exception
        yield at, server


def test_llm_mode_answers_and_follows_up(llm_app) -> None:
    at, server = llm_app
    assert any("scripted" in c.value for c in at.sidebar.caption)
    _ask(at, "Am I eligible for FMLA leave?")
    assert "[1]" in _text(at.get_by_key("answer-0"))
    _ask(at, "what if I only work part-time?")
    final = server.chat_requests[-1]["messages"]
    assert [m["role"] for m in final] == ["system", "user", "assistant", "user"]
    assert "Am I eligible for FMLA leave?" in final[1]["content"]


def test_llm_fault_shows_a_notice_not_a_traceback(llm_app) -> None:
    at, server = llm_app
    server.stop()  # the model server goes away mid-session
    _ask(at, "How many weeks of FMLA leave can I take?")
    assert not at.error
    text = _text(at.get_by_key("answer-0"))
    assert "AI answer is unavailable" in text and "12 workweeks" in text
