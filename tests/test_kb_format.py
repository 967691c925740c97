"""The built-in knowledge base is well-formed, and the parser rejects malformed files clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.kb_markdown import MAX_FILE_BYTES, parse_kb_file, parse_kb_text
from tests.conftest import REPO
from workrights.citations import find_cites, section_key
from workrights.citations import split_trailing_cites as _split_trailing_cites
from workrights.errors import KnowledgeBaseError
from workrights.text import split_sentences

ALL_FILES = sorted(p for p in (REPO / "kb").rglob("*.md") if p.name != "README.md")
SUMMARIES = [p for p in ALL_FILES if "federal" in p.parts]
REQUIRED_LAWS = {
    "title_vii", "ada", "fmla", "equal_pay_act", "nlra", "adea", "pwfa", "gina", "osha_retaliation",
    "damages_caps", "agencies",
}

GOOD = """---
id: us_workrights_demo
title: Demo
law: DEMO
jurisdiction: US
doc_type: summary
url: https://example.gov
as_of: "2026-11-23"
---
# Demo

## A rule
You get 12 workweeks (29 U.S.C. § 2612(a)(1)).
"""


def test_every_required_law_has_a_summary() -> None:
    present = {p.stem for p in SUMMARIES} | {p.stem.split("_")[0] for p in SUMMARIES}
    assert REQUIRED_LAWS <= present, REQUIRED_LAWS - present
    assert any(p.stem.startswith("flsa") for p in SUMMARIES)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_parses_with_unique_sections(path: Path) -> None:
    doc = parse_kb_file(path)
    assert doc.sections
    headings = [s.headings for s in doc.sections]
    assert len(headings) == len(set(headings)), "duplicate headings"


def test_ids_are_unique() -> None:
    ids = [parse_kb_file(p).source_id for p in ALL_FILES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", SUMMARIES, ids=lambda p: p.name)
def test_every_section_states_cited_rules_and_front_matter_lists_them(path: Path) -> None:
    doc = parse_kb_file(path)
    body_cites: set[str] = set()
    for section in doc.sections:
        cited = [c for s in split_sentences(section.text) for c in _split_trailing_cites(s)[1]]
        assert cited, f"section {section.headings} has no cited sentence"
        body_cites |= {section_key(c) for c in cited if "U.S.C." in c}
    listed = {section_key(c) for c in doc.cites for c in find_cites(c)}
    assert body_cites <= listed, f"front matter cites lack {sorted(body_cites - listed)}"


def test_handbook_is_company_policy_with_an_injection_fixture() -> None:
    docs = [parse_kb_file(p) for p in ALL_FILES if "policies" in p.parts]
    assert docs and all(d.jurisdiction == "company" and d.doc_type == "policy" for d in docs)
    text = " ".join(s.text for d in docs for s in d.sections).lower()
    assert "ai assistant" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("# Just a heading\n\nNo front matter.", "no YAML front matter"),
        ("---\nid: [unclosed\n---\n## A\ntext\n", "invalid front matter"),
        (GOOD.replace("jurisdiction: US", "jurisdiction: Mars"), "jurisdiction"),
        (GOOD.replace('as_of: "2026-11-23"', "as_of: soon"), "as_of"),
        (GOOD.replace("law: DEMO\n", ""), "lacks law"),
        (GOOD.split("## A rule")[0], "no ## sections"),
    ],
)
def test_malformed_files_get_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_kb_text(text, "demo.md")


def test_huge_and_binary_files_are_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(KnowledgeBaseError, match="limit"):
        parse_kb_file(huge)
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(KnowledgeBaseError, match="UTF-8"):
        parse_kb_file(binary)


def test_html_comments_are_stripped() -> None:
    doc = parse_kb_text(GOOD.replace("You get", "<!-- note for maintainers -->You get"))
    assert "note for maintainers" not in doc.sections[0].text
