"""DOL state minimum wage history tables (CSV): one table section per state, territory and the federal rate.

Provenance
    Source: U.S. Department of Labor, Wage and Hour Division, "Changes in Basic Minimum Wages in Non-Farm
    Employment Under State Law" (the state minimum wage history table).
    Official URL: https://www.dol.gov/agencies/whd/state/minimum-wage/history (formerly
    https://www.dol.gov/whd/state/stateMinWageHis.htm). Jurisdiction: US states, DC, Guam, Puerto Rico and
    the U.S. Virgin Islands, plus the federal FLSA rate. Terms: U.S. Government work, public domain
    (17 U.S.C. § 105); the cleaned 1968-2020 copy's added columns are MIT (Lislejoem), and only DOL's own
    cells are used here.
    Mirror: ``state_data/Minimum Wage Data.csv`` (Lislejoem's cleaned long table, 1968-2020: one row per
    state and year) and ``state_data/us_dol_wages_data.csv`` (datacommons' raw wide table, 2020-2024: one row
    per year, one column per jurisdiction).

Format quirks handled
    - The layout is read from the header: ``Year,State,...,Department.Of.Labor.Uncleaned.Data,...`` (long) or
      ``State or other jurisdiction,Federal (FLSA),Alabama,...`` (wide, years as rows; DOL's own orientation,
      jurisdictions as rows and years as columns, is read too). Anything else raises ``ParseError``.
    - The cleaned file is Windows-1252, not UTF-8 (an en dash in Puerto Rico's "5.08 – 7.25 (i2)"), and has
      CRLF line ends; it is decoded as UTF-8 when it can be, else as Windows-1252. Binary input still fails.
    - DOL cell values are kept as written (footnote markers included) next to a normalized column:
      ``10.00[c]`` -> 10.00; ``12`` -> 12.00; ``$16.10`` -> 16.10; ranges ``8.00-9.00`` / ``.75 - 1.25(b)``
      -> "8.00-9.00" / "0.75-1.25"; two rates ``9.50/10.50`` or ``1.00 & 1.15`` -> "9.50/10.50"; weekly and
      daily rates ``18.72 - 26.40/wk(b)``, ``1.25/day(b)`` keep their unit; ``...`` -> "no state minimum
      wage"; typos ``4..65(g,,j)`` and a stray backtick ``1.25``` are repaired. Footnote markers ``(b)``,
      ``[c]``, ``(g, j)``, ``(i2)`` are listed per row, and the DOL footnote texts that apply are appended
      under each table (for the 2020-2024 table only the notes whose wording is not era-specific).
    - Each state's section carries that state's USPS code as its jurisdiction (Guam ``GU``, Puerto Rico ``PR`` and
      the U.S. Virgin Islands ``VI`` too; the federal rate keeps the source's ``US``), so state filtering finds the right table.
    - In the cleaned file the federal rate is a column of every row; in the wide file it is the
      "Federal (FLSA)" column. Either way each state table carries it, and it gets a section of its own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from ingest.model import ParsedDocument, ParsedSection, ParseError, SourceInfo
from ingest.parsers._common import pipe_table
from workrights.citations import normalize_text
from workrights.state_facts import code_for_name

__all__ = ["parse", "rows", "parse_rate", "Rate"]

FEDERAL = "Federal (FLSA)"
_CITE = "DOL WHD State Minimum Wage History"
_TABLE_TITLE = "Changes in Basic Minimum Wages in Non-Farm Employment Under State Law"
_LONG_RAW = "department.of.labor.uncleaned.data"
_NO_LAW = "no state minimum wage"

# DOL's footnotes to the history table, as quoted in the cleaned data set's README (Lislejoem_README.md).
_FOOTNOTES = {
    "b": "For the years indicated, the laws in Arizona, Arkansas, California, Colorado, Kentucky, Minnesota, "
    "Ohio, Utah, and Wisconsin applied only to women and minors.",
    "c": "Rates applicable to employers of four or more.",
    "d": "Rates applicable to employers of six or more. In West Virginia, applicable to employers of six or more "
    "in one location.",
    "e": "Rates applicable to employers of two or more.",
    "f": "For the years 1988 to 1990, Minnesota had a two tier schedule with the higher rate applicable to "
    "employers covered by the FLSA and the lower rate to employers not covered by the FLSA.",
    "g": "Minnesota sets a lower rate for enterprises with annual receipts of less than $500,000 ($4.90, January "
    "1, 1998-January 1, 2005). The dollar amount prior to September 1, 1997 was $362,500 ($4.00 - January 1, "
    "1991-January 1, 1997); Montana sets a lower rate for businesses with gross annual sales of $110,000 or "
    "less ($4.00 - January 1, 1992-January 1, 2005); Ohio sets a lower rate for employers with gross annual "
    "sales from $150,000 to $500,000 ($3.35 - January 1, 1991-January 1, 2005) and for employers with gross "
    "annual sales under $150,000 ($2.50 - January 1, 1991-January 1, 2005); Oklahoma sets a lower rate for "
    "employers of fewer than 10 full-time employees at any one location and for those with annual gross sales "
    "of less than $100,000 ($2.00, January 1, 1991-January 1, 2005); and the U.S. Virgin Islands sets a lower "
    "rate for businesses with gross annual receipts of less than $150,000 ($4.30, January 1, 1991-January 1, "
    "2005).",
    "h": "In the District of Columbia, wage orders were replaced by a statutory minimum wage on October 1, 1993. "
    "A $5.45 minimum rate remained in effect for the laundry and dry cleaning industry as the result of the "
    "grandfather clause.",
    "i": "In Puerto Rico, separate minimum rates are in effect for almost 350 non-farm occupations by industry "
    "Mandatory Decrees. Rates are higher than those in the range listed in effect in a few specific "
    "occupations.",
    "i2": "The rate is 5.08/hour for those employees not covered by the Fair Labor Standards Act.",
    "j": "In the U.S. Virgin Islands, implementation of an indexed rate, which was to have started January 1, "
    "1991, was delayed.",
}
# The 1968-2020 wording of (g), (h), (i) and (j) quotes dollar figures and dates of that era; for the
# 2020-2024 table only the size-of-employer notes are certain to read the same.
_STABLE_FOOTNOTES = ("b", "c", "d", "e")

_MARKER = re.compile(r"\s*[(\[]\s*([a-z]\d?(?:\s*,+\s*[a-z]\d?)*)\s*[)\]]", re.IGNORECASE)
_AMOUNT = re.compile(r"\d*\.\d+|\d+")


@dataclass(frozen=True)
class Rate:
    """One DOL cell: as written, normalized for reading, and as numbers."""

    raw: str
    normalized: str
    value: float | None  # a single hourly rate; None for ranges, two rates, weekly/daily rates and "..."
    low: float | None
    high: float | None
    unit: str  # "hour", "week" or "day"
    footnotes: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    layout: str  # "long" (1968-2020 cleaned) or "wide" (2020-2024 raw)
    cells: list[tuple[str, int, str]]  # (jurisdiction, year, raw cell), jurisdiction order kept
    federal: dict[int, str]  # year -> federal rate cell


def parse(content: bytes, source: SourceInfo) -> ParsedDocument:
    """One ``kind="table"`` section per jurisdiction: year, DOL's cell, its normalized rate, the federal rate."""
    table = _read(content, source.source_id)
    years = sorted({year for _, year, _ in table.cells} | set(table.federal))
    span = f"{years[0]}-{years[-1]}"
    by_state: dict[str, list[tuple[int, str]]] = {}
    for state, year, raw in table.cells:
        by_state.setdefault(state, []).append((year, raw))
    sections: list[ParsedSection] = []
    if table.federal:
        sections.append(_federal_section(table.federal, span, source))
    for state, cells in by_state.items():
        sections.append(_state_section(state, sorted(cells), table, span, source))
    return ParsedDocument(
        source=source,
        title=f"{_TABLE_TITLE}, {span}",
        sections=tuple(sections),
        extra={"layout": table.layout, "years": span, "jurisdictions": str(len(by_state))},
    )


