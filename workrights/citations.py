"""Recognise, normalise and compare legal citations.

Source text writes sections with a narrow no-break space after the section sign and an en dash in
``2000e–2``; people type ``29 USC 2612`` or ``section 7 of the NLRA``. Everything is brought to the
design's form (``29 U.S.C. § 2612(a)(1)``) so that citations can be compared as strings. eyecite is not
used: it misses letter-suffixed sections such as ``2000e-2``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "normalize_text",
    "find_cites",
    "section_key",
    "section_number",
    "QueryCites",
    "parse_query_cites",
    "is_state_cite",
    "split_trailing_cites",
    "STATE_ABBREVIATIONS",
]

_DASHES = "\u2010\u2011\u2012\u2013\u2212"
_SPACES = "\u00a0\u202f\u2007\u2009\u200a"
_SUB = r"(?:\((?:[A-Za-z]{1,4}|\d{1,3})\))*"
_SECTION = r"\d+[A-Za-z]*(?:-\d+[A-Za-z]*)?"

_USC = re.compile(
    rf"\b(\d{{1,2}})\s*U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?\s*(?:§§?|[Ss]ec(?:tion|\.)?)?\s*({_SECTION})({_SUB})"
)
_CFR = re.compile(rf"\b(\d{{1,2}})\s*C\.?\s?F\.?\s?R\.?\s*(?:§§?|[Pp]art)?\s*(\d+(?:\.\d+[a-z]?)?)({_SUB})")
_FACT_SHEET = re.compile(r"(?:DOL\s+)?(?:WHD\s+)?Fact\s+Sheet\s*(?:#|No\.?)\s*(\d+[A-Za-z]{0,3}(?:\([a-z]\))?)", re.IGNORECASE)
_BARE_SECTION = re.compile(rf"(?:§§?|\b[Ss]ection)\s*({_SECTION})({_SUB})")

# State codes (kb/states/README.md): a state abbreviation, capitalised code words, optional "tit. 8," /
# "ch. 151B," / "art. X,", then the section sign: "Cal. Lab. Code § 1182.12", "Md. Code, Lab. & Empl. § 3-413".
STATE_ABBREVIATIONS = (
    "Ala.", "Alaska", "Ariz.", "Ark.", "Cal.", "Colo.", "Conn.", "Del.", "D.C.", "Fla.", "Ga.", "Haw.", "Idaho",
    "Ill.", "Ind.", "Iowa", "Kan.", "Ky.", "La.", "Me.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.",
    "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Ohio", "Okla.", "Or.", "Pa.", "R.I.", "S.C.",
    "S.D.", "Tenn.", "Tex.", "Utah", "Vt.", "Va.", "Wash.", "W. Va.", "Wis.", "Wyo.",
)
_STATE_PREFIX = "|".join(re.escape(a) for a in sorted(STATE_ABBREVIATIONS, key=len, reverse=True))
_STATE_WORD = r"(?:[A-Z][A-Za-z']*\.?|&|(?:tit|ch|art)\.\s?[0-9IVXL]+[A-Za-z]?)"
_STATE_SECTION = r"\d+[0-9A-Za-z]*(?:[.:\-][0-9A-Za-z]+)*"
_STATE_SUB = r"(?:\((?:[A-Za-z]{1,4}|\d{1,3})(?:-\d{1,3})?\))*"
_STATE = re.compile(rf"(?<![\w.])({_STATE_PREFIX})((?:,?\s{_STATE_WORD}){{1,7}}),?\s§§?\s?({_STATE_SECTION})({_STATE_SUB})")
_ILCS = re.compile(rf"\b(\d{{1,3}})\s?ILCS\s?(\d+)/(\d+[0-9A-Za-z]*(?:[.\-][0-9A-Za-z]+)*)({_STATE_SUB})")


def normalize_text(text: str) -> str:
    """Fold odd spaces and dashes into ASCII so citations compare equal."""
    for ch in _SPACES:
        text = text.replace(ch, " ")
    for ch in _DASHES:
        text = re.sub(rf"(?<=\w){ch}(?=\w)", "-", text)
    # An em dash is prose ("leave—for example") except inside a section number ("2000e—2").
    return re.sub("(?<=[0-9a-z])\u2014(?=[0-9])", "-", text)


def _usc(m: re.Match[str]) -> str:
    return f"{m.group(1)} U.S.C. § {m.group(2)}{m.group(3)}"


def _cfr(m: re.Match[str]) -> str:
    return f"{m.group(1)} C.F.R. § {m.group(2)}{m.group(3)}"


def _fact_sheet(m: re.Match[str]) -> str:
    return f"DOL WHD Fact Sheet #{m.group(1).upper()}"


def _state(m: re.Match[str]) -> str:
    words = re.sub(r"\s+", " ", m.group(2)).strip().lstrip(", ")
    # Bluebook puts a comma between a title or chapter number and the section sign: "tit. 8, § 11040".
    comma = "," if re.search(r"(?:tit|ch|art)\.\s?[0-9IVXL]+[A-Za-z]?$", words) else ""
    return f"{m.group(1)} {words}{comma} § {m.group(3)}{m.group(4)}"


def _ilcs(m: re.Match[str]) -> str:
    return f"{m.group(1)} ILCS {m.group(2)}/{m.group(3)}{m.group(4) or ''}"


def find_cites(text: str) -> list[str]:
    """All citations in ``text``, normalised, in order of appearance, without repeats."""
    text = normalize_text(text)
    found: list[tuple[int, str]] = []
    for pattern, fmt in ((_USC, _usc), (_CFR, _cfr), (_FACT_SHEET, _fact_sheet), (_STATE, _state), (_ILCS, _ilcs)):
        found.extend((m.start(), fmt(m)) for m in pattern.finditer(text))
    seen: dict[str, None] = {}
    for _, cite in sorted(found):
        seen.setdefault(cite, None)
    return list(seen)


def section_key(cite: str) -> str:
    """The section a citation points into: ``29 U.S.C. § 2612(a)(1)`` -> ``29 U.S.C. § 2612``."""
    cite = normalize_text(cite).strip()
    if "U.S.C." in cite or "C.F.R." in cite or is_state_cite(cite):
        return re.sub(r"(\([^)]*\))+$", "", cite)
    return cite


def is_state_cite(cite: str) -> bool:
    """True for a state statute or regulation citation (``Cal. Lab. Code § 510(a)``, ``820 ILCS 105/4``)."""
    text = normalize_text(cite).strip()
    return bool(_STATE.fullmatch(text) or _ILCS.fullmatch(text))


def section_number(cite: str) -> str:
    """Just the section number of a statute or regulation citation, for bare ``§ 2000e-3`` look-ups."""
    key = section_key(cite)
    return key.split("§", 1)[1].strip() if "§" in key else key


@dataclass(frozen=True)
class QueryCites:
    """Citations a question names: full ones (title and section) and bare section numbers."""

    sections: tuple[str, ...] = ()
    bare_numbers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sections or self.bare_numbers)


@lru_cache(maxsize=4)
def _popular_names(path: str) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return data["aliases"], data["sections"]


def _popular_name_cites(text: str, names_file: Path) -> list[str]:
    aliases, sections = _popular_names(str(names_file))
    lowered = text.lower()
    out: list[str] = []
    for act, names in aliases.items():
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        patterns = (
            rf"(?:section|sec\.?|§)\s*(\d+[a-z]?)(?:\([a-z0-9]+\))*\s+of\s+(?:the\s+)?(?:{alt})\b",
            rf"\b(?:{alt})\s+(?:section|sec\.?|§)\s*(\d+[a-z]?)",
        )
        for pattern in patterns:
            for m in re.finditer(pattern, lowered):
                cite = sections.get(act, {}).get(m.group(1))
                if cite:
                    out.append(cite)
    return out


def parse_query_cites(question: str, names_file: Path | None = None) -> QueryCites:
    """Find the sections a question names: ``29 USC 2612``, ``§ 2000e-3``, ``section 7 of the NLRA``."""
    text = normalize_text(question)
    sections = [section_key(c) for c in find_cites(text)]
    if names_file is not None:
        sections.extend(_popular_name_cites(text, names_file))
    spans = [m.span() for p in (_USC, _CFR) for m in p.finditer(text)]
    bare = [
        m.group(1)
        for m in _BARE_SECTION.finditer(text)
        if not any(a <= m.start() < b for a, b in spans) and _looks_like_code_section(m.group(1))
    ]
    return QueryCites(tuple(dict.fromkeys(sections)), tuple(dict.fromkeys(bare)))


def _looks_like_code_section(number: str) -> bool:
    # "section 7" alone is ambiguous between acts; only code-sized numbers stand on their own.
    digits = re.match(r"\d+", number)
    return bool(digits) and (len(digits.group(0)) >= 3 or "-" in number)


def split_trailing_cites(sentence: str) -> tuple[str, list[str]]:
    """``"Rule text (29 U.S.C. § 2612(a)(1))."`` -> ``("Rule text.", ["29 U.S.C. § 2612(a)(1)"])``."""
    body = sentence.rstrip()
    end = ""
    if body and body[-1] in ".!?;":
        body, end = body[:-1].rstrip(), body[-1]
    if not body.endswith(")"):
        return sentence, []
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(body[i], 0)
        if depth == 0:
            cites = find_cites(body[i + 1 : -1])
            if not cites:
                return sentence, []
            return body[:i].rstrip() + (end or "."), cites
    return sentence, []
