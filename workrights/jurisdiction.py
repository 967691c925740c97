"""Which state a question is about, when the user names one ("in Texas...") and none is selected.

Full state names are matched anywhere, longest first ("West Virginia" is not "Virginia"); a USPS code only
in capitals and next to a word that marks it as a place ("in CA", "NY law"), since "IN", "OR" and "ME"
are also words. A question that names two or more states is ambiguous and picks none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from workrights.state_facts import STATES, TERRITORIES, code_for_name

__all__ = ["detect_state", "resolve_state"]

_ALIASES = {
    "washington, d.c.": "DC", "washington d.c.": "DC", "washington dc": "DC", "washington, dc": "DC",
    "d.c.": "DC", "new york city": "NY", "nyc": "NY", "virgin islands": "VI",
}
_CODE_CONTEXT = r"(?:(?<=\bin )|(?<=\bfrom )|(?<=\bfor )|(?<=\bof ))({codes})\b|\b({codes})(?= (?:law|laws|state|employer|minimum|statute)\b)"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = {name.lower(): code for code, name in (STATES | TERRITORIES).items()} | _ALIASES
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    by_name = re.compile(rf"(?<![\w.])({alternation})(?![\w])", re.IGNORECASE)
    codes = "|".join(c for c in STATES)
    by_code = re.compile(_CODE_CONTEXT.format(codes=codes))
    return by_name, by_code


def _name_to_code(name: str) -> str:
    return _ALIASES.get(name.lower()) or code_for_name(name) or ""


def detect_state(text: str) -> str | None:
    """The one state ``text`` names, or None when it names none or several."""
    by_name, by_code = _patterns()
    found = {_name_to_code(m.group(1)) for m in by_name.finditer(text)}
    found |= {m.group(1) or m.group(2) for m in by_code.finditer(text)}
    return found.pop() if len(found) == 1 else None


def resolve_state(chosen: str | None, question: str, earlier: Sequence[str] = ()) -> tuple[str | None, bool]:
    """(state, detected): the chosen state; else the one the question names; else the latest earlier turn's."""
    if chosen:
        return chosen, False
    found = detect_state(question) or next((s for s in map(detect_state, reversed(earlier)) if s), None)
    return found, found is not None
