"""Coverage checks: does a federal law reach this employer and this worker, from the facts given.

Employer size (Title VII, ADA, PWFA 15; ADEA 20; FMLA 50), age (ADEA 40+) and FMLA eligibility (12
months, 1,250 hours, 50 employees within 75 miles). A fact the user did not give is asked for, never
assumed; when a federal law does not reach, the answer says so and points to state law, which often
covers smaller employers. Thresholds come from ``kb/coverage.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workrights.state_facts import StateFacts
from workrights.citations import split_trailing_cites
from workrights.text import split_sentences

__all__ = ["Facts", "CoverageNote", "extract_facts", "check_coverage", "coverage_for", "law_names", "asks_about_coverage"]

_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_NUM = r"(\d[\d,]*|" + "|".join(_WORDS) + r")"
_EMPLOYEES = re.compile(
    rf"(?i)\b(?:like |about |around |only |just |under |over |less than |more than |fewer than )?{_NUM}[- ]?(?:\+\s*)?"
    r"(?:employees|workers|people|staff|ppl|person|employee|guys|of us)\b"
)
_AGE = re.compile(r"(?i)\b(?:i'?m|i am|im|age[d]?|aged)\s+(\d{2})\b(?!\s*(?:hours|hrs|employees|people|weeks|days|months|%|percent|dollars|\$))|\b(\d{2})[- ](?:years?|yrs?)[- ]old\b")
_TENURE = re.compile(
    rf"(?i)\b(?:worked|been|working|employed|started)\b(?:\s+\w+){{0,4}}?\s+(?:for\s+)?(?:about\s+|almost\s+|over\s+|like\s+)?{_NUM}\s*(months?|mos?|years?|yrs?|weeks?)\b"
    rf"|\b{_NUM}\s*(months?|years?|yrs?)\s+(?:there|here|at|with|on the job)\b"
)
_HOURS_YEAR = re.compile(r"(?i)\b(\d[\d,]*)\s*(?:hours|hrs)\b(?=[^.?!]{0,40}\b(?:year|12 months|twelve months|last year|past year)\b)")
_HOURS_WEEK = re.compile(r"(?i)\b(\d{1,2})\s*(?:hours|hrs)\s*(?:a|per|/|each)\s*(?:week|wk)\b")
_COVERAGE_Q = re.compile(r"(?i)\b(?:cover(?:s|ed|age)?|apply|applies|eligible|eligibility|qualify|qualif\w+|count(?:s)? as|too small|small (?:company|business|shop|employer|office))\b")


def _number(token: str) -> int:
    token = token.lower().replace(",", "")
    return int(token) if token.isdigit() else _WORDS[token]


@dataclass(frozen=True)
class Facts:
    employees: int | None = None
    age: int | None = None
    months: float | None = None
    hours_year: int | None = None
    hours_estimated: bool = False
    worksite_50: bool | None = None  # 50 or more employees within 75 miles of the worksite (asked by the app's checker)


@dataclass
class CoverageNote:
    law: str
    status: str  # covered | not_covered | unknown
    lines: list[tuple[str, str]] = field(default_factory=list)  # (sentence, cite)
    missing: list[str] = field(default_factory=list)


def extract_facts(text: str) -> Facts:
    employees = next((_number(m.group(1)) for m in _EMPLOYEES.finditer(text)), None)
    age_match = _AGE.search(text)
    age = int(age_match.group(1) or age_match.group(2)) if age_match else None
    months = None
    for m in _TENURE.finditer(text):
        amount, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        n = _number(amount)
        months = n * 12 if unit.lower().startswith(("y", "yr")) else n / 4.3 if unit.lower().startswith("w") else n
        break
    hours_year, estimated = None, False
    if m := _HOURS_YEAR.search(text):
        hours_year = _number(m.group(1))
    elif m := _HOURS_WEEK.search(text):
        hours_year, estimated = int(m.group(1)) * 52, True
    return Facts(employees, age, months, hours_year, estimated)


def asks_about_coverage(text: str, facts: Facts) -> bool:
    return bool(_COVERAGE_Q.search(text)) or facts.employees is not None or facts.months is not None


@lru_cache(maxsize=4)
def _rules(path: Path) -> list[dict[str, object]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["law"]


def _employer_line(rule: dict[str, object], facts: Facts) -> tuple[str, tuple[str, str] | None, str | None]:
    need, cite, name = int(rule["min_employees"]), str(rule["employees_cite"]), str(rule["name"])
    if facts.employees is None:
        return "unknown", None, f"how many employees your employer has ({name} needs {need} or more)"
    if facts.employees >= need:
        return "covered", (f"{name} covers employers with {need} or more employees; you said about {facts.employees}.", cite), None
    return "not_covered", (
        f"{name} covers employers with {need} or more employees; with about {facts.employees} it probably does not reach "
        f"your employer, but your state's law may, since many states cover smaller employers.",
        cite,
    ), None


def check_coverage(
    text: str, rules_file: Path, topics_text: str | None = None, state: StateFacts | None = None
) -> list[CoverageNote]:
    """Coverage notes for the laws the question is about; empty when the question is not about coverage."""
    facts = extract_facts(text)
    if not asks_about_coverage(text, facts):
        return []
    laws = [str(r["id"]) for r in _rules(rules_file) if re.search(str(r["topic"]), topics_text or text, re.IGNORECASE)]
    return coverage_for(facts, rules_file, laws, state)


def law_names(rules_file: Path) -> dict[str, str]:
    """The laws the checker knows, id -> name, in the rules file's order."""
    return {str(r["id"]): str(r["name"]) for r in _rules(rules_file)}


