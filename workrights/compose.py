"""The extractive answer: the most relevant cited sentences of the top passages, grouped and numbered.

No model writes anything here, so nothing can be invented: every line shown is a sentence of a retrieved
passage, and it carries the citation that sentence carries in the knowledge base. In a summary a sentence
without a citation is context, never shown as law.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from workrights.citations import find_cites, normalize_text, section_key, split_trailing_cites
from workrights.keyword import analyze
from workrights.schema import Chunk, Citation, Hit
from workrights.state_facts import STATES
from workrights.text import split_sentences

__all__ = ["Candidate", "Composed", "candidates", "compose", "citation_title", "quote_for", "supporting_citation", "renumber", "GROUP_TITLES", "DISCLAIMER"]

DISCLAIMER = (
    "*This is general information from the law, not legal advice. For advice about your own situation, "
    "contact the agency named here or an employment lawyer.*"
)
GROUP_TITLES = {
    "state": "Your state's law",
    "rule": "What the law says",
    "conditions": "Conditions and limits",
    "policy": "What the company policy says",
    "deadlines": "Deadlines",
    "help": "Where to get help",
}
INTRO = {
    "employee": "Here is what the law says about your question, in plain words.",
    "advocate": "The provisions that bear on this question, with their citations:",
    "hr": "What the law requires of the employer here, with citations:",
}
MAX_SENTENCES = 6
MAX_PER_PASSAGE = 3

_DEADLINE = re.compile(
    r"\b(deadline|statute of limitations|within \w+ (?:days?|months?|years?)|\d+ days|days? (?:to|after|of)|"
    r"(?:two|three|six|\d+) (?:years?|months?) (?:to|of|after|from))\b",
    re.IGNORECASE,
)
_FILING = re.compile(r"\b(file|filing|sue|lawsuit|charge|complaint|revoke|consider)\b", re.IGNORECASE)
_HELP = re.compile(
    r"\b(EEOC|NLRB|OSHA|Wage and Hour|agency|hotline|lawyer|attorney|call|contact|1-8\d\d-)\b", re.IGNORECASE
)
_CONDITION = re.compile(
    r"^(if|only|unless|to (?:be|qualify)|as long as)\b|\b(at least|eligible|must have|only if|unless|does not apply|"
    r"doesn't apply|exempt|exception|covers? (?:employers|you)|covered)\b",
    re.IGNORECASE,
)
_ASKS_NUMBER = re.compile(r"\b(how (?:many|much|long|old|soon)|when|deadline|minimum|maximum|limit|weeks?|days?)\b", re.I)
_YEAR = re.compile(r"\b(?:19[6-9]\d|20\d\d)\b")
_TABLE_RULE = re.compile(r"^\s*\|\s*:?-{3,}")
_HAS_NUMBER = re.compile(r"\d|\b(one|two|three|six|twelve|thirty|ninety)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    hit_rank: int
    chunk: Chunk
    display: str
    quote: str
    cites: tuple[str, ...]
    terms: frozenset[str]


@dataclass
class Composed:
    markdown: str
    citations: list[Citation]
    as_of: str
    found: bool


def candidates(hits: Sequence[Hit], question: str = "") -> list[Candidate]:
    years = frozenset(_YEAR.findall(question))
    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        for chunk in hit.section_chunks:
            out.extend(_chunk_candidates(rank, chunk, years))
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_rows(rank: int, chunk: Chunk, table: list[str], years: frozenset[str]) -> list[Candidate]:
    """The rows of a table whose first cell is a year the question names, each read out with its column names."""
    header = _cells(table[0])
    subject = chunk.heading_path.split(" > ")[-1]
    out = []
    for row in table[2:]:
        cells = _cells(row)
        if cells[0] not in years:
            continue
        values = "; ".join(f"{h}: {c}" for h, c in zip(header[1:], cells[1:]) if c)
        display = f"{subject}, {header[0].lower()} {cells[0]}: {values}."
        out.append(Candidate(rank, chunk, display, row.strip(), (chunk.cite,), frozenset(analyze(display))))
    return out


def _chunk_candidates(rank: int, chunk: Chunk, years: frozenset[str] = frozenset()) -> list[Candidate]:
    lines = chunk.text.splitlines()
    table = [line for line in lines if line.lstrip().startswith("|")]
    if len(table) >= 3 and _TABLE_RULE.match(table[1]):
        prose = "\n".join(line for line in lines if not line.lstrip().startswith("|"))
        return _table_rows(rank, chunk, table, years) + _sentence_candidates(rank, replace(chunk, text=prose))
    return _sentence_candidates(rank, chunk)


def _sentence_candidates(rank: int, chunk: Chunk) -> list[Candidate]:
    out: list[Candidate] = []
    for sentence in split_sentences(chunk.text):
        if sentence.startswith("#") or len(sentence) < 20:
            continue
        if chunk.doc_type == "summary":
            display, cites = split_trailing_cites(sentence)
            if not cites:
                continue
        else:
            display, cites = sentence, [chunk.cite]
        display = re.sub(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+", "", display)
        out.append(Candidate(rank, chunk, display, sentence, tuple(cites), frozenset(analyze(display))))
    return out


def _score(c: Candidate, q_terms: frozenset[str], asks_number: bool, hits: Sequence[Hit]) -> float:
    overlap = len(c.terms & q_terms)
    score = overlap / (len(q_terms) ** 0.5 + 1) + 0.35 / (c.hit_rank + 1) + 0.3 * max(hits[c.hit_rank].similarity, 0)
    if asks_number and _HAS_NUMBER.search(c.display):
        score += 0.25
    return score if overlap or c.hit_rank == 0 else score - 0.5


def _select(pool: list[Candidate], question: str, hits: Sequence[Hit]) -> list[Candidate]:
    q_terms = frozenset(analyze(question))
    asks_number = bool(_ASKS_NUMBER.search(question))
    ranked = sorted(pool, key=lambda c: -_score(c, q_terms, asks_number, hits))
    chosen: list[Candidate] = []
    per_passage: dict[int, int] = {}
    seen: set[str] = set()
    for cand in ranked:
        key = cand.display.lower()
        if key in seen or per_passage.get(cand.hit_rank, 0) >= MAX_PER_PASSAGE:
            continue
        if chosen and _score(cand, q_terms, asks_number, hits) <= 0.25:
            break
        chosen.append(cand)
        seen.add(key)
        per_passage[cand.hit_rank] = per_passage.get(cand.hit_rank, 0) + 1
        if len(chosen) >= MAX_SENTENCES:
            break
    return _keep_state_rule(chosen, ranked, q_terms, asks_number, hits)


def _is_state(c: Candidate) -> bool:
    return c.chunk.jurisdiction not in ("US", "company")


def _keep_state_rule(
    chosen: list[Candidate], ranked: list[Candidate], q_terms: frozenset[str], asks_number: bool, hits: Sequence[Hit]
) -> list[Candidate]:
    """Make room for the chosen state's own rule when it bears on the question and federal text crowded it out."""
    if not chosen or any(_is_state(c) for c in chosen):
        return chosen
    best = next((c for c in ranked if _is_state(c) and c.terms & q_terms), None)
    if best is None or _score(best, q_terms, asks_number, hits) <= 0.25:
        return chosen
    return [*chosen[: MAX_SENTENCES - 1], best]


