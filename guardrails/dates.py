"""Find the date of an event in a worker's words, relative to today.

"I was fired on March 3", "two weeks ago", "last Friday", "10/02/2026", "5 and a half months ago".
A date that cannot be read returns None: callers then give the rule and ask, never guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

__all__ = ["find_event_date", "add_months"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a few": 3, "few": 3, "several": 3,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_RE = r"\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b\.?(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_AGO = re.compile(rf"\b({_NUM_RE})(\s+and\s+a\s+half)?\s+(day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_HALF_AGO = re.compile(r"\b(?:a\s+)?half\s+(?:a\s+)?(year|month)\s+ago\b", re.IGNORECASE)
_LAST = re.compile(r"\blast\s+(week|month|year|" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTH_ONLY = re.compile(
    rf"\b(?:in|back in|since|during|around|early|mid|late|end of|beginning of|start of)\s+(?:the\s+)?(early|mid|late|end of|beginning of|start of)?\s*-?\s*({_MONTH_RE})\b(?!\s+\d)(?:,?\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_HACE = re.compile(r"\bhace\s+(\d+|un|una|dos|tres|cuatro|cinco|seis)\s+(d[ií]as?|semanas?|mes(?:es)?|a[nñ]os?)\b", re.IGNORECASE)
_ES_NUM = {"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6}
_SIMPLE = re.compile(r"\b(today|yesterday|this morning|earlier today|tonight)\b", re.IGNORECASE)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _past(candidate: date | None, today: date) -> date | None:
    """A date written without a year means its most recent occurrence, not a future one."""
    if candidate is None:
        return None
    if candidate > today:
        try:
            return candidate.replace(year=candidate.year - 1)
        except ValueError:
            return candidate.replace(year=candidate.year - 1, day=28)
    return candidate


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> float:
    word = word.lower().strip()
    return float(word) if re.fullmatch(r"\d+(?:\.\d+)?", word) else float(_NUMBER_WORDS[word])


def _explicit(text: str, today: date) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        if d := _safe(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            found.append((m.start(), d))
    for m in _US.finditer(text):
        year = m.group(3)
        y = (int(year) + 2000 if len(year) == 2 else int(year)) if year else today.year
        d = _safe(y, int(m.group(1)), int(m.group(2)))
        if d:
            found.append((m.start(), d if year else _past(d, today)))  # type: ignore[arg-type]
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        for m in pattern.finditer(text):
            year = m.group(3)
            d = _safe(int(year) if year else today.year, _MONTHS[m.group(month_group).lower().rstrip(".")], int(m.group(day_group)))
            if d:
                found.append((m.start(), d if year else _past(d, today)))  # type: ignore[arg-type]
    for m in _MONTH_ONLY.finditer(text):
        # An unknown day counts from the earliest plausible one, so a countdown never runs long.
        part = (m.group(1) or "").lower()
        day = 15 if part == "mid" else 20 if part in ("late", "end of") else 1
        year = m.group(3)
        d = _safe(int(year) if year else today.year, _MONTHS[m.group(2).lower()], day)
        if d:
            found.append((m.start(), d if year else _past(d, today)))  # type: ignore[arg-type]
    return found


def _relative(text: str, today: date) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for m in _AGO.finditer(text):
        amount = _number(m.group(1)) + (0.5 if m.group(2) else 0)
        unit = m.group(3).lower()
        if unit == "day":
            found.append((m.start(), today - timedelta(days=round(amount))))
        elif unit == "week":
            found.append((m.start(), today - timedelta(days=round(7 * amount))))
        elif unit == "month":
            back = add_months(today, -int(amount))
            found.append((m.start(), back - timedelta(days=round(30.4 * (amount - int(amount))))))
        else:
            back = add_months(today, -12 * int(amount))
            found.append((m.start(), back - timedelta(days=round(365 * (amount - int(amount))))))
    for m in _HALF_AGO.finditer(text):
        found.append((m.start(), add_months(today, -6 if m.group(1).lower() == "year" else 0) - timedelta(days=0 if m.group(1).lower() == "year" else 15)))
    for m in _LAST.finditer(text):
        word = m.group(1).lower()
        if word == "week":
            found.append((m.start(), today - timedelta(days=7)))
        elif word == "month":
            found.append((m.start(), add_months(today, -1)))
        elif word == "year":
            found.append((m.start(), add_months(today, -12)))
        else:
            back = (today.weekday() - _WEEKDAYS[word]) % 7 or 7
            found.append((m.start(), today - timedelta(days=back)))
    for m in _HACE.finditer(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _ES_NUM[m.group(1).lower()]
        unit = m.group(2).lower()
        if unit.startswith("d"):
            found.append((m.start(), today - timedelta(days=n)))
        elif unit.startswith("s"):
            found.append((m.start(), today - timedelta(days=7 * n)))
        elif unit.startswith("m"):
            found.append((m.start(), add_months(today, -n)))
        else:
            found.append((m.start(), add_months(today, -12 * n)))
    for m in _SIMPLE.finditer(text):
        found.append((m.start(), today - timedelta(days=1 if m.group(1).lower() == "yesterday" else 0)))
    return found


def find_event_date(text: str, today: date) -> date | None:
    """The first date the text states (explicit or relative), never in the future; None when there is none."""
    found = sorted(_explicit(text, today) + _relative(text, today))
    for _, d in found:
        if d <= today:
            return d
    return None
