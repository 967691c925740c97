"""Personal data in a question is redacted before anything is logged, searched or sent to a model.

SSNs follow the SSA validity rules (no 000, 666 or 9xx area, no 00 group, no 0000 serial); card numbers
must pass the Luhn check; bank numbers need a word that says so; a date counts as a birth date only next
to "born" or "DOB"; health details are named conditions and medicines, not the legal words ("pregnant",
"disability", "medical leave") that the question needs to be answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Redaction", "redact", "luhn_ok"]

_DATE = (
    r"(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    r"\d{1,2}[-.]\d{1,2}[-.]\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})"
)
_SSN_SPACED = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])")
_SSN_BARE = re.compile(r"(?i)\b(?:ssn|social security(?: number| no\.?| #)?|social)\b.{0,30}?\b((?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])")
_PHONE_BARE = re.compile(r"(?<![\d$.,-])(?:\+?1)?[2-9]\d{2}[2-9]\d{6}(?!\d)(?![,.]\d)")
_TOLL_FREE = re.compile(r"^\D*(?:\+?1\D*)?\(?8(?:00|88|77|66|55|44|33)\b")
_STOP = r"(?:last|this|and|in|but|so|since|because|after|when|which|that|my|the|a|an|at|on|for|to|of|is|was|i|it|and)\b"
_DIAGNOSED = re.compile(
    rf"(?i)\b(?:diagnosed with|suffer(?:s|ing)? from|treated for|being treated for|prescribed|taking (?:meds|medication) for)\s+"
    rf"((?:(?!{_STOP})[\w'-]+)(?:\s(?!{_STOP})[\w'-]+){{0,2}})"
)
_DOB = re.compile(
    rf"(?i)(?:\bdob|\bd\.o\.b\.?|\bdate of birth|\bbirth ?date|\bbirthday|\bborn(?: on| in)?)\s*[:(-]?\s*(?:is|was)?\s*(?:[^\s\d]+\s+){{0,3}}?\(?({_DATE})"
)
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_BANK = re.compile(r"(?i)\b(?:routing|aba|account|acct|checking|savings|bank)(?:\s+(?:number|no\.?|#|num))?\s*(?:is|:|#)?\s*(\d{6,17})\b")
_HEALTH_TERMS = [
    r"multiple sclerosis", r"bipolar(?: disorder)?", r"(?:major |clinical |severe )?depression", r"anxiety disorder",
    r"panic attacks?", r"ptsd", r"post[- ]traumatic stress(?: disorder)?", r"schizo\w+", r"hiv(?:[- ]positive)?",
    r"aids", r"(?:breast |lung |colon |prostate |skin |ovarian |pancreatic |brain )?cancer", r"leukemia", r"lymphoma",
    r"chemo(?:therapy)?", r"radiation treatment", r"(?:type [12] )?diabetes", r"diabetic", r"epilep\w+", r"seizures?",
    r"autism", r"autistic", r"adhd", r"ocd", r"hepatitis(?: [abc])?", r"long covid", r"crohn'?s(?: disease)?",
    r"lupus", r"fibromyalgia", r"migraines?", r"asthma", r"heart (?:disease|attack|condition|failure)", r"stroke",
    r"kidney (?:disease|failure)", r"dialysis", r"miscarriage", r"ivf", r"infertility", r"alcoholism",
    r"(?:opioid |drug |alcohol )?addiction", r"substance use disorder", r"eating disorder", r"anorexia", r"bulimia",
    r"parkinson'?s(?: disease)?", r"alzheimer'?s", r"dementia", r"sertraline", r"zoloft", r"prozac", r"fluoxetine",
    r"lexapro", r"escitalopram", r"xanax", r"alprazolam", r"adderall", r"insulin", r"methadone", r"suboxone",
    r"antidepressants?", r"antipsychotics?", r"lithium", r"seroquel", r"wellbutrin", r"gender dysphoria", r"endometriosis",
    r"sickle cell(?: disease)?", r"cystic fibrosis", r"ms flare", r"preeclampsia", r"gestational diabetes", r"clozapine",
    r"cerebral palsy", r"aphasia", r"hormone therapy", r"brca[12](?: mutation| gene)?", r"deaf", r"hard of hearing",
    r"(?:tourette|asperger)'?s(?: syndrome)?", r"ms\b(?= (?:flare|diagnosis|relapse))", r"chronic (?:pain|fatigue|kidney disease|illness)",
    r"tuberculosis", r"hepatitis", r"herpes", r"glaucoma", r"arthritis", r"sleep apnea", r"narcolepsy", r"concussion",
    r"traumatic brain injury", r"tbi", r"amputation", r"paraplegi\w+", r"quadripleg\w+", r"dyslexia", r"mastectomy",
    r"hysterectomy", r"(?:an )?abortion", r"postpartum depression", r"gastric bypass", r"ozempic", r"wegovy", r"metformin",
    r"gabapentin", r"oxycodone", r"hydrocodone", r"percocet", r"vicodin", r"naltrexone", r"buprenorphine", r"ritalin",
    r"vyvanse", r"abilify", r"risperdal", r"lamictal", r"depakote", r"klonopin", r"valium", r"ativan", r"trazodone",
    r"effexor", r"cymbalta", r"paxil", r"celexa", r"prednisone", r"humira", r"chemo", r"(?:major |persistent )?depressive disorder",
    r"\w+ disorder", r"hyperemesis(?: gravidarum)?", r"placenta previa", r"ectopic pregnancy", r"pcos", r"hypothyroidism",
    r"hyperthyroidism", r"graves'? disease", r"hashimoto'?s", r"biktarvy", r"truvada", r"descovy", r"diclegis", r"albuterol",
    r"inhaler", r"epipen", r"levothyroxine", r"synthroid", r"lisinopril", r"atorvastatin", r"lipitor", r"metoprolol", r"amlodipine",
    r"sumatriptan", r"topiramate", r"propranolol", r"methotrexate", r"enbrel", r"remicade", r"stelara", r"dupixent", r"keytruda",
    r"tamoxifen", r"letrozole", r"insulin pump", r"cpap", r"colostomy", r"hiv",
]
_HEALTH = re.compile(r"(?i)\b(?:" + "|".join(_HEALTH_TERMS) + r")\b")


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass
class Redaction:
    text: str
    found: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({k for k, _ in self.found})


def redact(text: str) -> Redaction:
    """Replace personal data with ``[KIND]`` placeholders; ``found`` lists (kind, original) pairs."""
    spans: list[tuple[int, int, str]] = []

    def take(kind: str, start: int, end: int) -> None:
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, kind))

    for m in _EMAIL.finditer(text):
        take("email", m.start(), m.end())
    for m in _DOB.finditer(text):
        take("dob", m.start(1), m.end(1))
    for m in _SSN_SPACED.finditer(text):
        take("ssn", m.start(), m.end())
    for m in _SSN_BARE.finditer(text):
        take("ssn", m.start(1), m.end(1))
    for m in _BANK.finditer(text):
        take("bank", m.start(1), m.end(1))
    for m in _CARD.finditer(text):
        if luhn_ok(m.group(0)):
            take("card", m.start(), m.end())
    for pattern in (_PHONE, _PHONE_BARE):
        for m in pattern.finditer(text):
            if not _TOLL_FREE.match(m.group(0)):  # toll-free numbers belong to businesses and agencies
                take("phone", m.start(), m.end())
    for m in _DIAGNOSED.finditer(text):
        take("health", m.start(1), m.end(1))
    for m in _HEALTH.finditer(text):
        take("health", m.start(), m.end())
    spans.sort()
    out, last, found = [], 0, []
    for start, end, kind in spans:
        out.append(text[last:start])
        out.append("[HEALTH CONDITION]" if kind == "health" else f"[{kind.upper()}]")
        found.append((kind, text[start:end]))
        last = end
    out.append(text[last:])
    return Redaction("".join(out), found)
