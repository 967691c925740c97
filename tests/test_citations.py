from pathlib import Path

import pytest

from workrights.citations import find_cites, normalize_text, parse_query_cites, section_key, section_number

NAMES = Path(__file__).resolve().parents[1] / "kb" / "popular_names.toml"


def test_source_quirks_normalise_to_design_form() -> None:
    raw = "#### \u00a7\u202f2000e\u20132. Unlawful employment practices"
    assert normalize_text(raw) == "#### \u00a7 2000e-2. Unlawful employment practices"
    assert find_cites("see 42 U.S.C.\u00a0\u00a7\u202f2000e\u20132(a)(1) and 29 CFR 825.110") == [
        "42 U.S.C. § 2000e-2(a)(1)",
        "29 C.F.R. § 825.110",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(29 U.S.C. § 2612(a)(1))", ["29 U.S.C. § 2612(a)(1)"]),
        ("29 USC 2612", ["29 U.S.C. § 2612"]),
        ("29 U.S.C. sec. 207(a)(1)", ["29 U.S.C. § 207(a)(1)"]),
        ("(DOL WHD Fact Sheet #17A; DOL WHD Fact Sheet #28MC)", ["DOL WHD Fact Sheet #17A", "DOL WHD Fact Sheet #28MC"]),
        ("29 C.F.R. § 541.600 and 29 U.S.C. § 213(a)(1)", ["29 C.F.R. § 541.600", "29 U.S.C. § 213(a)(1)"]),
        ("no citation here, only 12 weeks", []),
    ],
)
def test_find_cites(text: str, expected: list[str]) -> None:
    assert find_cites(text) == expected


def test_section_key_and_number() -> None:
    assert section_key("42 U.S.C. § 2000e-5(e)(1)") == "42 U.S.C. § 2000e-5"
    assert section_number("42 U.S.C. § 2000e-5(e)(1)") == "2000e-5"
    assert section_key("Northwind Logistics Employee Handbook § Overtime approval").endswith("Overtime approval")


@pytest.mark.parametrize(
    ("question", "sections", "bare"),
    [
        ("what does 29 USC 2612 say", ("29 U.S.C. § 2612",), ()),
        ("explain § 2000e-3", (), ("2000e-3",)),
        ("What does section 7 of the NLRA protect?", ("29 U.S.C. § 157",), ()),
        ("NLRA section 8 unfair labor practices", ("29 U.S.C. § 158",), ()),
        ("Can I take 7 days off?", (), ()),
    ],
)
def test_parse_query_cites(question: str, sections: tuple[str, ...], bare: tuple[str, ...]) -> None:
    found = parse_query_cites(question, NAMES)
    assert found.sections == sections
    assert found.bare_numbers == bare
