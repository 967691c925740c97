"""Parser for the built-in knowledge base: workrights' own Markdown files with YAML front matter.

Provenance: authored for this project (``kb/federal``, ``kb/policies``); format in ``kb/README.md``.
Jurisdiction: per file (US, a state code, or ``company``). Terms: the project's licence.
A file with bad front matter or no ``##`` sections is an error, never an empty success.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from workrights.errors import KnowledgeBaseError
from workrights.schema import DOC_TYPES

__all__ = ["Section", "KbDocument", "parse_kb_file", "parse_kb_text", "MAX_FILE_BYTES", "REQUIRED_KEYS"]

MAX_FILE_BYTES = 2_000_000
REQUIRED_KEYS = ("id", "title", "law", "jurisdiction", "doc_type", "url", "as_of")
_JURISDICTION = re.compile(r"^(US|[A-Z]{2}|company)$")
_ID = re.compile(r"^[a-z]{2,7}_[a-z0-9]+_[a-z0-9_]+$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class KbDocument:
    path: str
    source_id: str
    title: str
    law: str
    jurisdiction: str
    doc_type: str
    url: str
    as_of: str
    cites: tuple[str, ...]
    sections: tuple[Section, ...]


def parse_kb_file(path: Path) -> KbDocument:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KnowledgeBaseError(f"{path} is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit; split it.")
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeBaseError(f"Cannot read {path} ({exc.strerror}); check the file exists and is readable.") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise KnowledgeBaseError(f"{path} is not UTF-8 text; save it as UTF-8 Markdown.") from None
    return parse_kb_text(text, str(path))


def _front_matter(text: str, where: str) -> tuple[dict[str, object], str]:
    if not text.strip():
        raise KnowledgeBaseError(f"{where} is empty; add front matter and at least one ## section.")
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, re.DOTALL)
    if not m:
        raise KnowledgeBaseError(f"{where} has no YAML front matter; start it with a --- block (see kb/README.md).")
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{where} has invalid front matter ({exc.__class__.__name__}); fix the YAML.") from None
    if not isinstance(meta, dict):
        raise KnowledgeBaseError(f"{where} front matter is not a mapping; use key: value lines.")
    return meta, text[m.end() :]


def _validate(meta: dict[str, object], where: str) -> None:
    missing = [k for k in REQUIRED_KEYS if not meta.get(k)]
    if missing:
        raise KnowledgeBaseError(f"{where} front matter lacks {', '.join(missing)}; add them (see kb/README.md).")
    if not _ID.match(str(meta["id"])):
        raise KnowledgeBaseError(f"{where} id {meta['id']!r} is not <jurisdiction>_<publisher>_<topic> in lower case.")
    if not _JURISDICTION.match(str(meta["jurisdiction"])):
        raise KnowledgeBaseError(f"{where} jurisdiction {meta['jurisdiction']!r} is not US, a state code or company.")
    if meta["doc_type"] not in DOC_TYPES:
        raise KnowledgeBaseError(f"{where} doc_type {meta['doc_type']!r} is not one of {', '.join(DOC_TYPES)}.")
    if not _DATE.match(str(meta["as_of"])):
        raise KnowledgeBaseError(f"{where} as_of {meta['as_of']!r} is not a YYYY-MM-DD date; quote it in the YAML.")


def _sections(body: str) -> list[Section]:
    sections: list[Section] = []
    h2: str | None = None
    h3: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if h2 is not None and "\n".join(lines).strip():
            sections.append(Section(tuple(h for h in (h2, h3) if h), "\n".join(lines).strip()))

    for line in body.splitlines():
        if line.startswith("## ") or line.startswith("### "):
            flush()
            lines = []
            if line.startswith("## "):
                h2, h3 = line[3:].strip(), None
            else:
                h3 = line[4:].strip()
        elif line.startswith("# "):
            continue
        else:
            lines.append(line)
    flush()
    return sections


def parse_kb_text(text: str, where: str = "<text>") -> KbDocument:
    meta, body = _front_matter(text, where)
    _validate(meta, where)
    sections = _sections(_COMMENT.sub("", body))
    if not sections:
        raise KnowledgeBaseError(f"{where} has no ## sections with text; add at least one.")
    cites = meta.get("cites") or []
    if not isinstance(cites, list):
        raise KnowledgeBaseError(f"{where} cites must be a list of citation strings.")
    return KbDocument(
        path=where,
        source_id=str(meta["id"]),
        title=str(meta["title"]),
        law=str(meta["law"]),
        jurisdiction=str(meta["jurisdiction"]),
        doc_type=str(meta["doc_type"]),
        url=str(meta["url"]),
        as_of=str(meta["as_of"]),
        cites=tuple(str(c) for c in cites),
        sections=tuple(sections),
    )
