"""A company policy uploaded in one app session: checked, parsed into cited passages, searched in memory.

An upload is one user's data, so it never enters the shared Chroma store or any cache shared between
sessions (Streamlit's ``st.cache_resource`` is shared by every user): the app keeps a ``PolicyIndex`` in
that session's ``st.session_state`` and passes it to ``Assistant.ask(policy=...)``. The index embeds with
the store's own embedder, so its cosine similarities rank against the store's on one scale.

Every refusal is an ``UploadError`` with one sentence that names the file and the fix. The file's format
is read from its bytes (``ingest.parsers.policy.detect_format``); the extension must agree with it, so a
renamed image or a "PDF" that is really a text file is refused before any parsing. Sentences that speak to
an AI reader are flagged here, as at ingest, and dropped from the passages at answer time by
``guardrails.injection.split_injected``, exactly as for the built-in handbook.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath

import numpy as np

from ingest.chunking import chunk_parsed
from ingest.model import ParsedDocument, ParseError, SourceInfo
from ingest.parsers import policy as policy_parser
from workrights.embeddings import Embedder
from workrights.errors import WorkrightsError
from workrights.keyword import KeywordIndex
from workrights.schema import Chunk, passage_text
from workrights.settings import Settings

__all__ = ["UploadError", "PolicyDocument", "PolicyMatches", "PolicyIndex", "load_upload", "EXTENSIONS", "URL_SCHEME"]

# Extension -> the formats its bytes may have. Markdown and plain text are one format to the parser; a saved
# web page is sometimes named .txt or .md and still parses as HTML, so text extensions accept either.
EXTENSIONS: dict[str, frozenset[str]] = {
    ".md": frozenset({"markdown", "html"}),
    ".markdown": frozenset({"markdown", "html"}),
    ".txt": frozenset({"markdown", "html"}),
    ".html": frozenset({"html", "markdown"}),
    ".htm": frozenset({"html", "markdown"}),
    ".pdf": frozenset({"pdf"}),
    ".docx": frozenset({"docx"}),
}
# An upload has no official address; this scheme marks its citations (the UI links only http(s) URLs).
URL_SCHEME = "upload:"
_FORMAT_NAMES = {"pdf": "a PDF", "docx": "a Word .docx file", "html": "an HTML page", "markdown": "a text file"}
_EXTENSION_NAMES = {".pdf": "a PDF", ".docx": "a Word .docx file", ".html": "an HTML page", ".htm": "an HTML page"}
_MAX_TITLE = 120
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|html?|md|txt|rtf|odt)$|^microsoft word\b|^untitled\b", re.IGNORECASE)


class UploadError(WorkrightsError):
    """An uploaded policy file cannot be used (empty, too big, wrong type, unreadable, too long)."""


@dataclass(frozen=True)
class PolicyDocument:
    """One uploaded policy: its passages, ready to index, and which of them address an AI reader."""

    name: str  # the file name as uploaded
    source_id: str  # company_upload_<first 12 hex digits of the bytes' SHA-256>
    title: str
    format: str  # markdown | html | pdf | docx
    chunks: tuple[Chunk, ...]
    flagged: tuple[str, ...] = ()  # heading paths of passages flagged as instructions to an AI (ignored in answers)


@dataclass(frozen=True)
class PolicyMatches:
    """A query's nearest uploaded passages: by cosine similarity and by BM25, best first."""

    dense: list[tuple[Chunk, float]]
    keyword: list[tuple[Chunk, float]]


def load_upload(name: str, data: bytes, settings: Settings, *, today: date | None = None) -> PolicyDocument:
    """Check and parse one uploaded policy file into passages; raises ``UploadError`` with the fix."""
    label = PurePath(name).name or "The file"
    extension = PurePath(label).suffix.lower()
    _check_size(label, data, settings.upload_max_mb)
    _check_type(label, extension, data)
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem = PurePath(label).stem.strip() or "Company policy"
    source = SourceInfo(
        source_id=f"company_upload_{digest}",
        title=stem,
        law="Company policy",
        jurisdiction="company",
        doc_type="policy",
        url=f"{URL_SCHEME}{label}",
        as_of=(today or date.today()).isoformat(),
    )
    doc = _parse(label, data, source)
    if _usable_title(doc.title) and doc.title != stem:
        # Parse again under the document's own title, so citations read "<title> § <heading>"
        # rather than "<file name> § <title> > <heading>".
        doc = _parse(label, data, replace(source, title=doc.title))
    chunks = chunk_parsed(doc, "upload")
    if len(chunks) > settings.upload_max_passages:
        raise UploadError(
            f"{label} makes {len(chunks)} passages, too long to index here (the limit is {settings.upload_max_passages}); "
            "upload the relevant sections instead."
        )
    flagged = tuple(dict.fromkeys(c.heading_path for c in chunks if "instruction-to-ai" in c.flags.split(",")))
    return PolicyDocument(label, source.source_id, doc.title or stem, doc.extra.get("format", ""), tuple(chunks), flagged)


def _check_size(label: str, data: bytes, max_mb: int) -> None:
    if not data.strip():
        raise UploadError(f"{label} is empty; choose the policy file again, or export it again if it was saved empty.")
    if len(data) > max_mb * 1_048_576:
        raise UploadError(
            f"{label} is {len(data) / 1_048_576:.1f} MB, over the {max_mb} MB upload limit; "
            "upload only the policy sections you need, or export the document without images."
        )


