"""Structure-aware chunking: one section at a time, never cutting a sentence.

all-MiniLM-L6-v2 reads at most 256 word pieces and ignores the rest. Legal text with citations runs
about 1.7 word pieces a word (``29 U.S.C. § 2612(a)(1)`` alone is 17), so sizes are counted in
approximate pieces (words and punctuation marks): 190 plus the heading path stays inside the window.
A longer section is packed into several chunks at paragraph, then sentence, boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.hidden import clean_text
from ingest.kb_markdown import KbDocument
from ingest.model import ParsedDocument
from workrights.citations import find_cites
from workrights.schema import Chunk
from workrights.text import slug, split_blocks, split_sentences, piece_count

__all__ = ["MAX_PIECES", "pack", "chunk_kb_document", "chunk_parsed"]

MAX_PIECES = 190


def _units(text: str, max_pieces: int) -> Iterable[tuple[str, bool]]:
    """(piece, starts_paragraph) pairs: whole paragraphs, or the sentences of a paragraph too long."""
    for block in split_blocks(text):
        if piece_count(block) <= max_pieces:
            yield block, True
            continue
        for i, sentence in enumerate(split_sentences(block)):
            yield sentence, i == 0


def pack(text: str, max_pieces: int = MAX_PIECES) -> list[str]:
    """Group paragraphs and sentences into pieces of at most ``max_pieces`` (a longer sentence stands alone)."""
    pieces: list[str] = []
    current = ""
    for unit, new_paragraph in _units(text, max_pieces):
        separator = "\n\n" if new_paragraph else " "
        joined = f"{current}{separator}{unit}" if current else unit
        if current and piece_count(joined) > max_pieces:
            pieces.append(current)
            current = unit
        else:
            current = joined
    if current:
        pieces.append(current)
    return pieces


def _cite(doc: KbDocument, headings: tuple[str, ...], text: str) -> str:
    if doc.doc_type == "policy":
        return f"{doc.title} § {' > '.join(headings)}"
    found = find_cites(text)
    return found[0] if found else (doc.cites[0] if doc.cites else doc.title)


def _unique(used: dict[str, int], base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... when a document repeats a section name."""
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}-{used[base]}"


def chunk_kb_document(doc: KbDocument, max_pieces: int = MAX_PIECES) -> list[Chunk]:
    chunks: list[Chunk] = []
    used: dict[str, int] = {}
    for section in doc.sections:
        path = _unique(used, slug(" ".join(section.headings)))
        for n, text in enumerate(pack(section.text, max_pieces)):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.source_id}:{path}:{n}",
                    text=text,
                    source_id=doc.source_id,
                    law=doc.law,
                    jurisdiction=doc.jurisdiction,
                    cite=_cite(doc, section.headings, text),
                    title=doc.title,
                    heading_path=" > ".join((doc.title, *section.headings)),
                    url=doc.url,
                    doc_type=doc.doc_type,
                    as_of=doc.as_of,
                )
            )
    return chunks


def chunk_parsed(doc: ParsedDocument, doc_key: str, extra_flags: tuple[str, ...] = (), max_pieces: int = MAX_PIECES) -> list[Chunk]:
    """Chunks of a parsed official document; ids are ``<source_id>:<doc_key>/<section>:<n>``."""
    src = doc.source
    chunks: list[Chunk] = []
    used: dict[str, int] = {}
    for section in doc.sections:
        path = _unique(used, slug(section.cite + " " + " ".join(section.heading_path[-1:])) or "section")
        text, flags = clean_text(section.text)
        pieces = [text] if section.kind == "table" else pack(text, max_pieces)
        all_flags = ",".join(dict.fromkeys((*section.flags, *flags, *extra_flags)))
        for n, piece in enumerate(pieces):
            chunks.append(
                Chunk(
                    chunk_id=f"{src.source_id}:{doc_key}/{path}:{n}",
                    text=piece,
                    source_id=src.source_id,
                    law=src.law,
                    jurisdiction=section.jurisdiction or src.jurisdiction,
                    cite=section.cite,
                    title=doc.title or src.title,
                    heading_path=" > ".join((doc.title or src.title, *section.heading_path)),
                    url=section.url or src.url,
                    doc_type=src.doc_type,
                    as_of=src.as_of,
                    refs="; ".join(section.refs),
                    flags=all_flags,
                )
            )
    return chunks
