"""Where a company policy falls below the law: a small cited rule set checked against the policy passages an answer uses.

An HR user checking a handbook, or a worker reading one, needs to see a rule that gives less than the law
(8 weeks of FMLA leave, overtime only after 45 hours, a ban on discussing pay) next to what the law
requires and its citation. The rules are data (``kb/policy_minimums.toml``): a regex for the topic of the
section, one for the sentence, numbers read from it, and the legal limit with its cite. They are written to
stay quiet when unsure: a sentence with several numbers is judged by the most generous one, and phrases that
often sit beside a number without being the rule (a tipped wage, notice periods, a cap on hours) rule the
sentence out. A finding is a lead to check, shown with the policy's own words, never a verdict.

``find_gaps`` only reads; the answer pipeline decides how to show a finding and cites the law only when a
knowledge-base passage carries the rule's citation.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workrights.citations import find_cites, normalize_text
from workrights.errors import KnowledgeBaseError
from workrights.schema import Chunk, Hit
from workrights.state_facts import StateFacts
from workrights.text import split_sentences

__all__ = ["GapRule", "GapFinding", "ValuePattern", "load_gap_rules", "find_gaps", "KINDS"]

KINDS = ("at_least", "at_most", "forbidden")
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18,
    "twenty": 20, "twenty-four": 24, "twenty-six": 26, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
}
_NUMBER = (
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")"
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class ValuePattern:
    pattern: re.Pattern[str]
    scale: float = 1.0
    fixed: float | None = None  # the value of a phrase with no number in it ("time and a half")

    def values(self, sentence: str) -> list[float]:
        out = []
        for m in self.pattern.finditer(sentence):
            if self.fixed is not None:
                out.append(self.fixed)
            elif m.groupdict().get("n"):
                out.append(_number(m.group("n")) * self.scale)
            else:
                out.append(0.0)  # a "forbidden" pattern: the match itself is the finding
        return out


@dataclass(frozen=True)
class GapRule:
    id: str
    topic: str
    kind: str
    section: re.Pattern[str]
    sentence: re.Pattern[str]
    values: tuple[ValuePattern, ...]
    requires: str
    cite: str
    limit: float = 0.0
    unless: re.Pattern[str] | None = None
    state_fact: str = ""
    state_requires: str = ""


@dataclass(frozen=True)
class GapFinding:
    """One policy sentence that gives less than the law, with what the law requires and its citation."""

    rule: str  # the rule's id
    topic: str
    chunk: Chunk  # the policy passage the sentence is from
    quote: str  # the sentence as the passage has it (normalised), for the policy's citation
    requires: str  # what the law requires, one sentence
    cite: str  # the law's citation, as the knowledge base writes it
    jurisdiction: str = "US"  # "US", or the state whose stricter rule this is

    @property
    def display(self) -> str:
        """The policy sentence for the reader, without a list marker."""
        return _LIST_MARKER.sub("", self.quote).strip()


def find_gaps(hits: Sequence[Hit], rules: Sequence[GapRule], state: StateFacts | None = None) -> list[GapFinding]:
    """Findings for the policy passages among ``hits`` (best first): one per rule and section, in hit order."""
    findings: list[GapFinding] = []
    seen: set[tuple[str, str, str]] = set()
    for hit in hits:
        if hit.chunk.doc_type != "policy":
            continue
        section = hit.section_chunks
        topic_text = "\n".join([section[0].heading_path, *(c.text for c in section)])
        for rule in rules:
            key = (rule.id, hit.chunk.source_id, hit.chunk.heading_path)
            if key in seen or not rule.section.search(topic_text):
                continue
            finding = _first_finding(rule, section, state)
            if finding is not None:
                seen.add(key)
                findings.append(finding)
    return findings


def _first_finding(rule: GapRule, section: Sequence[Chunk], state: StateFacts | None) -> GapFinding | None:
    """The section's sentence that breaks ``rule``; the first value pattern (the plainest wording) wins."""
    sentences = [
        (chunk, sentence)
        for chunk in section
        for sentence in split_sentences(chunk.text)
        if not sentence.startswith("#")
        and rule.sentence.search(sentence)
        and not (rule.unless is not None and rule.unless.search(sentence))
    ]
    for chunk, sentence in sorted(sentences, key=lambda pair: _priority(rule, pair[1])):
        finding = _judge(rule, chunk, sentence, state)
        if finding is not None:
            return finding
    return None


def _priority(rule: GapRule, sentence: str) -> int:
    return next((i for i, v in enumerate(rule.values) if v.pattern.search(sentence)), len(rule.values))


