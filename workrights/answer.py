"""Answer a question: input guardrails, hybrid retrieval, an LLM or extractive answer, output guardrails.

``ask()`` is the one entry point the CLI, the app and the evals share. Guardrails fail closed: an error
in any check refuses the answer and points to a human instead. Only redacted text is searched, logged or
sent to a language model. A model that fails, or whose answer does not hold up against the sources,
is replaced by the extractive answer with a one-line notice. A session's uploaded policy (``policy=``) is
searched with the knowledge base for that one question, and any policy passage used that gives less than
the law is pointed out next to the law's own citation.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import guardrails
from guardrails.assess import SEMANTIC_REASON
from guardrails.escalation import build_escalation, crisis_banner
from guardrails.evasion import LAWFUL_PATH
from guardrails.grounding import ground
from guardrails.injection import split_injected
from guardrails.input import user_turns
from guardrails.policy_gaps import GapFinding, find_gaps, load_gap_rules
from guardrails.router import route
from guardrails.scope import about_work
from guardrails.uncovered import Uncovered, load_uncovered, uncovered_topic
from guardrails.semantic import SemanticTriage
from workrights.compose import DISCLAIMER, citation_title, compose, renumber, supporting_citation
from workrights.contacts import Directory, load_directory
from workrights.errors import LLMError, WorkrightsError
from workrights.generate import Turn, answer_messages, conversation, standalone_question
from workrights.llm import ChatModel, make_chat
from workrights.prompts import PromptSet, load_prompt_set
from workrights.retrieve import PolicyPassages, Retriever, default_retriever
from workrights.schema import Answer, Chunk, Citation, Contact, Escalation, Hit
from workrights.settings import ROLES, Settings
from workrights.jurisdiction import resolve_state
from workrights.state_facts import STATES, StateFacts, load_states, state_errors

__all__ = [
    "Assistant", "ask", "build_assistant", "default_assistant", "prepare_caches", "semantic_layers", "shown_reasons", "validate_state",
    "WHO_CAN_HELP", "TIME_SENSITIVE", "ACT_SOON", "LAWYER",
]

log = logging.getLogger("workrights")
_STATE = re.compile(r"^[A-Z]{2}$")
CRISIS_RELEVANCE = 0.45
NOT_FOUND = "I could not find anything in the knowledge base that answers this question, so I will not guess."
NOT_FOUND_REASON = "The knowledge base has no passage that answers this question."
OUT_OF_SCOPE = "I can only help with questions about work and US employment law; ask about your job, pay, leave or rights at work."
LLM_FAILED = "The AI answer is unavailable ({reason}), so this answer quotes the law directly."
LLM_UNGROUNDED = "The AI-written answer did not hold up against the sources, so this answer quotes the law directly."
LLM_TRIMMED = "{n} sentence(s) of the AI-written answer were removed because the sources did not support them."
POLICY_GAPS = "Where the policy falls below the law"
# Headings and lines of the answer text that the app also shows in its own form (it leaves these out of the text).
WHO_CAN_HELP = "**Who can help**"
TIME_SENSITIVE = "**This looks time-sensitive**"
ACT_SOON = "Act soon and keep copies of everything in writing."
LAWYER = "An employment lawyer can advise on your own case; many offer a free first consultation."


def validate_state(state: str | None) -> str | None:
    if state is None or state == "":
        return None
    code = state.strip().upper()
    if not _STATE.match(code):
        raise WorkrightsError(f"State {state!r} is not a two-letter USPS code; use e.g. CA, or leave it out for federal law.")
    return code


# A message that holds a crisis and also tries to steer the assistant: the crisis lines, and nothing it asked for.
CRISIS_ONLY = (
    "Only the crisis lines are shown for this message, because part of it asks the assistant to work outside its rules; "
    "when you are safe, ask your question about work on its own."
)


@dataclass
class _Draft:
    """An answer being assembled: its parts, citations and the passages they rest on."""

    body: str = ""
    citations: list[Citation] = field(default_factory=list)
    support: list[Hit] = field(default_factory=list)
    as_of: str = ""
    found: bool = False
    strong: bool = False  # the best passage is clearly about the question (crisis answers show law only then)
    mode: str = "extractive"
    llm: dict[str, Any] | None = None


@dataclass
class _Request:
    """One question's inputs for the answer writer."""

    question: str  # redacted; what the model answers
    query: str  # redacted; what was searched (a follow-up made standalone, or the lawful path)
    role: str
    state: str | None
    turns: list[Turn]
    injected: list[str]
    on_token: Callable[[str], None] | None
    prompts: PromptSet | None
    notices: list[str] = field(default_factory=list)
    llm: dict[str, Any] | None = None  # the model's record when its answer was not used
    detected: bool = False  # the state was named in the question rather than chosen
    gaps: list[GapFinding] = field(default_factory=list)  # policy sentences among the hits that give less than the law


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
    injection: SemanticTriage | None = None
    routing: SemanticTriage | None = None
    chat: ChatModel | None = None
    prompt_dir: Path | None = None
    states: dict[str, StateFacts] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        return "llm" if self.chat is not None else "extractive"

    def ask(
        self,
        question: str,
        *,
        state: str | None = None,
        role: str = "employee",
        history: Sequence[Any] = (),
        on_token: Callable[[str], None] | None = None,
        policy: PolicyPassages | None = None,
    ) -> Answer:
        """Answer ``question``; in the LLM mode ``on_token`` receives the model's text as it streams.

        ``policy`` is the asking session's uploaded policy (``workrights.uploads.PolicyIndex``), searched for
        this question only; the built-in sample handbook is then left out.
        """
        if role not in ROLES:
            raise WorkrightsError(f"Role {role!r} is not known; use one of: {', '.join(ROLES)}.")
        state = validate_state(state)
        state, detected = resolve_state(state, question, user_turns(history))
        facts = self.states.get(state) if state else None
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
                state=facts,
                injection=self.injection,
                routing=self.routing,
            )
        except Exception:  # noqa: BLE001 - fail closed on any guardrail fault
            log.exception("input guardrail failed")
            return self._finish(self._guard_failed(), timings, t0)
        timings["guard"] = (self.clock() - t0) * 1000
        assessment = checked.assessment
        log.info("question (redacted): %s | level=%s", checked.text, assessment.level if assessment else "-")
        if checked.refused and not checked.evasion:
            try:
                refusal = self._refusal(checked, facts)
            except Exception:  # noqa: BLE001 - the crisis lines are a guardrail too: fail closed
                log.exception("refusal failed")
                refusal = self._guard_failed()
            return self._finish(refusal, timings, t0)

        t1 = self.clock()
        request = self._request(checked, history, role, state, on_token)
        request.detected = detected
        if checked.evasion and assessment and assessment.evasion:
            request.query = request.question = LAWFUL_PATH.get(assessment.evasion, request.query)
        raw_hits = self.retriever.search(request.query, state=state, k=self.settings.top_k, policy=policy)
        hits, request.injected = split_injected(raw_hits)
        timings["retrieve"] = (self.clock() - t1) * 1000

        t2 = self.clock()
        try:
            agencies = (assessment.agencies if assessment and assessment.agencies else route(checked.text, hits))
            escalation = build_escalation(assessment, self.directory, agencies, facts)
            uncovered = uncovered_topic(checked.text, load_uncovered(self.settings.kb_dir / "not_covered.toml"))
            if uncovered is not None and escalation.level in ("none", "refer"):
                return self._finish(self._uncovered(uncovered, escalation), timings, t0)
            if uncovered is not None:
                escalation.contacts.insert(0, uncovered.contact)
            draft = self._draft(request, hits, use_llm=escalation.level != "crisis")
            if draft.found:
                request.gaps = find_gaps(hits, load_gap_rules(self.settings.kb_dir / "policy_minimums.toml"), facts)
            if not draft.found and escalation.level in ("none", "refer") and not about_work(checked.text):
                return self._finish(Answer(answer=OUT_OF_SCOPE, refused=True, refusal_reason=OUT_OF_SCOPE), timings, t0)
            answer = self._assemble(draft, escalation, assessment, checked, request)
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
            answer = replace(self._not_found(answer.escalation), notices=answer.notices, llm=answer.llm)
        timings["guard"] += (self.clock() - t3) * 1000
        return self._finish(answer, timings, t0)

    def warm(self) -> None:
        """Load the models and indexes now rather than on the first question."""
        self.retriever.warm()
        for layer in (self.semantic, self.evasion, self.injection, self.routing):
            if layer is not None:
                layer.warm()
        warm_chat = getattr(self.chat, "warm", None)
        if warm_chat is not None:
            warm_chat()

    # -- composing -------------------------------------------------------------------------------

    def _request(
        self, checked: Any, history: Sequence[Any], role: str, state: str | None, on_token: Callable[[str], None] | None
    ) -> _Request:
        turns = conversation(history)
        request = _Request(checked.text, checked.text, role, state, turns, [], on_token, None)
        if self.chat is not None:
            try:
                request.prompts = load_prompt_set(role, self.prompt_dir)
            except WorkrightsError as exc:
                request.notices.append(LLM_FAILED.format(reason=str(exc).rstrip(".")))
        if turns:
            # A crisis never goes to a model, not even to have a follow-up rewritten.
            crisis = checked.assessment is not None and checked.assessment.level == "crisis"
            chat = self.chat if request.prompts is not None and not crisis else None
            request.query = standalone_question(checked.text, turns, chat, request.prompts)
        return request

    def _draft(self, request: _Request, hits: Sequence[Hit], *, use_llm: bool) -> _Draft:
        floor = self.settings.min_similarity
        # Keyword and dense ranks are fused, so the top hit may be a keyword match of middling similarity
        # with a clearly relevant passage just below it: look at the first few.
        relevant = list(hits) if hits and (hits[0].exact_cite or max(h.similarity for h in hits[:3]) >= floor) else []
        if not relevant:
            return _Draft()
        strong = relevant[0].exact_cite or relevant[0].similarity >= CRISIS_RELEVANCE
        if use_llm and self.chat is not None and request.prompts is not None:
            try:
                draft = self._llm_draft(request, relevant, strong)
            except LLMError as exc:
                log.warning("LLM failed, extractive fallback: %s", exc)
                request.notices.append(LLM_FAILED.format(reason=exc))
            else:
                if draft is not None:
                    return draft
        composed = compose(request.query, relevant, request.role)
        if not composed.found:
            return _Draft(llm=request.llm)
        return _Draft(composed.markdown, list(composed.citations), [], composed.as_of, True, strong, llm=request.llm)

    def _llm_draft(self, request: _Request, sources: list[Hit], strong: bool) -> _Draft | None:
        """The model's answer, grounded; None when too little of it holds up (the caller falls back)."""
        assert self.chat is not None and request.prompts is not None
        messages = answer_messages(request.prompts, request.question, sources, request.state, request.turns)
        gen = self.chat.generate(messages, request.on_token)
        grounded = ground(gen.text, sources, request.injected)
        info = {
            "model": gen.model,
            "prompt_version": request.prompts.version,
            "input_tokens": gen.input_tokens,
            "output_tokens": gen.output_tokens,
            "latency_ms": round(gen.latency_ms, 1),
            "first_token_ms": round(gen.first_token_ms, 1) if gen.first_token_ms is not None else None,
            "removed": [{"sentence": r.sentence, "reason": r.reason} for r in grounded.removed],
            "used": False,
        }
        if grounded.says_unknown and not grounded.supported and not grounded.removed:
            info["used"] = True
            return _Draft(mode="llm", llm=info)
        if not grounded.holds_up:
            request.notices.append(LLM_UNGROUNDED)
            request.llm = info
            return None
        info["used"] = True
        if grounded.removed:
            request.notices.append(LLM_TRIMMED.format(n=len(grounded.removed)))
        by_id = {c.chunk_id: c for h in sources for c in h.section_chunks}
        as_of = min((by_id[c.chunk_id].as_of for c in grounded.citations if by_id[c.chunk_id].as_of), default="")
        return _Draft(grounded.text, grounded.citations, [], as_of, True, strong, "llm", info)

    def _supported_line(self, text: str, cite: str, draft: _Draft, state: str | None) -> str:
        """``text`` with a [n] marker when a KB passage carries ``cite``; the passage joins the context."""
        hit = self.retriever.find_cited(cite, state=state)
        n = max((c.n for c in draft.citations), default=0) + 1
        citation = supporting_citation(cite, hit.chunk, n) if hit else None
        if hit is None or citation is None:
            return text
        # The same sentence already cited under the passage's own form of the cite keeps that form.
        chunk_cite = next((c.cite for c in draft.citations if c.chunk_id == citation.chunk_id and c.quote == citation.quote), None)
        draft.citations.append(replace(citation, cite=chunk_cite) if chunk_cite else citation)
        draft.support.append(hit)
        return f"{text} [{n}]"

    def _gap_lines(self, gaps: Sequence[GapFinding], draft: _Draft, state: str | None) -> list[str]:
        """The policy-below-the-law block: each line quotes the policy and states the law, both cited."""
        lines = []
        for gap in gaps:
            # Never a law line without its citation: a rule whose cite no passage carries is left out.
            law = f"**The law:** {gap.requires}"
            supported = self._supported_line(law, gap.cite, draft, state)
            if supported == law:
                continue
            n = self._quote_marker(gap.chunk, gap.quote, draft)
            lines.append(f"- **The policy:** “{gap.display}” [{n}] {supported}")
        return [f"**{POLICY_GAPS}**", *lines, ""] if lines else []

    def _quote_marker(self, chunk: Chunk, quote: str, draft: _Draft) -> int:
        """The number of the citation of ``quote`` in ``chunk`` (its own citation), added when not yet cited."""
        same = next((c for c in draft.citations if c.chunk_id == chunk.chunk_id and c.quote == quote), None)
        if same is not None:
            return same.n
        n = max((c.n for c in draft.citations), default=0) + 1
        draft.citations.append(Citation(n, chunk.cite, citation_title(chunk), chunk.url, chunk.chunk_id, quote))
        return n

    def _assemble(self, draft: _Draft, escalation: Escalation, assessment: Any, checked: Any, request: _Request) -> Answer:
        parts: list[str] = []
        state = request.state
        if escalation.level == "crisis":
            parts += [crisis_banner(), ""]
        if request.notices:
            parts += [f"*{n}*" for n in request.notices] + [""]
        if request.detected and state:
            name = STATES.get(state, state)
            parts += [f"*Your question mentions {name}, so this answer covers {name} law as well as federal law.*", ""]
        if checked.evasion:
            parts += [f"**{checked.reason}**", ""]
        deadlines = assessment.deadlines if assessment else []
        if escalation.level == "urgent":
            shown = shown_reasons(escalation)
            why = f" ({'; '.join(shown)})" if shown else ""
            parts += [f"{TIME_SENSITIVE}{why}. {ACT_SOON}", ""]
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
            parts += self._gap_lines(request.gaps, draft, state)
        else:
            parts += [NOT_FOUND, ""]
        if not draft.found and escalation.level == "none":
            escalation = self._no_answer_escalation(escalation.contacts)
        contacts = [c for c in escalation.contacts if c not in self.directory.crisis] or (
            [] if draft.found else list(self.directory.core)
        )
        if contacts:
            parts.append(WHO_CAN_HELP)
            parts += [_contact_line(c) for c in contacts]
            if escalation.level in ("refer", "urgent"):
                parts.append(f"- {LAWYER}")
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
            mode=draft.mode,
            notices=list(request.notices),
            llm=draft.llm,
            state=state,
            state_source=("detected" if request.detected else "selected") if state else None,
        )

    def _uncovered(self, topic: Uncovered, escalation: Escalation) -> Answer:
        """A topic the knowledge base does not cover: who handles it, and no law quoted out of context."""
        contacts = [topic.contact, *(c for c in escalation.contacts if c != topic.contact)]
        lines = [f"The knowledge base does not cover {topic.name}, so I will not guess. {topic.who}", "", WHO_CAN_HELP]
        lines += [_contact_line(c) for c in contacts]
        lines += ["", DISCLAIMER]
        reasons = [*escalation.reasons, f"not covered: {topic.name}"]
        return Answer(answer="\n".join(lines), escalation=Escalation("refer", reasons, contacts, escalation.deadlines))

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

    def _refusal(self, checked: guardrails.InputCheck, facts: StateFacts | None) -> Answer:
        """A refused question; one that also holds a crisis still gets the crisis banner and lines first."""
        assessment = checked.assessment
        if assessment is None or assessment.level != "crisis":
            return Answer(answer=checked.reason or "", refused=True, refusal_reason=checked.reason)
        escalation = build_escalation(assessment, self.directory, assessment.agencies, facts)
        text = "\n".join([crisis_banner(), "", CRISIS_ONLY, "", DISCLAIMER])
        return Answer(answer=text, refused=True, refusal_reason=CRISIS_ONLY, escalation=escalation, as_of=self.directory.as_of)

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


