"""Render the small Markdown subset that workrights writes (exports, answers) as a PDF with fpdf2.

The conversation export is written once, as Markdown, and the PDF is drawn from that text so that the
two downloads cannot disagree. Supported: ``#`` headings, paragraphs (each line kept as a line, as the
answers are written line by line), ``-``/``*`` bullets, ``1.`` numbered items, ``>`` quotes, indented
continuation lines, pipe tables, ``---`` rules; inline ``**bold**``, ``*italic*``, ``[text](url)``,
``<url>``, bare URLs (clickable) and backslash escapes. fpdf2's core fonts are Latin-1 only, so
typographic characters are mapped to plain equivalents and anything else unencodable becomes ``?``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone

from fpdf import FPDF

__all__ = ["render_pdf", "to_latin1", "inline_runs", "Run"]

_LATIN1_MAP = str.maketrans(
    {
        "\u2014": "-",  # em dash: "--" would read as a typo in print
        "\u2013": "-",
        "\u2012": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
        "\u2022": "-",
        "\u25cf": "-",
        "\u258c": "|",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2192": "->",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
    }
)
_ESCAPABLE = r"\\`*_{}\[\]()#+\-.!<>|"
_INLINE = re.compile(
    rf"\\(?P<esc>[{_ESCAPABLE}])"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![*\w])\*(?P<ital>[^*\s](?:[^*]*?[^*\s])?)\*(?![*\w])"
    r"|\[(?P<ltext>[^\]]+)\]\((?P<lurl>https?://[^)\s]+)\)"
    r"|<(?P<auto>https?://[^>\s]+)>"
    r"|(?P<url>https?://[^\s<>()\]]*[^\s<>()\].,;:!?'\"])"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_HEADING_SIZES = {1: 16.0, 2: 13.5, 3: 11.5}
_BODY_SIZE = 10.0
_LINE_H = 5.2
_INDENT = 5.0
_LINK_COLOR = (0, 51, 153)
_QUOTE_COLOR = (80, 80, 80)


def to_latin1(text: str) -> str:
    """What the core PDF fonts can draw: typography mapped to ASCII, accents kept where Latin-1 has them."""
    text = text.translate(_LATIN1_MAP)
    try:
        return text.encode("latin-1").decode("latin-1")
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one style ("", "B", "I" or "BI") and an optional link."""

    text: str
    style: str = ""
    link: str = ""


def inline_runs(text: str, style: str = "", link: str = "") -> list[Run]:
    """Split inline Markdown into styled runs; the markers themselves are dropped."""
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], style, link))
        pos = m.end()
        if m.group("esc") is not None:
            runs.append(Run(m.group("esc"), style, link))
        elif m.group("bold") is not None:
            runs.extend(inline_runs(m.group("bold"), _add(style, "B"), link))
        elif m.group("ital") is not None:
            runs.extend(inline_runs(m.group("ital"), _add(style, "I"), link))
        elif m.group("ltext") is not None:
            runs.extend(inline_runs(m.group("ltext"), style, link or m.group("lurl")))
        else:
            url = m.group("auto") or m.group("url")
            runs.append(Run(url, style, link or url))
    if pos < len(text):
        runs.append(Run(text[pos:], style, link))
    return [r for r in runs if r.text]


def _add(style: str, flag: str) -> str:
    return "".join(f for f in "BI" if f in style or f == flag)


def _longest_word(cells: list[list[str]], column: int) -> int:
    return max((len(word) for row in cells for word in row[column].split()), default=1)


def _plain(text: str) -> str:
    return "".join(r.text for r in inline_runs(text))