def rows(content: bytes | str, source_id: str = "min_wage_table") -> list[dict[str, Any]]:
    """Every state/year cell of either layout as a dict, for code that needs the numbers (state facts).

    Keys: state, year, raw (as written), value (single hourly rate or None), low, high, unit, normalized,
    footnotes (list of marker letters), federal (the federal rate that year or None).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    table = _read(data, source_id)
    out = []
    for state, year, raw in table.cells:
        rate = parse_rate(raw)
        federal = parse_rate(table.federal[year]).value if year in table.federal else None
        out.append(
            {
                "state": state,
                "year": year,
                "raw": rate.raw,
                "value": rate.value,
                "low": rate.low,
                "high": rate.high,
                "unit": rate.unit,
                "normalized": rate.normalized,
                "footnotes": list(rate.footnotes),
                "federal": federal,
            }
        )
    return out


def parse_rate(cell: str) -> Rate:
    """Read one DOL cell: ``"10.00[c]"``, ``"8.00-9.00"``, ``"..."``, ``"18.72 - 26.40/wk(b)"``, ``"$16.10"``."""
    raw = re.sub(r"\s+", " ", normalize_text(cell).replace("`", "").replace("–", "-").replace("—", "-")).strip()
    footnotes: list[str] = []
    for match in _MARKER.finditer(raw):
        footnotes.extend(f.strip().lower() for f in match.group(1).split(",") if f.strip())
    body = _MARKER.sub("", raw).strip()
    if not body or re.fullmatch(r"\.{2,}|…|n/?a", body, re.IGNORECASE):
        return Rate(raw, _NO_LAW if body else "", None, None, None, "hour", tuple(footnotes))
    unit = "week" if re.search(r"/\s*wk|week", body, re.I) else "day" if re.search(r"/\s*day", body, re.I) else "hour"
    body = re.sub(r"/\s*(?:wk|week|day|hr|hour)\b", "", body, flags=re.I)
    body = re.sub(r"(\d)\.\.(\d)", r"\1.\2", body).replace("$", "")  # "4..65" is a typo for 4.65
    amounts = [float(a) for a in _AMOUNT.findall(body)]
    if not amounts:
        return Rate(raw, raw, None, None, None, unit, tuple(footnotes))
    sep = "/" if re.search(r"\d\s*[/&]\s*\.?\d", body) else "-"
    normalized = sep.join(f"{a:.2f}" for a in amounts[:2])
    if unit != "hour":
        normalized += f" per {unit}"
    single = len(amounts) == 1 and unit == "hour"
    return Rate(raw, normalized, amounts[0] if single else None, min(amounts), max(amounts), unit, tuple(footnotes))


# ---------------------------------------------------------------------------------------------- reading


def _read(content: bytes, source_id: str) -> _Table:
    text = _decode(content, source_id)
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise ParseError(f"{source_id}: the minimum wage CSV is malformed ({exc}); fetch or copy it again.") from None
    if not records:
        raise ParseError(f"{source_id}: the minimum wage CSV is empty; fetch or copy it again.")
    header = [h.strip() for h in records[0]]
    lowered = [h.lower() for h in header]
    if "year" in lowered and "state" in lowered:
        table = _read_long(header, records[1:])
    elif lowered[0].startswith(("state", "jurisdiction")) and len(header) > 2:
        table = _read_wide(header, records[1:])
    else:
        raise ParseError(
            f"{source_id}: the CSV header ({', '.join(header[:3])}, ...) matches neither DOL minimum wage layout "
            "('Year,State,...' or 'State or other jurisdiction,Federal (FLSA),Alabama,...'); "
            "check that the file is the DOL state minimum wage history table."
        )
    if not table.cells:
        raise ParseError(f"{source_id}: the minimum wage CSV has a header but no state rows; the file looks truncated.")
    return table


def _decode(content: bytes, source_id: str) -> str:
    if not content.strip():
        raise ParseError(f"{source_id}: the minimum wage CSV is empty; fetch or copy it again.")
    if b"\x00" in content[:65536]:
        raise ParseError(f"{source_id}: the file is binary, not a CSV table; export the table as CSV.")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # the cleaned DOL file was saved from Excel on Windows
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"{source_id}: the CSV is neither UTF-8 nor Windows-1252 text (byte {exc.start}); "
                "re-save it as UTF-8 CSV."
            ) from None
    return text.lstrip("\ufeff")


def _read_long(header: list[str], records: list[list[str]]) -> _Table:
    index = {h.lower(): i for i, h in enumerate(header)}
    raw_col = index.get(_LONG_RAW, index.get("state.minimum.wage"))
    fed_col = index.get("federal.minimum.wage")
    cells: list[tuple[str, int, str]] = []
    federal: dict[int, str] = {}
    for record in records:
        record = record + [""] * (len(header) - len(record))
        year = _year(record[index["year"]])
        state = _state(record[index["state"]])
        if year is None or not state or raw_col is None:
            continue
        if record[raw_col].strip():
            cells.append((state, year, record[raw_col].strip()))
        if fed_col is not None and record[fed_col].strip() and year not in federal:
            federal[year] = record[fed_col].strip()
    return _Table("long", cells, federal)


def _read_wide(header: list[str], records: list[list[str]]) -> _Table:
    if sum(_year(h) is not None for h in header[1:]) > len(header[1:]) / 2:
        # DOL's own orientation: one row per jurisdiction, one column per year
        records = [header] + records
        header = [records[0][0]] + [r[0] for r in records[1:]]
        records = [[records[0][j]] + [r[j] if j < len(r) else "" for r in records[1:]] for j in range(1, len(records[0]))]
    cells: list[tuple[str, int, str]] = []
    federal: dict[int, str] = {}
    for record in records:
        year = _year(record[0])
        if year is None:
            continue
        for name, cell in zip(header[1:], record[1:]):
            state = _state(name)
            if not cell.strip() or not state:
                continue
            if state == FEDERAL:
                federal[year] = cell.strip()
            else:
                cells.append((state, year, cell.strip()))
    order = {name: i for i, name in enumerate(_state(h) for h in header[1:])}
    cells.sort(key=lambda c: (order.get(c[0], 0), c[1]))
    return _Table("wide", cells, federal)


def _year(cell: str) -> int | None:
    match = re.fullmatch(r"\s*(1[89]\d\d|20\d\d)(?:\.0)?\s*", cell)
    return int(match.group(1)) if match else None


def _state(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    if re.fullmatch(r"federal(?: \(flsa\))?|flsa|united states|u\.s\.", name, re.IGNORECASE):
        return FEDERAL
    return name


# ------------------------------------------------------------------------------------------------ output


def _state_section(
    state: str, cells: list[tuple[int, str]], table: _Table, span: str, source: SourceInfo
) -> ParsedSection:
    has_federal = bool(table.federal)
    head = ["Year", "State minimum wage (as written by DOL)", "State minimum wage ($ per hour unless noted)"]
    head += ["Federal minimum wage ($ per hour)"] if has_federal else []
    table_rows = [head]
    markers: list[str] = []
    no_law = False
    for year, raw in cells:
        rate = parse_rate(raw)
        row = [str(year), rate.raw, rate.normalized]
        if has_federal:
            row.append(parse_rate(table.federal[year]).normalized if year in table.federal else "")
        table_rows.append(row)
        markers.extend(m for m in rate.footnotes if m not in markers)
        no_law |= rate.normalized == _NO_LAW
    place = f"the {state}" if state.startswith(("U.S.", "District")) else state
    intro = [f"State minimum wage rates in {place} by year, from the U.S. Department of Labor's historical table ({span})."]
    if table.layout == "long":
        intro.append("Rates are those in effect on January 1 of each year (February 1 in 1968 and 1969).")
    if no_law:
        intro.append('"..." in the DOL table means the state had no minimum wage law that year; the federal rate '
                     "applies to employees the FLSA covers.")
    parts = [" ".join(intro), pipe_table(table_rows)]
    notes = _notes(markers, table.layout)
    if notes:
        parts.append("\n".join(notes))
    return _section(state, "\n\n".join(parts), source)


def _federal_section(federal: dict[int, str], span: str, source: SourceInfo) -> ParsedSection:
    table_rows = [["Year", "Federal minimum wage ($ per hour)"]]
    table_rows += [[str(year), parse_rate(federal[year]).normalized] for year in sorted(federal)]
    intro = (f"Federal minimum wage under the Fair Labor Standards Act (FLSA) by year, from the U.S. Department "
             f"of Labor's historical table of state minimum wages ({span}).")
    return _section(FEDERAL, intro + "\n\n" + pipe_table(table_rows), source)


def _notes(markers: list[str], layout: str) -> list[str]:
    allowed = _FOOTNOTES if layout == "long" else {k: _FOOTNOTES[k] for k in _STABLE_FOOTNOTES}
    bracket = {"c": "[c]"}
    return [f"{bracket.get(m, f'({m})')} {allowed[m]}" for m in markers if m in allowed]


def _section(name: str, text: str, source: SourceInfo) -> ParsedSection:
    # A state's history is that state's law: a question about Ohio (chosen or named) retrieves Ohio's table
    # and not Kentucky's. Territories and the federal rate stay in the source's jurisdiction.
    return ParsedSection(
        heading_path=("Minimum wage history", name),
        cite=f"{_CITE}: {name}",
        text=text,
        url=source.url,
        kind="table",
        jurisdiction=code_for_name(name) or "",
    )
