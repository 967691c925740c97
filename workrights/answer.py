"""Answer a question: input guardrails, hybrid retrieval, extractive composition, output guardrail.

``ask()`` is the one entry point the CLI, the app and the evals share. Guardrails fail closed: an error
in any check refuses the answer and points to a human instead. Only redacted text is searched or logged.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import guardrails
from guardrails.escalation import build_escalation, crisis_banner
from guardrails.evasion import LAWFUL_PATH
from guardrails.injection import sanitize_hits
from guardrails.router import route
from guardrails.scope import about_work
from guardrails.semantic import SemanticTriage
from workrights.citations import find_cites, section_key
from workrights.compose import DISCLAIMER, citation_title, compose, quote_for, renumber
from workrights.contacts import Directory, load_directory
from workrights.errors import WorkrightsError
from workrights.retrieve import Retriever, default_retriever
from workrights.schema import Answer, Citation, Escalation, Hit
from workrights.settings import ROLES, Settings

__all__ = ["Assistant", "ask", "build_assistant", "default_assistant", "validate_state"]

log = logging.getLogger("workrights")
_STATE = re.compile(r"^[A-Z]{2}$")
CRISIS_RELEVANCE = 0.45
NOT_FOUND = "I could not find anything in the knowledge base that answers this question, so I will not guess."
NOT_FOUND_REASON = "The knowledge base has no passage that answers this question."
OUT_OF_SCOPE = "I can only help with questions about work and US employment law; ask about your job, pay, leave or rights at work."


def validate_state(state: str | None) -> str | None:
    if state is None or state == "":
        return None
    code = state.strip().upper()
    if not _STATE.match(code):
        raise WorkrightsError(f"State {state!r} is not a two-letter USPS code; use e.g. CA, or leave it out for federal law.")
    return code


@dataclass
class _Draft:
    """An answer being assembled: its parts, citations and the passages they rest on."""

    body: str = ""
    citations: list[Citation] = field(default_factory=list)
    support: list[Hit] = field(default_factory=list)
    as_of: str = ""
    found: bool = False
    strong: bool = False  # the best passage is clearly about the question (crisis answers show law only then)


@dataclass
class Assistant:
    retriever: Retriever
    settings: Settings
    directory: Directory
    check_input: Callable[..., guardrails.InputCheck] = guardrails.check_input
    check_output: Callable[[Answer, Sequence[Hit]], Answer] = guardrails.check_output
    clock: Callable[[], float] = field(default=time.perf_counter)
    today: Callable[[], date] = field(default=date.today)
    semantic: SemanticTriage | None = None
    evasion: SemanticTriage | None = None

    def ask(
        self, question: str, *, state: str | None = None, role: str = "employee", history: Sequence[Any] = ()
    ) -> Answer:
        if role not in ROLES:
            raise WorkrightsError(f"Role {role!r} is not known; use one of: {', '.join(ROLES)}.")
        state = validate_state(state)
        t0 = self.clock()
        timings = {"guard": 0.0, "retrieve": 0.0, "generate": 0.0, "total": 0.0}
        try:
            checked = self.check_input(
                question,
                history=history,
                today=self.today(),
                deadlines_file=self.settings.kb_dir / "deadlines.toml",
                semantic=self.semantic,
                evasion=self.evasion,
                role=role,
            )
        except Exception:  # noqa: BLE001 - fail closed on any guardrail fault
            log.exception("input guardrail failed")
            return self._finish(self._guard_failed(), timings, t0)
        timings["guard"] = (self.clock() - t0) * 1000
        assessment = checked.assessment
        log.info("question (redacted): %s | level=%s", checked.text, assessment.level if assessment else "-")
        if checked.refused and not checked.evasion:
            answer = Answer(answer=checked.reason or "", refused=True, refusal_reason=checked.reason)
            return self._finish(answer, timings, t0)

        t1 = self.clock()
        query = checked.text
        if checked.evasion and assessment and assessment.evasion:
            query = LAWFUL_PATH.get(assessment.evasion, query)
        hits = sanitize_hits(self.retriever.search(query, state=state, k=self.settings.top_k))
        timings["retrieve"] = (self.clock() - t1) * 1000

        t2 = self.clock()
        try:
            agencies = (assessment.agencies if assessment and assessment.agencies else route(checked.text, hits))
            escalation = build_escalation(assessment, self.directory, agencies)
            draft = self._draft(query, hits, role)
            if not draft.found and escalation.level in ("none", "refer") and not about_work(checked.text):
                return self._finish(Answer(answer=OUT_OF_SCOPE, refused=True, refusal_reason=OUT_OF_SCOPE), timings, t0)
            answer = self._assemble(draft, escalation, assessment, checked, state)
        except Exception:  # noqa: BLE001 - the notices are guardrails too: fail closed
            log.exception("escalation failed")
            return self._finish(self._guard_failed(), timings, t0)
        timings["generate"] = (self.clock() - t2) * 1000

        t3 = self.clock()
        try:
            had_citations = bool(answer.citations)
            answer = self.check_output(answer, [*hits, *draft.support])
        except Exception:  # noqa: BLE001 - fail closed
            log.exception("output guardrail failed")
            return self._finish(self._guard_failed(), timings, t0)
        if had_citations and not answer.citations and not answer.refused:
            answer = self._not_found(answer.escalation)
        timings["guard"] += (self.clock() - t3) * 1000
        return self._finish(answer, timings, t0)

    def warm(self) -> None:
        """Load the models and indexes now rather than on the first question."""
        self.retriever.warm()
        for layer in (self.semantic, self.evasion):
            if layer is not None:
                layer.warm()

    # -- composing -------------------------------------------------------------------------------

    def _draft(self, question: str, hits: Sequence[Hit], role: str) -> _Draft:
        floor = self.settings.min_similarity
        relevant = list(hits) if hits and (hits[0].exact_cite or hits[0].similarity >= floor) else []
        composed = compose(question, relevant, role) if relevant else None
        if composed is None or not composed.found:
            return _Draft()
        strong = relevant[0].exact_cite or relevant[0].similarity >= CRISIS_RELEVANCE
        return _Draft(composed.markdown, list(composed.citations), [], composed.as_of, True, strong)

    def _supported_line(self, text: str, cite: str, draft: _Draft, state: str | None) -> str:
        """``text`` with a [n] marker when a KB passage carries ``cite``; the passage joins the context."""
        hit = self.retriever.find_cited(cite, state=state)
        quote = quote_for(cite, hit.chunk) if hit else None
        if hit is None or quote is None:
            return text
        chunk_cite = next((c.cite for c in draft.citations if c.chunk_id == hit.chunk.chunk_id and c.quote == quote), None)
        n = max((c.n for c in draft.citations), default=0) + 1
        exact = next((c for c in find_cites(quote) if section_key(c) == section_key(cite)), cite)
        draft.citations.append(Citation(n, chunk_cite or exact, citation_title(hit.chunk), hit.chunk.url, hit.chunk.chunk_id, quote))
        draft.support.append(hit)
        return f"{text} [{n}]"

    def _assemble(self, draft: _Draft, escalation: Escalation, assessment: Any, checked: Any, state: str | None) -> Answer:
        parts: list[str] = []
        if escalation.level == "crisis":
            parts += [crisis_banner(), ""]
        if checked.evasion:
            parts += [f"**{checked.reason}**", ""]
        deadlines = assessment.deadlines if assessment else []
        if escalation.level == "urgent":
            # The semantic layer's reason is for the record, not for the reader.
            shown = [r for r in escalation.reasons if not r.startswith("a situation like others")]
            why = f" ({'; '.join(shown)})" if shown else ""
            parts += [f"**This looks time-sensitive**{why}. Act soon and keep copies of everything in writing.", ""]
        if deadlines:
            parts.append("**Filing deadlines**")
            parts += [f"- {self._supported_line(d.sentence(), d.rule.cite, draft, state)}" for d in deadlines]
            parts.append("")
        coverage = assessment.coverage if assessment else []
        if coverage:
            parts.append("**Does the law cover you?**")
            for note in coverage:
                parts += [f"- {self._supported_line(sentence, cite, draft, state)}" for sentence, cite in note.lines]
                if note.missing:
                    parts.append(f"- To tell whether {note.law} covers you, I would need: {'; '.join(note.missing)}.")
            parts.append("")
        if escalation.level == "crisis" and not draft.strong:
            parts += [
                "When you feel ready, I can explain your rights about what happened at work, for example what to do "
                "after losing a job, or how to report harassment. Ask me here any time.",
                "",
            ]
            draft.citations = [c for c in draft.citations if c.chunk_id in {h.chunk.chunk_id for h in draft.support}]
        elif draft.found:
            parts += [draft.body, ""]
        else:
            parts += [NOT_FOUND, ""]
        if not draft.found and escalation.level == "none":
            escalation = self._no_answer_escalation(escalation.contacts)
        contacts = [c for c in escalation.contacts if c not in self.directory.crisis] or (
            [] if draft.found else list(self.directory.core)
        )
        if contacts:
            parts.append("**Who can help**")
            parts += [f"- **{c.name}**: {c.phone}, {c.url}" for c in contacts]
            if escalation.level in ("refer", "urgent"):
                parts.append("- An employment lawyer can advise on your own case; many offer a free first consultation.")
            parts.append("")
        parts.append(DISCLAIMER)
        text, citations = renumber("\n".join(parts), draft.citations)
        return Answer(
            answer=text,
            citations=citations,
            escalation=escalation,
            as_of=draft.as_of,
            refused=bool(checked.evasion),
            refusal_reason=checked.reason if checked.evasion else None,
        )

    def _no_answer_escalation(self, contacts: Sequence[Any] = ()) -> Escalation:
        """Nothing in the knowledge base answers: refer to the routed agencies, or to the main ones."""
        return Escalation("refer", [NOT_FOUND_REASON], list(contacts) or list(self.directory.core))

    def _not_found(self, escalation: Escalation | None = None) -> Answer:
        lines = [NOT_FOUND, "", "These agencies can tell you which law applies and how to file:"]
        lines += [f"- **{c.name}**: {self.directory.handles.get(c.name, '')}. {c.phone}, {c.url}" for c in self.directory.core]
        lines += ["", DISCLAIMER]
        if escalation is None or escalation.level == "none":
            escalation = self._no_answer_escalation()
        return Answer(answer="\n".join(lines), escalation=escalation, as_of=self.directory.as_of)

    def _guard_failed(self) -> Answer:
        reason = "A safety check could not run, so no answer is shown; please try again or contact an agency below."
        lines = [reason, "", "If you are in danger, call 911. To talk to someone now, call or text 988."]
        lines += [f"- **{c.name}**: {c.phone}, {c.url}" for c in self.directory.core]
        escalation = Escalation(level="refer", reasons=["guardrail error"], contacts=[*self.directory.crisis, *self.directory.core])
        return Answer(answer="\n".join(lines), refused=True, refusal_reason=reason, escalation=escalation, as_of=self.directory.as_of)

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
    cache = settings.data_dir / "cache"
    embedder = retriever.store.embedder
    semantic = SemanticTriage(embedder, settings.kb_dir / "triage_exemplars.jsonl", cache)
    evasion = SemanticTriage(embedder, settings.kb_dir / "evasion_exemplars.jsonl", cache, k=3, label_key="label")
    return Assistant(
        retriever=retriever, settings=settings, directory=load_directory(settings.kb_dir), semantic=semantic, evasion=evasion
    )


@lru_cache(maxsize=1)
def default_assistant() -> Assistant:
    return build_assistant(Settings.from_env(), default_retriever())


def ask(question: str, *, state: str | None = None, role: str = "employee", history: Sequence[Any] = ()) -> Answer:
    """Answer ``question`` with the knowledge base configured by the environment."""
    return default_assistant().ask(question, state=state, role=role, history=history)
