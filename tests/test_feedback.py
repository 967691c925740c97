"""Feedback store: real SQLite files, redacted on disk, safe across threads, one clear error when it cannot save."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workrights.errors import FeedbackError, WorkrightsError
from workrights.feedback import MAX_COMMENT, Feedback, FeedbackStore, feedback_from
from workrights.schema import Answer, Citation
from workrights.settings import Settings

QUESTION = "Fired after I asked for FMLA leave. SSN 123-45-6789, jo@example.com, 415-555-0100"


def cited_answer(mode: str = "extractive", llm: dict[str, str] | None = None) -> Answer:
    cites = [
        Citation(1, "29 U.S.C. § 2615(a)(2)", "FMLA: retaliation", "https://www.dol.gov/agencies/whd/fmla", "c:0", "q"),
        Citation(2, "29 U.S.C. § 2617(c)", "FMLA: deadlines", "https://www.dol.gov/agencies/whd/fmla", "c:1", "q"),
    ]
    return Answer(answer="Your employer cannot fire you for taking FMLA leave. [1][2]", mode=mode, citations=cites, llm=llm, state="CA")


def entry(rating: int = 1, comment: str = "") -> Feedback:
    return feedback_from(QUESTION, cited_answer(), rating, comment, "employee")


def test_feedback_from_takes_the_answers_facts() -> None:
    when = datetime(2026, 11, 24, 15, 30, tzinfo=timezone.utc)
    llm = {"model": "gpt-4o-mini", "prompt_version": "answer@3f2a", "usage": "ignored"}
    fb = feedback_from(QUESTION, cited_answer("llm", llm), -1, "too vague", "advocate", now=when)
    assert (fb.mode, fb.model, fb.prompt_version, fb.rating, fb.role, fb.state) == ("llm", "gpt-4o-mini", "answer@3f2a", -1, "advocate", "CA")
    assert fb.citations == ("29 U.S.C. § 2615(a)(2)", "29 U.S.C. § 2617(c)")
    assert fb.created_at == "2026-11-24T15:30:00+00:00"
    # An extractive answer carries the model's record only when the model's text was not used.
    fallback = feedback_from(QUESTION, cited_answer("extractive", llm), 1, "", "employee")
    assert fallback.model is None and fallback.prompt_version is None


def test_record_creates_folder_and_table_and_reads_back(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "new" / "dir" / "feedback.sqlite")
    assert store.all() == [] and not store.path.exists()  # reading creates nothing
    first, second = store.record(entry(1, "clear")), store.record(entry(-1, "missed the deadline"))
    assert second > first
    rows = store.all()
    assert [(r.id, r.rating, r.comment) for r in rows] == [(first, 1, "clear"), (second, -1, "missed the deadline")]
    assert rows[0].citations == ("29 U.S.C. § 2615(a)(2)", "29 U.S.C. § 2617(c)")
    assert datetime.fromisoformat(rows[0].created_at).utcoffset().total_seconds() == 0
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_personal_data_is_redacted_on_disk(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record(entry(-1, "Wrong. Reach me at jo@example.com or 415-555-0100, SSN 123456789. I have epilepsy."))
    with sqlite3.connect(store.path) as conn:
        question, comment, citations = conn.execute("SELECT question, comment, citations FROM feedback").fetchone()
    raw = store.path.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("feedback.sqlite-*"))
    for secret in ("123-45-6789", "123456789", "jo@example.com", "415-555-0100", "epilepsy"):
        assert secret not in question and secret not in comment and secret.encode() not in raw
    assert "[SSN]" in question and "[EMAIL]" in comment and "[HEALTH CONDITION]" in comment
    assert json.loads(citations) == ["29 U.S.C. § 2615(a)(2)", "29 U.S.C. § 2617(c)"]


def test_long_comment_is_cut_and_rating_is_checked(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record(entry(1, "x" * 5000))
    assert len(store.all()[0].comment) == MAX_COMMENT
    for bad in (0, 2, True, "1"):
        with pytest.raises(ValueError, match="rating"):
            store.record(Feedback(QUESTION, "a", "extractive", None, None, bad, "", None, "employee"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rating"):
        feedback_from(QUESTION, cited_answer(), 5, "", "employee")
    with pytest.raises(ValueError, match="mode"):
        store.record(Feedback(QUESTION, "a", "magic", None, None, 1, "", None, "employee"))
    assert len(store.all()) == 1


@pytest.mark.parametrize("attempt", range(3))  # the first-use setup (WAL switch, table) is where two threads race
def test_two_threads_record_at_once_on_a_new_file(tmp_path: Path, attempt: int) -> None:
    store = FeedbackStore(tmp_path / f"feedback-{attempt}.sqlite")
    start, errors, ids = threading.Barrier(2), [], []

    def work(rating: int) -> None:
        start.wait()
        try:
            for i in range(15):
                ids.append(store.record(entry(rating, f"thread {rating} #{i}")))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(r,)) for r in (1, -1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    rows = store.all()
    assert len(rows) == 30 and len(set(ids)) == 30
    assert sum(r.rating for r in rows) == 0


def test_first_use_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    # A new file is not yet in WAL mode; switching needs it alone and SQLite says "locked" without waiting.
    path = tmp_path / "feedback.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other (a)")
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.execute, args=("COMMIT",))
    release.start()
    try:
        row_id = FeedbackStore(path).record(entry())
    finally:
        release.join()
        holder.close()
    assert row_id == 1 and len(FeedbackStore(path).all()) == 1


@pytest.mark.parametrize("junk", [b"\x00\xffnot a database" * 400, b"garbage"])
def test_a_corrupt_file_gives_one_clear_sentence(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "feedback.sqlite"
    path.write_bytes(junk)
    store = FeedbackStore(path)
    with pytest.raises(FeedbackError) as caught:
        store.record(entry())
    message = str(caught.value)
    assert isinstance(caught.value, WorkrightsError)
    assert message.startswith(f"Feedback could not be saved to {path}: ") and message.endswith("check the folder is writable.")
    assert "not a database" in message and "\n" not in message
    with pytest.raises(FeedbackError, match="could not be read from"):
        store.all()


def test_a_folder_that_cannot_be_created_gives_the_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(FeedbackError, match=r"could not be saved to .*check the folder is writable\.$"):
        FeedbackStore(blocker / "feedback.sqlite").record(entry())


def test_export_jsonl(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record(entry(1))
    store.record(entry(-1, "call 415-555-0100"))
    out = tmp_path / "evals" / "feedback.jsonl"
    assert store.export_jsonl(out) == 2
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [x["rating"] for x in lines] == [1, -1] and lines[1]["comment"] == "call [PHONE]"
    assert lines[0]["citations"] == ["29 U.S.C. § 2615(a)(2)", "29 U.S.C. § 2617(c)"]


def test_settings_put_the_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"WORKRIGHTS_DATA_DIR": str(tmp_path / "d")})
    assert settings.feedback_file == tmp_path / "d" / "feedback.sqlite"