def _group(cand: Candidate, hits: Sequence[Hit]) -> str:
    if cand.chunk.doc_type == "policy":
        return "policy"
    if _is_state(cand):
        return "state"
    text = cand.display
    if _DEADLINE.search(text) and _FILING.search(text):
        return "deadlines"
    if _HELP.search(text):
        return "help"
    if _CONDITION.search(text):
        return "conditions"
    return "rule"


def _group_title(group: str, members: Sequence[Candidate], groups: dict[str, list[Candidate]]) -> str:
    if group == "state":
        code = members[0].chunk.jurisdiction
        return f"In {STATES.get(code, code)}"
    if group == "rule" and groups.get("state"):
        return "Federal law"
    return GROUP_TITLES[group]


def citation_title(chunk: Chunk) -> str:
    """A citation card's title: the document and the section, "FMLA: Who is eligible"."""
    parts = chunk.heading_path.split(" > ")
    return f"{parts[0]}: {parts[-1]}" if len(parts) > 1 else parts[0]


def compose(question: str, hits: Sequence[Hit], role: str = "employee") -> Composed:
    """Build the answer from ``hits`` (best first); ``found`` is False when nothing citable matched."""
    chosen = _select(candidates(hits, question), question, hits)
    if not chosen:
        return Composed("", [], "", False)
    groups: dict[str, list[Candidate]] = {g: [] for g in GROUP_TITLES}
    for cand in chosen:
        groups[_group(cand, hits)].append(cand)
    numbers: dict[tuple[str, str], int] = {}
    citations: list[Citation] = []
    lines = [INTRO.get(role, INTRO["employee"]), ""]
    for group, members in groups.items():
        if not members:
            continue
        lines.append(f"**{_group_title(group, members, groups)}**")
        for cand in members:
            chunk = cand.chunk
            markers = []
            for cite in cand.cites:
                key = (cite, chunk.chunk_id)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    citations.append(
                        Citation(numbers[key], cite, citation_title(chunk), chunk.url, chunk.chunk_id, normalize_text(cand.quote))
                    )
                markers.append(f"[{numbers[key]}]")
            lines.append(f"- {cand.display} {''.join(markers)}")
        lines.append("")
    as_of = min((c.chunk.as_of for c in chosen if c.chunk.as_of), default="")
    return Composed("\n".join(lines).rstrip(), citations, as_of, True)


def quote_for(cite: str, chunk: Chunk) -> str | None:
    """The sentence of ``chunk`` that carries ``cite`` (as the passage writes it), for a supporting citation."""
    wanted = normalize_text(cite)
    for sentence in split_sentences(chunk.text):
        if wanted in {normalize_text(c) for c in find_cites(sentence)}:
            return normalize_text(sentence)
    return None


def supporting_citation(cite: str, chunk: Chunk, n: int) -> Citation | None:
    """Citation number ``n`` for ``cite``, quoting the sentence of ``chunk`` that carries it; None when none does.

    The citation keeps the passage's own exact form of the cite ("§ 2612(a)(1)" for a rule given as "§ 2612").
    """
    quote = quote_for(cite, chunk)
    if quote is None:
        return None
    exact = next((c for c in find_cites(quote) if section_key(c) == section_key(cite)), cite)
    return Citation(n, exact, citation_title(chunk), chunk.url, chunk.chunk_id, quote)


def renumber(text: str, citations: Sequence[Citation]) -> tuple[str, list[Citation]]:
    """Number citations in order of first appearance in ``text``; drop those never referenced."""
    order: dict[int, int] = {}
    for m in re.finditer(r"\[(\d+)\]", text):
        order.setdefault(int(m.group(1)), len(order) + 1)
    by_n = {c.n: c for c in citations}
    new_text = re.sub(r"\[(\d+)\]", lambda m: f"[{order[int(m.group(1))]}]", text)
    ordered = [replace(by_n[old], n=new) for old, new in sorted(order.items(), key=lambda kv: kv[1]) if old in by_n]
    return new_text, ordered
