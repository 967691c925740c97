"""Sentence splitting and word tokens that know legal abbreviations (``U.S.C.``, ``C.F.R.``, ``e.g.``)."""

from __future__ import annotations

import re

__all__ = ["split_sentences", "split_blocks", "words", "slug", "word_count", "piece_count"]

_ABBREVIATIONS = {
    "u.s.c", "c.f.r", "u.s", "e.g", "i.e", "no", "nos", "pub", "l", "inc", "v", "vs", "etc", "mr", "ms",
    "mrs", "dr", "st", "stat", "sec", "secs", "ch", "cf", "jr", "sr", "co", "corp", "dept", "ltd", "approx",
}
# Words of state code citations ("Cal. Lab. Code", "Mass. Gen. Laws", "N.Y. Exec. Law"), matched with their
# capital so that a sentence ending in "me." or "or." still ends there.
_CITATION_ABBREVIATIONS = {
    "Cal", "Lab", "Gov", "Rev", "Gen", "Comp", "Admin", "Ann", "Regs", "Const", "Exec", "Empl", "Bus", "Prof",
    "Civ", "Com", "Proc", "Fam", "Educ", "Health", "Saf", "Pub", "Util", "Hum", "Res", "Occ", "Ins", "Emp", "Ins", "Stat", "Ala", "Ariz", "Ark", "Colo", "Conn", "Del", "Fla", "Ga", "Haw", "Ill",
    "Ind", "Kan", "Ky", "La", "Me", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Or",
    "Pa", "Tenn", "Tex", "Vt", "Va", "Wash", "Wis", "Wyo", "W", "N.Y", "N.J", "N.H", "N.M", "N.C", "N.D", "R.I",
    "S.C", "S.D", "D.C", "Cent", "Codified", "Unemp", "Cons", "Corr", "Crim", "Elec", "Fin", "Gov't", "Lab", "Mil", "Vet", "tit", "art", "R", "Reg", "Rec", "Ord",
}
_BOUNDARY = re.compile(r"(?<=[.!?])([\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9§$])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
_PIECE = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


def _ends_with_abbreviation(text: str) -> bool:
    token = text.rstrip("\"')]").rsplit(None, 1)[-1].rstrip(".").strip("(")
    if token in _CITATION_ABBREVIATIONS:
        return True
    last = token.lower()
    return last in _ABBREVIATIONS or bool(re.fullmatch(r"[a-z]", last))


def split_blocks(text: str) -> list[str]:
    """Paragraphs and list items, in order, each as one line of text."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _LIST_ITEM.match(line) or line.lstrip().startswith("#"):
            if current:
                blocks.append(" ".join(current))
            current = [] if not line.strip() else [line.strip()]
            continue
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [b for b in blocks if b]


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; paragraph and list-item breaks always end a sentence."""
    sentences: list[str] = []
    for block in split_blocks(text):
        start = 0
        for m in _BOUNDARY.finditer(block):
            candidate = block[start : m.end(1)]
            # Inside an open parenthesis is inside a citation: "(Cal. Unemp. Ins. Code § 3301)".
            if _ends_with_abbreviation(candidate) or candidate.count("(") > candidate.count(")"):
                continue
            sentences.append(candidate.strip())
            start = m.end()
        tail = block[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def word_count(text: str) -> int:
    return len(text.split())


def piece_count(text: str) -> int:
    """Approximate word-piece count: words and punctuation marks (citations are mostly punctuation)."""
    return len(_PIECE.findall(text))


def slug(text: str, max_len: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_len] or "section"
