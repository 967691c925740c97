"""Write ``evals/datasets/states.jsonl``: questions about each state's facts, phrased as users ask them.

Run ``python -m evals.make_state_questions`` after changing ``kb/states/``. Every state and DC gets a
minimum-wage and a discrimination question; the 20 most populous states and Connecticut get one per topic
fact. Half the questions name the state in the text with no state selected (detection), half select it
(the app's selector). Expected citations are the facts' own, at section level.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from workrights.citations import section_key
from workrights.settings import default_kb_dir
from workrights.state_facts import StateFacts, load_states

OUT = Path(__file__).resolve().parent / "datasets" / "states.jsonl"
ROLES = ("employee", "advocate", "hr")

WAGE = (
    "what is the minimum wage in {name} right now?",
    "{name} minimum wage per hour for 2026",
    "my job in {name} pays $7.50 an hour, is that legal?",
    "What hourly minimum must an employer in {name} pay?",
)
COVERAGE = (
    "does {name} have a law against discrimination at work that covers small employers?",
    "how many employees does an employer need before {name} anti-discrimination law applies?",
    "my employer in {name} has 8 employees, can they fire me because of my religion?",
)
AGENCY = (
    "where do I file a discrimination complaint in {name} and how long do I have?",
    "what is the deadline to file a job discrimination charge with the {name} state agency?",
    "{name} civil rights agency for workplace discrimination, filing deadline",
)
TOPIC = {
    "overtime": ("do I get overtime after 8 hours in a day in {name}?", "{name} overtime rules that differ from federal law"),
    "paid_sick_leave": ("does {name} require paid sick leave?", "how much paid sick time do workers earn in {name}?"),
    "paid_family_leave": ("is there paid family leave in {name}?", "{name} paid family and medical leave benefits"),
    "final_pay": ("when do I get my last paycheck after being fired in {name}?", "I quit my job in {name}, when is my final pay due?"),
    "meal_rest_breaks": ("am I entitled to a lunch break in {name}?", "{name} meal and rest break requirements for employers"),
    "pay_transparency": ("do job postings in {name} have to include the salary range?", "can an employer in {name} ask about my salary history?"),
    "non_compete": ("is my non-compete enforceable in {name}?", "{name} rules on non-compete agreements for employees"),
}


def _money(rate: float) -> str:
    return re.escape(f"{rate:.2f}")


def _items(s: StateFacts, n: int) -> list[dict[str, object]]:
    named = n % 2 == 0  # alternate: the state in the question, or chosen in the selector
    def item(kind: str, template: str, cite: str, facts: list[str], i: int) -> dict[str, object]:
        question = template.format(name=s.name if named else "my state")
        question = question[0].upper() + question[1:] if question.startswith("my state") else question
        return {
            "id": f"state-{s.code.lower()}-{kind}",
            "question": question,
            "role": ROLES[(n + i) % 3],
            "state": None if named else s.code,
            "law": f"{s.code} law",
            "expected_cites": [section_key(cite)],
            "key_facts": facts,
            "style": "state-named" if named else "state-selected",
        }

    mw, fe, ag = s.minimum_wage, s.fair_employment, s.agency
    out = [item("wage", WAGE[n % len(WAGE)], mw.cite, [_money(mw.rate)] if mw.rate else ["7\\.25"], 0)]
    if n % 2 == 0 and ag.filing_period:
        out.append(item("agency", AGENCY[n % len(AGENCY)], ag.cite, [ag.filing_period.split()[0]], 1))
    else:
        threshold = [str(fe.min_employees)] if fe.min_employees and fe.min_employees > 1 else []
        out.append(item("coverage", COVERAGE[n % len(COVERAGE)], fe.cite, threshold, 1))
    for j, (key, fact) in enumerate(s.topics.items()):
        out.append(item(key, TOPIC[key][(n + j) % 2], fact.cite, [], 2 + j))
    return out


def main() -> None:
    states = load_states(default_kb_dir() / "states")
    lines = []
    for n, code in enumerate(sorted(states)):
        lines += [json.dumps(i, ensure_ascii=False) for i in _items(states[code], n)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} questions to {OUT}")


if __name__ == "__main__":
    main()
