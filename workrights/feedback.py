"""Thumbs up/down and an optional comment per answer, kept in a local SQLite file for the evals.

What the worker typed is stored redacted (``guardrails.pii``), as the question is everywhere else.
Each call opens its own short connection: Streamlit runs every session in its own thread and a
``sqlite3`` connection must not cross threads; WAL mode lets a reader and a writer work at once and the
busy timeout queues two writers. Any storage failure becomes one ``FeedbackError`` sentence for the
caller to show beside the answer, which is never lost because feedback failed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from guardrails import pii
from workrights.errors import FeedbackError
from workrights.schema import Answer

__all__ = ["Feedback", "FeedbackStore", "feedback_from", "MAX_COMMENT", "MODES"]

MAX_COMMENT = 2000
MODES = ("extractive", "llm")
_BUSY_SECONDS = 10.0
_COLUMNS = (
    "question", "answer", "mode", "model", "prompt_version", "rating", "comment", "state", "role", "citations",
    "created_at",
)  # fmt: skip
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    mode TEXT NOT NULL,
    model TEXT,
    prompt_version TEXT,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    state TEXT,
    role TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer. ``citations`` are the answer's cite strings; ``created_at`` is UTC ISO 8601."""

    question: str
    answer: str
    mode: str
    model: str | None
    prompt_version: str | None
    rating: int
    comment: str
    state: str | None
    role: str
    citations: tuple[str, ...] = ()
    created_at: str = ""
    id: int | None = None  # the row id, set on the entries ``FeedbackStore.all()`` returns


def feedback_from(
    question: str, answer: Answer, rating: int, comment: str, role: str, *, now: datetime | None = None
) -> Feedback:
    """The feedback record for ``answer``; the model and prompt version only when the model wrote it."""
    llm = (answer.llm or {}) if answer.mode == "llm" else {}
    model, version = llm.get("model"), llm.get("prompt_version")
    return Feedback(
        question=question,
        answer=answer.answer,
        mode=answer.mode,
        model=str(model) if model else None,
        prompt_version=str(version) if version else None,
        rating=_checked_rating(rating),
        comment=comment,
        state=answer.state,
        role=role,
        citations=tuple(c.cite for c in answer.citations),
        created_at=_utc_now(now),
    )


class FeedbackStore:
    """The feedback file. Creates its folder and table on the first ``record``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(self, entry: Feedback) -> int:
        """Store ``entry`` (question and comment redacted, comment cut to 2,000 characters); return its row id."""
        _checked_rating(entry.rating)
        if entry.mode not in MODES:
            raise ValueError(f"feedback mode {entry.mode!r} is not one of {', '.join(MODES)}")
        clean = replace(
            entry,
            question=pii.redact(entry.question).text,
            # Redact before cutting: a cut through an SSN would leave digits the patterns no longer see.
            comment=pii.redact(entry.comment or "").text[:MAX_COMMENT],
            created_at=entry.created_at or _utc_now(None),
        )
        row = [getattr(clean, name) for name in _COLUMNS]
        row[_COLUMNS.index("citations")] = json.dumps(list(clean.citations))
        sql = f"INSERT INTO feedback ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                return int(conn.execute(sql, row).lastrowid or 0)
        except (sqlite3.Error, OSError) as exc:
            raise self._error("saved to", exc) from exc

    def add_comment(self, row: int, comment: str) -> None:
        """Attach ``comment`` (redacted, cut to 2,000 characters) to the rating saved as ``row``.

        A rating is saved the moment it is clicked, so that it is not lost when no comment follows.
        """
        text = pii.redact(comment or "").text[:MAX_COMMENT]
        try:
            with self._connect() as conn:
                changed = conn.execute("UPDATE feedback SET comment = ? WHERE id = ?", (text, row)).rowcount
        except (sqlite3.Error, OSError) as exc:
            raise self._error("saved to", exc) from exc
        if not changed:
            raise FeedbackError(f"Feedback {row} is not in {self.path}; rate the answer again to save a comment.")

    def all(self) -> list[Feedback]:
        """Every entry, oldest first; none when nothing was recorded yet."""
        if not self.path.exists():
            return []
        try:
            with self._connect() as conn:
                rows = conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM feedback ORDER BY id").fetchall()
        except (sqlite3.Error, OSError) as exc:
            raise self._error("read from", exc) from exc
        return [_from_row(row) for row in rows]

    def export_jsonl(self, out: Path) -> int:
        """Write every entry as one JSON object per line to ``out``; return how many."""
        entries = self.all()
        lines = [json.dumps(asdict(e), ensure_ascii=False) for e in entries]
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        except OSError as exc:
            raise FeedbackError(
                f"Feedback could not be exported to {out}: {exc.strerror or exc}; check the folder is writable."
            ) from exc
        return len(entries)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=_BUSY_SECONDS)
        try:
            _use_wal(conn)
            conn.execute(_SCHEMA)
            with conn:  # commits, or rolls back on an error
                yield conn
        finally:
            conn.close()

    def _error(self, action: str, exc: Exception) -> FeedbackError:
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            hint = "move the damaged file aside (a new one is started) and check the folder is writable"
        else:
            hint = "check the folder is writable"
        return FeedbackError(f"Feedback could not be {action} {self.path}: {reason}; {hint}.")


def _use_wal(conn: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs it alone, and SQLite answers "locked" at once instead of waiting: a
    # second session doing the same first-use setup tries again shortly. Once in WAL the pragma is a no-op.
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY") or "locked" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _checked_rating(rating: int) -> int:
    # bool is an int in Python: True must not pass for a thumbs up by accident.
    if isinstance(rating, bool) or rating not in (1, -1):
        raise ValueError(f"feedback rating must be +1 or -1, not {rating!r}")
    return rating


def _utc_now(now: datetime | None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


def _from_row(row: tuple[object, ...]) -> Feedback:
    values = dict(zip(("id", *_COLUMNS), row))
    values["citations"] = tuple(json.loads(str(values["citations"]) or "[]"))
    return Feedback(**values)  # type: ignore[arg-type]