def shown_reasons(escalation: Escalation) -> list[str]:
    """The escalation's reasons a reader is shown: the semantic vote's are for the record only."""
    return [r for r in escalation.reasons if not r.startswith(SEMANTIC_REASON)]


def _contact_line(c: Contact) -> str:
    return f"- **{c.name}**: {', '.join(x for x in (c.phone, c.url) if x)}"


def build_assistant(settings: Settings, retriever: Retriever | None = None) -> Assistant:
    """Wire an assistant from settings (the CLI and the app call this once)."""
    if retriever is None:
        from workrights.embeddings import make_embedder
        from workrights.store import open_store

        store = open_store(settings, make_embedder(settings))
        retriever = Retriever(store, settings.kb_dir / "popular_names.toml")
    semantic, evasion, injection, routing = semantic_layers(settings, retriever.store.embedder)
    return Assistant(
        retriever=retriever,
        settings=settings,
        directory=load_directory(settings.kb_dir),
        semantic=semantic,
        evasion=evasion,
        injection=injection,
        routing=routing,
        chat=make_chat(settings),
        states=_states(settings),
    )


def semantic_layers(settings: Settings, embedder: Any) -> tuple[SemanticTriage, SemanticTriage, SemanticTriage, SemanticTriage]:
    """The triage, evasion, injection and routing layers; exemplar vectors are cached under the data dir,
    once per file."""
    cache, kb = settings.data_dir / "cache", settings.kb_dir
    triage, evasion = kb / "triage_exemplars.jsonl", kb / "evasion_exemplars.jsonl"
    return (
        SemanticTriage(embedder, triage, cache),
        SemanticTriage(embedder, evasion, cache, label_key="label"),
        SemanticTriage(embedder, kb / "injection_exemplars.jsonl", cache, label_key="label", others=(triage, evasion)),
        SemanticTriage(embedder, triage, cache, label_key="agencies"),
    )


def prepare_caches(settings: Settings, embedder: Any) -> None:
    """Embed the exemplars and fit the four guardrail models now (``workrights ingest --prepare``), so the app's
    first start reads them from the cache instead."""
    for layer in semantic_layers(settings, embedder):
        layer.warm()


def _states(settings: Settings) -> dict[str, StateFacts]:
    states_dir = settings.kb_dir / "states"
    for error in state_errors(states_dir):
        log.warning("state facts left out: %s", error)
    return load_states(states_dir)


@lru_cache(maxsize=1)
def default_assistant() -> Assistant:
    return build_assistant(Settings.from_env(), default_retriever())


def ask(
    question: str,
    *,
    state: str | None = None,
    role: str = "employee",
    history: Sequence[Any] = (),
    on_token: Callable[[str], None] | None = None,
    policy: PolicyPassages | None = None,
) -> Answer:
    """Answer ``question`` with the knowledge base (and the model, if any) configured by the environment."""
    return default_assistant().ask(question, state=state, role=role, history=history, on_token=on_token, policy=policy)