def coverage_for(facts: Facts, rules_file: Path, laws: Sequence[str], state: StateFacts | None = None) -> list[CoverageNote]:
    """Coverage notes for the laws ``laws`` (ids in ``rules_file``) from facts already known, plus the state's law."""
    notes: list[CoverageNote] = []
    for rule in _rules(rules_file):
        if str(rule["id"]) not in laws:
            continue
        status, line, missing = _employer_line(rule, facts)
        note = CoverageNote(str(rule["name"]), status, [line] if line else [], [missing] if missing else [])
        if "min_age" in rule:
            _age(rule, facts, note)
        if "min_months" in rule:
            _fmla_employee(rule, facts, note)
        notes.append(note)
    if state is not None and any(n.law in _DISCRIMINATION_LAWS for n in notes):
        notes.append(_state_employer(state, facts))
    return notes


_DISCRIMINATION_LAWS = ("Title VII", "ADA (disability)", "Pregnant Workers Fairness Act", "ADEA (age)")


def _state_employer(state: StateFacts, facts: Facts) -> CoverageNote:
    """Whether the state's own fair employment law reaches this employer, from its threshold in kb/states/."""
    fe = state.fair_employment
    if fe.min_employees is None:
        return CoverageNote(f"{state.name} law", "unknown", [(split_trailing_cites(split_sentences(fe.text)[0])[0], fe.cite)])
    need = fe.min_employees
    size = "any employer, whatever its size" if need == 1 else f"employers with {need} or more employees"
    if facts.employees is None:
        return CoverageNote(fe.law, "unknown", [(f"{fe.law} covers {size}.", fe.cite)], [f"how many employees your employer has ({fe.law} needs {need} or more)"])
    if facts.employees >= need:
        return CoverageNote(fe.law, "covered", [(f"{fe.law} covers {size}; with about {facts.employees}, it covers your employer.", fe.cite)])
    return CoverageNote(fe.law, "not_covered", [(f"{fe.law} covers {size}; with about {facts.employees}, it probably does not reach your employer either.", fe.cite)])


def _age(rule: dict[str, object], facts: Facts, note: CoverageNote) -> None:
    need = int(rule["min_age"])
    if facts.age is None:
        note.missing.append(f"your age (the ADEA protects workers {need} and older)")
        note.status = "unknown" if note.status == "covered" else note.status
    elif facts.age < need:
        note.status = "not_covered"
        note.lines.append((f"The ADEA protects workers {need} and older; at {facts.age} it does not apply, though some state laws do.", str(rule["age_cite"])))
    else:
        note.lines.append((f"The ADEA protects workers {need} and older, so at {facts.age} you are in the protected group.", str(rule["age_cite"])))


def _fmla_employee(rule: dict[str, object], facts: Facts, note: CoverageNote) -> None:
    months, hours = int(rule["min_months"]), int(rule["min_hours"])
    if facts.months is None:
        note.missing.append(f"how long you have worked there ({months} months needed)")
    elif facts.months < months:
        note.status = "not_covered"
        note.lines.append((f"You need at least {months} months with the employer for FMLA leave; you said about {facts.months:g}.", str(rule["months_cite"])))
    else:
        note.lines.append((f"You have at least {months} months with the employer, which FMLA requires.", str(rule["months_cite"])))
    if facts.hours_year is None:
        note.missing.append(f"how many hours you worked in the last 12 months ({hours:,} needed)")
    elif facts.hours_year < hours:
        note.status = "not_covered"
        approx = " (estimated from your weekly hours)" if facts.hours_estimated else ""
        note.lines.append((f"FMLA needs {hours:,} hours in the 12 months before leave; you have about {facts.hours_year:,}{approx}.", str(rule["hours_cite"])))
    else:
        approx = " (estimated from your weekly hours)" if facts.hours_estimated else ""
        note.lines.append((f"You meet the {hours:,}-hour requirement for FMLA{approx}.", str(rule["hours_cite"])))
    _fmla_worksite(rule, facts, note)
    if note.status == "covered" and note.missing:
        note.status = "unknown"


def _fmla_worksite(rule: dict[str, object], facts: Facts, note: CoverageNote) -> None:
    if facts.worksite_50 is None:
        note.missing.append("whether your employer has 50 employees within 75 miles of your worksite")
    elif facts.worksite_50:
        note.lines.append(("Your employer has 50 or more employees within 75 miles of your worksite, as FMLA requires.", str(rule["site_cite"])))
    else:
        note.status = "not_covered"
        note.lines.append(("FMLA eligibility needs 50 employees within 75 miles of your worksite; you said there are fewer.", str(rule["site_cite"])))
