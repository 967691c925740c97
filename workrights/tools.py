"""The app's two tools beside the chat: a filing-deadline calculator and a coverage checker.

Both run the same guardrails code the answers use (``guardrails.deadlines``, ``guardrails.coverage``), so a
tool and an answer can never disagree, and each line carries the citation of the knowledge-base passage
that states its rule. A line whose rule no passage states is shown without a marker, never with an
invented one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from guardrails.coverage import CoverageNote, Facts, coverage_for, law_names
from guardrails.deadlines import DeadlineResult, DeadlineRule, countdown, for_state, load_rules
from workrights.citations import section_key
from workrights.compose import supporting_citation
from workrights.retrieve import Retriever
from workrights.schema import Citation
from workrights.state_facts import StateFacts

__all__ = ["ToolLine", "ToolResult", "CoverageResult", "deadline_rules", "deadline_tool", "coverage_laws", "coverage_tool"]


@dataclass(frozen=True)
class ToolLine:
    text: str
    n: int | None = None  # the citation marker, when a passage supports the line


@dataclass
class ToolResult:
    lines: list[ToolLine] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def add(self, text: str, cite: str, retriever: Retriever, state: str | None) -> ToolLine:
        """Add ``text``, with a marker to the passage that carries ``cite`` when the knowledge base has one."""
        citation = self._citation(cite, retriever, state)
        line = ToolLine(text, citation.n if citation else None)
        self.lines.append(line)
        return line

    def _citation(self, cite: str, retriever: Retriever, state: str | None) -> Citation | None:
        known = next((c for c in self.citations if section_key(c.cite) == section_key(cite)), None)
        if known is not None:
            return known
        hit = retriever.find_cited(cite, state=state)
        citation = supporting_citation(cite, hit.chunk, len(self.citations) + 1) if hit else None
        if citation is None:
            return None
        self.citations.append(citation)
        return citation


@dataclass
class CoverageResult(ToolResult):
    """Per law: its note (status, what is missing) and its cited lines."""

    notes: list[tuple[CoverageNote, list[ToolLine]]] = field(default_factory=list)


def deadline_rules(kb_dir: Path, state: StateFacts | None) -> list[DeadlineRule]:
    """The filing deadlines the calculator offers, as they apply in ``state`` (EEOC 180/300 days settled)."""
    return for_state(list(load_rules(kb_dir / "deadlines.toml").values()), state)


def deadline_tool(rule: DeadlineRule, event: date, today: date, retriever: Retriever, state: str | None) -> tuple[DeadlineResult, ToolResult]:
    """The countdown for ``rule`` from ``event``, with the rule's citation; a longer period is noted, not used."""
    result = countdown(rule, event, today)
    out = ToolResult()
    out.add(result.sentence(), rule.cite, retriever, state)
    if rule.extended:
        out.lines.append(ToolLine(f"The countdown uses the shorter period; choose your state to see whether {rule.extended} apply."))
    return result, out


def coverage_laws(kb_dir: Path) -> dict[str, str]:
    return law_names(kb_dir / "coverage.toml")


def coverage_tool(
    facts: Facts, laws: Sequence[str], kb_dir: Path, retriever: Retriever, state: StateFacts | None
) -> CoverageResult:
    """Whether each law in ``laws`` reaches this employer and worker, each line cited; what is missing is asked for."""
    out = CoverageResult()
    code = state.code if state else None
    for note in coverage_for(facts, kb_dir / "coverage.toml", laws, state):
        out.notes.append((note, [out.add(sentence, cite, retriever, code) for sentence, cite in note.lines]))
    return out