class _Document(FPDF):
    """Letter pages with the disclaimer and page number in every footer (a printed page may travel alone)."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="letter")
        self._footer_text = to_latin1(footer_text)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self._footer_text}   Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_pdf(markdown: str, *, title: str, footer: str, created: date | None = None) -> bytes:
    """The PDF of ``markdown``; ``created`` (a date) makes the output reproducible."""
    pdf = _Document(footer)
    pdf.set_title(to_latin1(title))
    pdf.set_creator("workrights")
    if created is not None:
        pdf.set_creation_date(datetime(created.year, created.month, created.day, tzinfo=timezone.utc))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    _Renderer(pdf).render(markdown.splitlines())
    return bytes(pdf.output())


class _Renderer:
    """Walks the Markdown line by line; tables are the only block that spans lines."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.base_margin = pdf.l_margin

    def render(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].strip()):
                end = i + 2
                while end < len(lines) and lines[end].lstrip().startswith("|"):
                    end += 1
                self._table([lines[i], *lines[i + 2 : end]])
                i = end
                continue
            self._line(line)
            i += 1

    def _line(self, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self.pdf.ln(_LINE_H * 0.6)
            return
        indent = (len(line) - len(line.lstrip(" "))) // 2 * _INDENT
        heading = _HEADING.match(stripped)
        if heading and not indent:
            self._heading(len(heading.group(1)), heading.group(2))
        elif re.fullmatch(r"(?:-{3,}|\*{3,}|_{3,})", stripped):
            self._rule()
        elif stripped.startswith(">"):
            self._block(stripped.lstrip(">").strip(), indent + (_INDENT / 2 if indent else _INDENT), quote=True)
        elif bullet := _BULLET.match(stripped):
            self._block(bullet.group(1), indent, marker="-")
        elif numbered := _NUMBERED.match(stripped):
            self._block(numbered.group(2), indent, marker=f"{numbered.group(1)}.")
        else:
            self._block(stripped.rstrip("\\").rstrip(), indent)

    def _heading(self, level: int, text: str) -> None:
        pdf = self.pdf
        size = _HEADING_SIZES.get(level, _BODY_SIZE + 0.5)
        pdf.ln(2.5 if level > 1 else 0)
        pdf.set_font("Helvetica", "B", size)
        pdf.set_x(self.base_margin)
        pdf.multi_cell(0, size * 0.5, to_latin1(_plain(text)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)

    def _rule(self) -> None:
        pdf = self.pdf
        pdf.ln(1.5)
        y = pdf.get_y()
        pdf.set_draw_color(170, 170, 170)
        pdf.line(self.base_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(2.5)

    def _block(self, text: str, indent: float, *, marker: str = "", quote: bool = False) -> None:
        """One line of text, wrapped with a hanging indent after its list marker."""
        pdf = self.pdf
        pdf.set_font("Helvetica", "", _BODY_SIZE)
        left = self.base_margin + indent
        pdf.set_left_margin(left)
        pdf.set_x(left)
        if marker:
            pdf.write(_LINE_H, to_latin1(marker + " "))
            pdf.set_left_margin(pdf.get_x())
        for run in inline_runs(text, "I" if quote else ""):
            self._write(run, quote)
        pdf.ln(_LINE_H)
        pdf.set_left_margin(self.base_margin)
        pdf.set_text_color(0, 0, 0)

    def _write(self, run: Run, quote: bool) -> None:
        pdf = self.pdf
        color = _LINK_COLOR if run.link else _QUOTE_COLOR if quote else (0, 0, 0)
        pdf.set_text_color(*color)
        pdf.set_font("Helvetica", run.style + ("U" if run.link else ""), _BODY_SIZE)
        pdf.write(_LINE_H, to_latin1(run.text), link=run.link)

    def _table(self, rows: list[str]) -> None:
        pdf = self.pdf
        cells = [[to_latin1(_plain(c.strip())) for c in _CELL_SPLIT.split(r.strip().strip("|"))] for r in rows]
        width = max(len(r) for r in cells)
        cells = [r + [""] * (width - len(r)) for r in cells]
        # Wide enough for the longest word (a header must not break inside "Days"), long text capped.
        weights = [max(_longest_word(cells, k) + 2, min(40, max(len(r[k]) for r in cells))) for k in range(width)]
        pdf.set_x(self.base_margin)
        pdf.set_font("Helvetica", "", _BODY_SIZE - 1)
        pdf.set_draw_color(170, 170, 170)
        with pdf.table(col_widths=weights, text_align="LEFT", line_height=_LINE_H, padding=1.2) as table:
            for row in cells:
                out = table.row()
                for cell in row:
                    out.cell(cell)
        pdf.ln(1.5)