def _check_type(label: str, extension: str, data: bytes) -> None:
    allowed = EXTENSIONS.get(extension)
    if allowed is None:
        kinds = ", ".join(sorted(EXTENSIONS))
        raise UploadError(f"{label} is not a supported file type; upload the policy as one of: {kinds}.")
    try:
        found = policy_parser.detect_format(data)
    except ParseError as exc:
        raise UploadError(f"{label}: {_reason(exc)}") from None
    if found not in allowed:
        expected = _EXTENSION_NAMES.get(extension, "a text file")
        raise UploadError(
            f"{label} is named like {expected} but its contents are {_FORMAT_NAMES[found]}; "
            "upload the original file, or give it the extension that matches what it is."
        )


def _parse(label: str, data: bytes, source: SourceInfo) -> ParsedDocument:
    try:
        return policy_parser.parse(data, source)
    except ParseError as exc:
        raise UploadError(f"{label}: {_reason(exc)}") from None


def _reason(exc: ParseError) -> str:
    """The parser's sentence without its "<source id>: " prefix (the user knows the file by its name)."""
    text = str(exc)
    head, sep, rest = text.partition(": ")
    return rest if sep and " " not in head else text


def _usable_title(title: str) -> bool:
    # PDF metadata titles are often a file name ("handbook-export.pdf", "Microsoft Word - x.docx").
    title = title.strip()
    return bool(title) and len(title) <= _MAX_TITLE and not _FILE_NAME.search(title)


class PolicyIndex:
    """The uploaded policies of one session: passages, unit vectors and a BM25 index, all in memory.

    Adding a file under a name already present replaces it; the same bytes under a second name are refused
    (their passages would carry the same ids).
    """

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._documents: dict[str, PolicyDocument] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._chunks: list[Chunk] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._keywords: KeywordIndex | None = None
        self._sections: dict[tuple[str, str], list[Chunk]] = {}

    def __len__(self) -> int:
        """The number of passages indexed (0 when nothing is uploaded)."""
        return len(self._chunks)

    @property
    def documents(self) -> list[PolicyDocument]:
        return list(self._documents.values())

    @property
    def names(self) -> list[str]:
        return list(self._documents)

    @property
    def chunks(self) -> list[Chunk]:
        return list(self._chunks)

    def add(self, document: PolicyDocument) -> None:
        """Index ``document`` (embedding its passages now), replacing any file uploaded under the same name."""
        if not document.chunks:
            raise UploadError(f"{document.name} has no text to search; upload the policy with its text, not a scan.")
        twin = next((d.name for d in self._documents.values() if d.source_id == document.source_id and d.name != document.name), None)
        if twin is not None:
            raise UploadError(f"{document.name} is the same file as {twin}, which is already uploaded; remove one of them.")
        vectors = np.asarray(self._embedder.embed_documents([passage_text(c) for c in document.chunks]), dtype=np.float32)
        self._documents[document.name] = document
        self._vectors[document.name] = _unit_rows(vectors.reshape(len(document.chunks), -1))
        self._rebuild()

    def remove(self, name: str) -> bool:
        """Forget the file uploaded as ``name``; False when there was none."""
        if self._documents.pop(name, None) is None:
            return False
        del self._vectors[name]
        self._rebuild()
        return True

    def clear(self) -> None:
        for name in self.names:
            self.remove(name)

    def search(self, query_vector: Sequence[float], query: str, k: int) -> PolicyMatches:
        """The ``k`` passages nearest ``query_vector`` (cosine) and the ``k`` best BM25 matches of ``query``."""
        if not self._chunks or k <= 0:
            return PolicyMatches([], [])
        q = np.asarray(query_vector, dtype=np.float32)
        norm = float(np.linalg.norm(q))
        sims = self._matrix @ (q / norm if norm else q)
        order = np.argsort(-sims, kind="stable")[:k]
        dense = [(self._chunks[i], float(sims[i])) for i in order]
        assert self._keywords is not None
        keyword = [(self._chunks[i], score) for i, score in self._keywords.top(query, k)]
        return PolicyMatches(dense, keyword)

    def section_of(self, chunk: Chunk) -> list[Chunk] | None:
        """Every uploaded chunk of ``chunk``'s section, in order; None when ``chunk`` is not an upload's."""
        return self._sections.get((chunk.source_id, chunk.heading_path)) if self.holds(chunk) else None

    def holds(self, chunk: Chunk) -> bool:
        return any(d.source_id == chunk.source_id for d in self._documents.values())

    def _rebuild(self) -> None:
        docs = list(self._documents.values())
        self._chunks = [c for d in docs for c in d.chunks]
        matrices = [self._vectors[d.name] for d in docs if len(d.chunks)]
        self._matrix = np.vstack(matrices) if matrices else np.zeros((0, 0), dtype=np.float32)
        self._keywords = KeywordIndex([passage_text(c) for c in self._chunks]) if self._chunks else None
        self._sections = {}
        for chunk in self._chunks:  # chunk_parsed emits a section's chunks in order
            self._sections.setdefault((chunk.source_id, chunk.heading_path), []).append(chunk)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
