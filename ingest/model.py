"""What parsers produce: a document as a list of sections, each with its heading path and citation.

Every parser, whatever the format, turns one fetched file into a ``ParsedDocument``; chunking and the
store never see the format. A parser that finds no section raises ``ParseError``: a page that yields
nothing (a bot challenge, a changed layout) is an error, never an empty success.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from workrights.errors import KnowledgeBaseError

__all__ = ["ParseError", "ParsedSection", "ParsedDocument", "SourceInfo"]


class ParseError(KnowledgeBaseError):
    """A fetched file could not be parsed into sections (malformed, empty, wrong format)."""


@dataclass(frozen=True)
class SourceInfo:
    """What a parser knows about the source it parses (from ``kb/sources.toml``)."""

    source_id: str
    title: str
    law: str
    jurisdiction: str  # "US", a USPS state code, or "company"
    doc_type: str  # statute | regulation | guidance | summary | policy
    url: str  # the official URL of this file or page
    as_of: str = ""  # the snapshot or revision date, YYYY-MM-DD


@dataclass(frozen=True)
class ParsedSection:
    """One section or subsection: the unit that chunking cuts further only if it is too long."""

    heading_path: tuple[str, ...]  # outermost first, e.g. ("Title 29", "Chapter 28", "§ 2612. Leave requirement", "(a) In general")
    cite: str  # built from the structure, in the design's format: "29 U.S.C. § 2612(a)(1)", "DOL WHD Fact Sheet #28"
    text: str  # plain text (Markdown-ish: paragraphs separated by blank lines); no HTML
    url: str = ""  # pin URL, with a #fragment where the source has anchors
    kind: str = "text"  # "text" or "table" (a table is kept whole in one chunk)
    refs: tuple[str, ...] = ()  # citations this section refers to (cross-references)
    flags: tuple[str, ...] = ()  # hidden-content findings (see ingest.hidden)
    jurisdiction: str = ""  # a USPS code when one section of a US-wide source is one state's (else the source's)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.jurisdiction:
            del data["jurisdiction"]
        return data


@dataclass(frozen=True)
class ParsedDocument:
    source: SourceInfo
    title: str  # the document's own title (page title, fact sheet title, section range)
    sections: tuple[ParsedSection, ...]
    revised: str = ""  # a revision date the document states, YYYY-MM-DD, if any
    extra: dict[str, str] = field(default_factory=dict)  # e.g. {"fact_sheet": "28"}

    def to_dict(self) -> dict[str, Any]:
        """The golden-file form: everything but the registry entry."""
        return {
            "title": self.title,
            "revised": self.revised,
            "extra": dict(sorted(self.extra.items())),
            "sections": [s.to_dict() for s in self.sections],
        }
