"""State facts: the schema of ``kb/states/XX.toml``, its loader, and the plain-language summaries made from it.

One file per state and DC (format in ``kb/states/README.md``). Every fact carries its citation, an official
URL and the date it describes the law as of. The summaries are what retrieval finds in jurisdiction ``XX``;
the guardrails read the structured fields (coverage thresholds, the agency, its filing deadline).

Run ``python -m workrights.state_facts kb/states/XX.toml ...`` to validate files and print their summaries.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from workrights.citations import find_cites, normalize_text, split_trailing_cites
from workrights.errors import KnowledgeBaseError
from workrights.text import split_sentences

__all__ = [
    "STATES",
    "TERRITORIES",
    "TOPICS",
    "code_for_name",
    "Fact",
    "MinimumWage",
    "FairEmployment",
    "StateAgency",
    "LaborAgency",
    "StateFacts",
    "RenderedFact",
    "load_state_file",
    "load_states",
    "state_files",
    "state_errors",
    "parse_state_text",
    "render",
    "FEDERAL_MINIMUM_WAGE",
]

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming",
}

# The minimum-wage history also covers these; they have no facts file and no selector entry.
TERRITORIES: dict[str, str] = {"GU": "Guam", "PR": "Puerto Rico", "VI": "U.S. Virgin Islands"}


def code_for_name(name: str) -> str | None:
    """The USPS code of a state, DC or territory by its full name, any case; None for anything else."""
    return _CODES_BY_NAME.get(name.strip().lower())


TOPICS: dict[str, str] = {
    "overtime": "overtime rules",
    "paid_sick_leave": "paid sick leave",
    "paid_family_leave": "paid family and medical leave",
    "final_pay": "final paycheck after a job ends",
    "meal_rest_breaks": "meal and rest breaks",
    "pay_transparency": "pay transparency and salary history",
    "non_compete": "non-compete agreements",
}

_CODES_BY_NAME = {name.lower(): code for code, name in (STATES | TERRITORIES).items()}
FEDERAL_MINIMUM_WAGE = 7.25
_FACT_KEYS = {"text", "cite", "url", "as_of", "checked"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PHONE = re.compile(r"^(?:1-)?\d{3}-\d{3}-\d{4}$|^711$")
_LATEST_AS_OF = date(2026, 12, 31)


@dataclass(frozen=True)
class Fact:
    text: str
    cite: str
    url: str
    as_of: str
    checked: tuple[str, ...] = ()


@dataclass(frozen=True)
class MinimumWage(Fact):
    federal_applies: bool = False
    rate: float | None = None


@dataclass(frozen=True)
class FairEmployment(Fact):
    law: str = ""
    min_employees: int | None = None
    classes_beyond_federal: tuple[str, ...] = ()
    classes_cite: str = ""  # the section that lists the protected classes, when it is not ``cite``


@dataclass(frozen=True)
class StateAgency(Fact):
    exists: bool = True
    name: str = ""
    phone: str = ""
    agency_url: str = ""
    filing_days: int = 0
    filing_months: int = 0
    filing_years: int = 0
    work_sharing: bool = False

    @property
    def filing_period(self) -> str:
        if self.filing_days:
            return f"{self.filing_days} days"
        if self.filing_months:
            return f"{self.filing_months} months"
        if self.filing_years:
            return f"{self.filing_years} year" + ("s" if self.filing_years > 1 else "")
        return ""

    @property
    def eeoc_days(self) -> int:
        return 300 if self.work_sharing else 180


@dataclass(frozen=True)
class LaborAgency:
    name: str
    url: str
    phone: str = ""


@dataclass(frozen=True)
class StateFacts:
    code: str
    name: str
    minimum_wage: MinimumWage
    fair_employment: FairEmployment
    agency: StateAgency
    labor_agency: LaborAgency | None = None
    topics: Mapping[str, Fact] = field(default_factory=dict)

    @property
    def as_of(self) -> str:
        return min(f.as_of for f in self.facts().values())

    def facts(self) -> dict[str, Fact]:
        return {"minimum_wage": self.minimum_wage, "fair_employment": self.fair_employment, "agency": self.agency, **self.topics}


@dataclass(frozen=True)
class RenderedFact:
    """One summary section: what the knowledge base stores for one fact."""

    key: str
    heading: str
    text: str
    cite: str
    url: str
    as_of: str


# -- loading -------------------------------------------------------------------------------------


class _Reader:
    """Pulls typed values out of one TOML table, naming the file and table in every error."""

    def __init__(self, where: str, table: str, data: Any, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise KnowledgeBaseError(f"{where}: [{table}] must be a table; see kb/states/README.md.")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise KnowledgeBaseError(f"{where}: [{table}] has unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}.")
        self.where, self.table, self.data = where, table, data

    def fail(self, message: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(f"{self.where}: [{self.table}] {message}")

    def str(self, key: str, required: bool = True) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"needs {key} as a non-empty string.")
        return normalize_text(value.strip())

    def int(self, key: str) -> int:
        value = self.data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(f"{key} must be a whole number of at least 0.")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false.")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{key} must be a list of non-empty strings.")
        return tuple(v.strip() for v in value)

    def fact_fields(self) -> dict[str, Any]:
        text, cite, url, as_of = self.str("text"), self.str("cite"), self.str("url"), self.str("as_of")
        if find_cites(cite) != [cite]:
            raise self.fail(f"cite {cite!r} is not one citation in a recognised form; see kb/states/README.md.")
        if not url.startswith("https://"):
            raise self.fail(f"url {url!r} must be an https:// address of an official page.")
        if not _DATE.match(as_of):
            raise self.fail(f"as_of {as_of!r} is not a YYYY-MM-DD date.")
        if date.fromisoformat(as_of) > _LATEST_AS_OF:
            raise self.fail(f"as_of {as_of} is in the future; give the date the law was in force.")
        for sentence in split_sentences(text):
            if re.search(r"\([^()]*§[^()]*\)\W*$", sentence) and not find_cites(sentence):
                raise self.fail(f"text has a citation in an unrecognised form: {sentence!r}.")
        return {"text": text, "cite": cite, "url": url, "as_of": as_of, "checked": self.strings("checked")}


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _minimum_wage(where: str, data: Any) -> MinimumWage:
    r = _Reader(where, "minimum_wage", data, _FACT_KEYS | {"federal_applies", "rate"})
    fields = r.fact_fields()
    federal = r.bool("federal_applies", False)
    rate = data.get("rate")
    if federal and rate is not None and rate > FEDERAL_MINIMUM_WAGE:
        raise r.fail(f"federal_applies is true but rate {rate} is above ${FEDERAL_MINIMUM_WAGE}; drop one.")
    if not federal:
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= FEDERAL_MINIMUM_WAGE:
            raise r.fail(f"needs rate above {FEDERAL_MINIMUM_WAGE} when federal_applies is false.")
        if _money(float(rate)) not in fields["text"] and f"${float(rate):g}" not in fields["text"]:
            raise r.fail(f"text does not state the rate {_money(float(rate))}; the sentence and the number must agree.")
    return MinimumWage(**fields, federal_applies=federal, rate=float(rate) if rate is not None and not federal else None)


def _fair_employment(where: str, data: Any) -> FairEmployment:
    r = _Reader(where, "fair_employment", data, _FACT_KEYS | {"law", "min_employees", "classes_beyond_federal", "classes_cite"})
    fields = r.fact_fields()
    law = r.str("law", required=False)
    size = data.get("min_employees")
    if size is not None:
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise r.fail("min_employees must be a whole number of at least 1.")
        if not law:
            raise r.fail("has min_employees but no law; name the law.")
        if size > 1 and not re.search(rf"\b{size}\b", fields["text"]):
            raise r.fail(f"text does not state the threshold of {size} employees.")
    classes_cite = r.str("classes_cite", required=False) or fields["cite"]
    if find_cites(classes_cite) != [classes_cite]:
        raise r.fail(f"classes_cite {classes_cite!r} is not one citation in a recognised form.")
    return FairEmployment(
        **fields, law=law, min_employees=size, classes_beyond_federal=r.strings("classes_beyond_federal"), classes_cite=classes_cite
    )


def _agency(where: str, data: Any) -> StateAgency:
    keys = _FACT_KEYS | {"exists", "name", "phone", "filing_days", "filing_months", "filing_years", "work_sharing", "url_fact"}
    r = _Reader(where, "agency", data, keys)
    fields = r.fact_fields()
    exists = r.bool("exists", True)
    if not exists:
        if r.bool("work_sharing", False):
            raise r.fail("work_sharing cannot be true when exists is false.")
        return StateAgency(**fields, exists=False)
    name, phone = r.str("name"), r.str("phone", required=False)
    if phone and not _PHONE.match(phone):
        raise r.fail(f"phone {phone!r} is not written like 1-800-884-1684 or 617-994-6000.")
    periods = {k: r.int(k) for k in ("filing_days", "filing_months", "filing_years")}
    # No period at all is allowed: where no source states the agency's deadline, none is shown.
    if sum(1 for v in periods.values() if v) > 1:
        raise r.fail("needs at most one of filing_days, filing_months, filing_years.")
    # url is the page about the deadline (url_fact) when there is one; agency_url is always the agency's site.
    fact_url = r.str("url_fact") if "url_fact" in data else fields["url"]
    agency = StateAgency(
        **{**fields, "url": fact_url}, exists=True, name=name, phone=phone, agency_url=fields["url"],
        work_sharing=r.bool("work_sharing", False), **periods,
    )
    number = agency.filing_period.split()[0] if agency.filing_period else ""
    if number and not re.search(rf"\b{number}\b", fields["text"]) and not _spelled(agency, fields["text"]):
        raise r.fail(f"text does not state the filing deadline of {agency.filing_period}.")
    return agency


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 6: "six"}


def _spelled(agency: StateAgency, text: str) -> bool:
    n = agency.filing_years or agency.filing_months
    return n in _WORDS and re.search(rf"(?i)\b{_WORDS[n]}\b", text) is not None


def _labor_agency(where: str, data: Any) -> LaborAgency | None:
    if data is None:
        return None
    r = _Reader(where, "labor_agency", data, {"name", "url", "phone"})
    phone = r.str("phone", required=False)
    if phone and not _PHONE.match(phone):
        raise r.fail(f"phone {phone!r} is not written like 1-833-526-4636.")
    url = r.str("url")
    if not url.startswith("https://"):
        raise r.fail(f"url {url!r} must be an https:// address.")
    return LaborAgency(r.str("name"), url, phone)


def _topics(where: str, data: Any) -> dict[str, Fact]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{where}: [topics] must be a table of topic tables.")
    out: dict[str, Fact] = {}
    for key, table in data.items():
        if key not in TOPICS:
            raise KnowledgeBaseError(f"{where}: [topics.{key}] is not a known topic; use one of {', '.join(TOPICS)}.")
        extra = set(table) - _FACT_KEYS if isinstance(table, dict) else set()
        numbers = {k for k in extra if isinstance(table[k], (int, float)) and not isinstance(table[k], bool)}
        out[key] = Fact(**_Reader(where, f"topics.{key}", table, _FACT_KEYS | numbers).fact_fields())
    return out


def parse_state_text(text: str, where: str, expected_code: str | None = None) -> StateFacts:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"{where} is not valid TOML ({exc}); fix the syntax.") from None
    code, name = data.get("code"), data.get("name")
    if code not in STATES:
        raise KnowledgeBaseError(f"{where}: code {code!r} is not a USPS code of a state or DC.")
    if expected_code and code != expected_code:
        raise KnowledgeBaseError(f"{where}: code {code} does not match the file name; name the file {code}.toml.")
    if name != STATES[code]:
        raise KnowledgeBaseError(f"{where}: name {name!r} should be {STATES[code]!r}.")
    unknown = sorted(set(data) - {"code", "name", "minimum_wage", "fair_employment", "agency", "labor_agency", "topics"})
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown table {unknown[0]!r}; see kb/states/README.md.")
    for table in ("minimum_wage", "fair_employment", "agency"):
        if table not in data:
            raise KnowledgeBaseError(f"{where}: [{table}] is missing; every state needs it.")
    return StateFacts(
        code=code,
        name=name,
        minimum_wage=_minimum_wage(where, data["minimum_wage"]),
        fair_employment=_fair_employment(where, data["fair_employment"]),
        agency=_agency(where, data["agency"]),
        labor_agency=_labor_agency(where, data.get("labor_agency")),
        topics=_topics(where, data.get("topics")),
    )


def load_state_file(path: Path) -> StateFacts:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KnowledgeBaseError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as exc:
        raise KnowledgeBaseError(f"Cannot read {path} ({exc.strerror}); check the file exists.") from exc
    return parse_state_text(text, str(path), path.stem.upper())


def state_files(states_dir: Path) -> list[Path]:
    return sorted(p for p in states_dir.glob("*.toml"))


@lru_cache(maxsize=4)
def _load_cached(states_dir: str, stamp: tuple[tuple[str, int], ...]) -> tuple[dict[str, StateFacts], tuple[str, ...]]:
    loaded: dict[str, StateFacts] = {}
    errors: list[str] = []
    for path in state_files(Path(states_dir)):
        try:
            loaded[path.stem.upper()] = load_state_file(path)
        except KnowledgeBaseError as exc:
            errors.append(str(exc))
    return loaded, tuple(errors)


def _stamp(states_dir: Path) -> tuple[tuple[str, int], ...]:
    return tuple((p.name, p.stat().st_mtime_ns) for p in state_files(states_dir))


def load_states(states_dir: Path) -> dict[str, StateFacts]:
    """Every valid state file in ``states_dir`` by code; see ``state_errors`` for the files that are not."""
    return dict(_load_cached(str(states_dir), _stamp(states_dir))[0])


def state_errors(states_dir: Path) -> tuple[str, ...]:
    """One sentence per state file that failed validation (its facts are left out, never guessed)."""
    return _load_cached(str(states_dir), _stamp(states_dir))[1]


# -- summaries ------------------------------------------------------------------------------------


def _cited(text: str, cite: str) -> str:
    """Every sentence of ``text`` ending with a citation: its own, or ``cite``."""
    out = []
    for sentence in split_sentences(text):
        body = sentence.rstrip()
        if split_trailing_cites(body)[1]:
            out.append(body)
            continue
        end = body[-1] if body[-1] in ".!?" else "."
        out.append(f"{body.rstrip('.!?')} ({cite}){end}")
    return " ".join(out)


def _wage_comparison(s: StateFacts) -> str:
    mw = s.minimum_wage
    federal = f"The federal minimum wage is {_money(FEDERAL_MINIMUM_WAGE)} an hour (29 U.S.C. § 206(a)(1))."
    if mw.federal_applies or mw.rate is None:
        return federal + f" In {s.name}, most workers covered by federal law must get at least that federal rate (29 U.S.C. § 206(a)(1))."
    return federal + (
        f" {s.name}'s rate of {_money(mw.rate)} is higher, so it is the one that applies: when state and federal "
        f"law differ, your employer must pay the higher minimum wage (29 U.S.C. § 218(a))."
    )


def _coverage_comparison(s: StateFacts) -> str:
    fe = s.fair_employment
    title_vii = "Federal law against job discrimination (Title VII) covers employers with 15 or more employees (42 U.S.C. § 2000e(b))."
    if fe.min_employees is None:
        return title_vii
    if fe.min_employees < 15:
        return title_vii + f" {s.name} law reaches smaller employers than federal law does ({fe.cite})."
    return title_vii


def _classes(s: StateFacts) -> str:
    fe = s.fair_employment
    if not fe.classes_beyond_federal:
        return ""
    return f"Beyond the groups federal law protects, {_the(fe.law) if fe.law else s.name + ' law'} also protects: {', '.join(fe.classes_beyond_federal)} ({fe.classes_cite or fe.cite})."


def _the(name: str) -> str:
    return name if name.startswith("The ") else f"the {name}"


def _agency_lines(s: StateFacts) -> str:
    a = s.agency
    the = _the(a.name)
    eeoc = f"In {s.name}, the deadline to file a charge with the EEOC is {a.eeoc_days} days (42 U.S.C. § 2000e-5(e)(1))."
    if a.exists and a.work_sharing:
        eeoc = (
            f"Because {the} enforces a state law against the same discrimination and shares complaints with the EEOC, "
            f"the deadline to file a charge with the EEOC in {s.name} is {a.eeoc_days} days, not 180 (42 U.S.C. § 2000e-5(e)(1))."
        )
    how = f"{a.phone} or {a.agency_url}" if a.phone else a.agency_url
    contact = f" You can reach {the} at {how}." if a.exists else ""
    return f"{eeoc}{contact}"


def render(s: StateFacts) -> list[RenderedFact]:
    """The summary sections for one state, in a fixed order: wage, discrimination law, agency, topics."""
    mw, fe, ag = s.minimum_wage, s.fair_employment, s.agency
    out = [
        RenderedFact("minimum_wage", f"{s.name} minimum wage", f"{_cited(mw.text, mw.cite)} {_wage_comparison(s)}", mw.cite, mw.url, mw.as_of),
        RenderedFact(
            "fair_employment",
            f"{s.name} law against job discrimination: which employers it covers",
            " ".join(x for x in (_cited(fe.text, fe.cite), _classes(s), _coverage_comparison(s)) if x),
            fe.cite,
            fe.url,
            fe.as_of,
        ),
        RenderedFact(
            "agency",
            f"Filing a discrimination complaint in {s.name}: agency and deadline",
            f"{_cited(ag.text, ag.cite)} {_agency_lines(s)}",
            ag.cite,
            ag.url,
            ag.as_of,
        ),
    ]
    for key, fact in s.topics.items():
        out.append(RenderedFact(key, f"{s.name} {TOPICS[key]}", _cited(fact.text, fact.cite), fact.cite, fact.url, fact.as_of))
    return out


def main(argv: Sequence[str]) -> int:
    """Validate state files and print their summaries; exit 1 on the first bad file."""
    if not argv:
        print("usage: python -m workrights.state_facts kb/states/XX.toml ...", file=sys.stderr)
        return 2
    status = 0
    for arg in argv:
        try:
            facts = load_state_file(Path(arg))
        except KnowledgeBaseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"# {facts.name} ({facts.code}): ok, {len(facts.facts())} facts")
        for section in render(facts):
            print(f"\n## {section.heading}\n{section.text}\n[{section.cite} | {section.url} | as of {section.as_of}]")
        print()
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
