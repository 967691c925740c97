"""Answer a question: input guardrail, hybrid retrieval, extractive composition, output guardrail.

``ask()`` is the one entry point the CLI, the app and the evals share. Guardrails fail closed: an error
in either check refuses the answer and points to a human instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import guardrails
from workrights.compose import DISCLAIMER, compose
from workrights.contacts import Directory, load_directory
from workrights.errors import WorkrightsError
from workrights.retrieve import Retriever, default_retriever
from workrights.schema import Answer, Escalation, Hit
from workrights.settings import ROLES, Settings

__all__ = ["Assistant", "ask", "build_assistant", "default_assistant", "validate_state"]

_STATE = re.compile(r"^[A-Z]{2}$")


def validate_state(state: str | None) -> str | None:
    if state is None or state == "":
        return None
    code = state.strip().upper()
    if not _STATE.match(code):
        raise WorkrightsError(f"State {state!r} is not a two-letter USPS code; use e.g. CA, or leave it out for federal law.")
    return code


@dataclass
class Assistant:
    retriever: Retriever
    settings: Settings
    directory: Directory
    check_input: Callable[..., guardrails.InputCheck] = guardrails.check_input
    check_output: Callable[[Answer, Sequence[Hit]], Answer] = guardrails.check_output
    clock: Callable[[], float] = field(default=time.perf_counter)

    def ask(
        self, question: str, *, state: str | None = None, role: str = "employee", history: Sequence[Any] = ()
    ) -> Answer:
        if role not in ROLES:
            raise WorkrightsError(f"Role {role!r} is not known; use one of: {', '.join(ROLES)}.")
        state = validate_state(state)
        t0 = self.clock()
        timings = {"guard": 0.0, "retrieve": 0.0, "generate": 0.0, "total": 0.0}

        try:
            checked = self.check_input(question, history=history)
        except Exception:  # noqa: BLE001 - fail closed on any guardrail fault
            return self._finish(self._guard_failed(), timings, t0)
        timings["guard"] = (self.clock() - t0) * 1000
        if checked.refused:
            answer = Answer(answer=checked.reason or "", refused=True, refusal_reason=checked.reason)
            answer.escalation = checked.escalation or Escalation()
            return self._finish(answer, timings, t0)

        t1 = self.clock()
        hits = self.retriever.search(checked.text, state=state, k=self.settings.top_k)
        timings["retrieve"] = (self.clock() - t1) * 1000

        t2 = self.clock()
        answer = self._compose(checked.text, hits, role)
        if checked.escalation is not None and checked.escalation.level != "none":
            answer.escalation = checked.escalation
        timings["generate"] = (self.clock() - t2) * 1000

        t3 = self.clock()
        try:
            had_citations = bool(answer.citations)
            answer = self.check_output(answer, hits)
        except Exception:  # noqa: BLE001 - fail closed
            return self._finish(self._guard_failed(), timings, t0)
        if had_citations and not answer.citations:
            answer = self._not_found()
        timings["guard"] += (self.clock() - t3) * 1000
        return self._finish(answer, timings, t0)

    def _relevant(self, hits: Sequence[Hit]) -> list[Hit]:
        floor = self.settings.min_similarity
        if not hits:
            return []
        top = hits[0]
        if top.exact_cite or top.similarity >= floor:
            return list(hits)
        return []

    def _compose(self, question: str, hits: Sequence[Hit], role: str) -> Answer:
        relevant = self._relevant(hits)
        composed = compose(question, relevant, role) if relevant else None
        if composed is None or not composed.found:
            return self._not_found()
        return Answer(answer=composed.markdown, citations=composed.citations, as_of=composed.as_of)

    def _agency_lines(self) -> list[str]:
        return [
            f"- **{c.name}**: {self.directory.handles.get(c.name, '')}. {c.phone}, {c.url}"
            for c in self.directory.agencies
        ]

    def _not_found(self) -> Answer:
        text = "\n".join(
            [
                "I could not find anything in the knowledge base that answers this question, so I will not guess.",
                "",
                "These agencies can tell you which law applies and how to file:",
                *self._agency_lines(),
                "",
                DISCLAIMER,
            ]
        )
        escalation = Escalation(
            level="refer",
            reasons=["The knowledge base has no passage that answers this question."],
            contacts=list(self.directory.agencies),
        )
        return Answer(answer=text, escalation=escalation, as_of=self.directory.as_of)

    def _guard_failed(self) -> Answer:
        reason = "A safety check could not run, so no answer is shown; please try again or contact an agency below."
        text = "\n".join([reason, "", "If you are in danger, call 911. To talk to someone now, call or text 988.", *self._agency_lines()])
        escalation = Escalation(
            level="refer",
            reasons=["guardrail error"],
            contacts=[*self.directory.crisis, *self.directory.agencies],
        )
        return Answer(answer=text, refused=True, refusal_reason=reason, escalation=escalation, as_of=self.directory.as_of)

    def _finish(self, answer: Answer, timings: dict[str, float], t0: float) -> Answer:
        timings["total"] = (self.clock() - t0) * 1000
        answer.timings_ms = timings
        if not answer.as_of:
            answer.as_of = self.directory.as_of
        return answer


def build_assistant(settings: Settings, retriever: Retriever | None = None) -> Assistant:
    """Wire an assistant from settings (the CLI and the app call this once)."""
    if retriever is None:
        from workrights.embeddings import make_embedder
        from workrights.store import open_store

        store = open_store(settings, make_embedder(settings))
        retriever = Retriever(store, settings.kb_dir / "popular_names.toml")
    return Assistant(retriever=retriever, settings=settings, directory=load_directory(settings.kb_dir))


@lru_cache(maxsize=1)
def default_assistant() -> Assistant:
    return build_assistant(Settings.from_env(), default_retriever())


def ask(question: str, *, state: str | None = None, role: str = "employee", history: Sequence[Any] = ()) -> Answer:
    """Answer ``question`` with the knowledge base configured by the environment."""
    return default_assistant().ask(question, state=state, role=role, history=history)
