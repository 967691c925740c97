"""Which state a question names."""

from __future__ import annotations

import pytest

from workrights.jurisdiction import detect_state


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("In Texas, can I be fired for asking about my pay?", "TX"),
        ("what is the minimum wage in west virginia", "WV"),
        ("Virginia overtime rules", "VA"),
        ("I work in Washington DC", "DC"),
        ("I work in Washington, D.C. for a nonprofit", "DC"),
        ("Washington state paid family leave", "WA"),
        ("in CA, do I get meal breaks?", "CA"),
        ("What does NY law say about breaks?", "NY"),
        ("my boss in new york city won't pay me", "NY"),
        ("what was the minimum wage in Guam in 2010", "GU"),
        ("I moved from Texas to California, which law applies?", None),
        ("Can I get fired for being sick?", None),
        ("FIRED OR LAID OFF, what now", None),
        ("they told me in person", None),
    ],
)
def test_detect_state(question: str, expected: str | None) -> None:
    assert detect_state(question) == expected