def _judge(rule: GapRule, chunk: Chunk, sentence: str, state: StateFacts | None) -> GapFinding | None:
    values = [v for pattern in rule.values for v in pattern.values(sentence)]
    if not values:
        return None
    quote = normalize_text(sentence)
    if rule.kind == "forbidden":
        return GapFinding(rule.id, rule.topic, chunk, quote, rule.requires, rule.cite)
    if rule.kind == "at_most":
        # The most generous number decides, so a sentence that also names a longer period is not flagged.
        value = min(values)
        return GapFinding(rule.id, rule.topic, chunk, quote, rule.requires, rule.cite) if value > rule.limit else None
    value = max(values)
    stricter = _state_limit(rule, state)
    if stricter is not None and value < stricter[0]:
        _, requires, cite = stricter
        assert state is not None
        return GapFinding(rule.id, rule.topic, chunk, quote, requires, cite, state.code)
    if value < rule.limit:
        return GapFinding(rule.id, rule.topic, chunk, quote, rule.requires, rule.cite)
    return None


def _state_limit(rule: GapRule, state: StateFacts | None) -> tuple[float, str, str] | None:
    """The state's own limit, requirement and citation, when a state is chosen and its rule is stricter."""
    if state is None or rule.state_fact != "minimum_wage":
        return None
    wage = state.minimum_wage
    if wage.federal_applies or wage.rate is None or wage.rate <= rule.limit:
        return None
    requires = rule.state_requires.format(state=state.name, limit=f"${wage.rate:,.2f}")
    return float(wage.rate), requires, wage.cite


def _number(text: str) -> float:
    word = text.lower()
    if word in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[word])
    return float(text.replace(",", ""))


# ------------------------------------------------------------------------------------------------ loading


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int) -> tuple[GapRule, ...]:
    where = Path(path)
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(f"{where} cannot be read ({exc}); fix the file or restore it from the repository.") from None
    return tuple(_rule(where, i, raw) for i, raw in enumerate(data.get("rule", []), start=1))


def load_gap_rules(path: Path) -> tuple[GapRule, ...]:
    """The rules of ``path`` (``kb/policy_minimums.toml``); none when a custom knowledge base has no such file."""
    if not path.is_file():
        return ()
    return _load_cached(str(path), path.stat().st_mtime_ns)


def _rule(where: Path, index: int, raw: Any) -> GapRule:
    def fail(problem: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(f"{where}, rule {index}: {problem}; see the comment at the top of the file.")

    if not isinstance(raw, dict):
        raise fail("is not a table")
    for key in ("id", "topic", "kind", "section", "sentence", "requires", "cite"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail(f"needs a text `{key}`")
    if raw["kind"] not in KINDS:
        raise fail(f"kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if find_cites(raw["cite"]) != [raw["cite"]]:
        raise fail(f"cite {raw['cite']!r} is not one citation in the knowledge base's form")
    limit = raw.get("limit", 0)
    if raw["kind"] != "forbidden" and (not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit <= 0):
        raise fail("needs a positive number `limit`")
    values = tuple(_value(fail, v) for v in raw.get("value", []))
    if not values:
        raise fail("needs at least one [[rule.value]] pattern")
    if raw["kind"] != "forbidden" and any(v.fixed is None and "n" not in v.pattern.groupindex for v in values):
        raise fail("has a value pattern with neither {number} nor `fixed`, so it gives no number to compare")
    if raw.get("state_fact", "minimum_wage") != "minimum_wage":
        raise fail(f"state_fact {raw['state_fact']!r} is not known; only minimum_wage is")
    return GapRule(
        id=raw["id"],
        topic=raw["topic"],
        kind=raw["kind"],
        section=_regex(fail, raw["section"]),
        sentence=_regex(fail, raw["sentence"]),
        values=values,
        requires=raw["requires"],
        cite=raw["cite"],
        limit=float(limit),
        unless=_regex(fail, raw["unless"]) if raw.get("unless") else None,
        state_fact=str(raw.get("state_fact", "")),
        state_requires=str(raw.get("state_requires", "")),
    )


def _value(fail: Any, raw: Any) -> ValuePattern:
    if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
        raise fail("has a [[rule.value]] without a text `pattern`")
    fixed = raw.get("fixed")
    return ValuePattern(_regex(fail, raw["pattern"].replace("{number}", _NUMBER)), float(raw.get("scale", 1)), None if fixed is None else float(fixed))


def _regex(fail: Any, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise fail(f"pattern {pattern!r} is not a valid regex ({exc})") from None
