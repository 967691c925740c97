"""Output check: every citation shown must come from a retrieved passage and say what it quotes.

A citation whose passage was not retrieved, whose citation string is not in that passage, or whose quote
is not the passage's text is removed, and so is every answer line that leans on it. A ``[n]`` marker
with no citation behind it removes its line too. What is left is renumbered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from workrights.citations import find_cites, normalize_text
from workrights.schema import Answer, Citation, Hit

__all__ = ["check_output", "verify_citation"]

_MARKER = re.compile(r"\[(\d+)\]")


def _squash(text: str) -> str:
    return " ".join(normalize_text(text).split())


def verify_citation(citation: Citation, hits: Sequence[Hit]) -> bool:
    by_id = {c.chunk_id: c for h in hits for c in h.section_chunks}
    chunk = by_id.get(citation.chunk_id)
    if chunk is None:
        return False
    cites_in_chunk = {normalize_text(c) for c in find_cites(chunk.text)} | {normalize_text(chunk.cite)}
    if normalize_text(citation.cite) not in cites_in_chunk:
        return False
    return bool(citation.quote.strip()) and _squash(citation.quote) in _squash(chunk.text)


def _ensure_notices(answer: Answer) -> Answer:
    """The disclaimer always ends an answer; a crisis answer always starts with the crisis resources."""
    from guardrails.escalation import crisis_banner
    from workrights.compose import DISCLAIMER

    text = answer.answer
    if DISCLAIMER not in text and not answer.refused:
        text = f"{text.rstrip()}\n\n{DISCLAIMER}"
    if answer.escalation.level == "crisis" and not text.startswith(crisis_banner()):
        text = f"{crisis_banner()}\n\n{text}"
    return replace(answer, answer=text)


def check_output(answer: Answer, hits: Sequence[Hit]) -> Answer:
    return _ensure_notices(_check_citations(answer, hits) if answer.citations else answer)


def _check_citations(answer: Answer, hits: Sequence[Hit]) -> Answer:
    valid = {c.n: c for c in answer.citations if verify_citation(c, hits)}
    kept_lines = []
    for line in answer.answer.splitlines():
        markers = {int(n) for n in _MARKER.findall(line)}
        if markers and not markers <= valid.keys():
            continue
        kept_lines.append(line)
    used = sorted({int(n) for line in kept_lines for n in _MARKER.findall(line)})
    renumber = {old: new for new, old in enumerate(used, start=1)}
    text = _MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", "\n".join(kept_lines))
    citations = [replace(valid[old], n=new) for old, new in renumber.items()]
    return replace(answer, answer=text, citations=citations)
