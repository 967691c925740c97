"""Scope: US employment law only. Other countries' law gets a short, polite refusal.

Where someone is *from* is not where they work: "a nurse from the Philippines on a visa" is a US worker.
"""

from __future__ import annotations

import re

__all__ = ["foreign_jurisdiction", "about_work"]

_FOREIGN = re.compile(
    r"(?i)\b(?:in|under|for) (?:the )?(?:uk|u\.k\.|united kingdom|britain|england|scotland|wales|ireland|canada|ontario|quebec|"
    r"british columbia|alberta|australia|new zealand|india|germany|france|spain|italy|netherlands|sweden|norway|denmark|"
    r"mexico|brazil|argentina|japan|china|singapore|hong kong|philippines|nigeria|south africa|kenya|eu|european union|"
    r"dubai|uae|saudi arabia|israel|poland|switzerland|belgium|portugal|austria|korea|pakistan|bangladesh)\b"
    r"|\b(?:uk|canadian|australian|indian|german|french|mexican|eu|british|irish) (?:employment|labou?r|work) (?:law|rules|code)"
    r"|\b(?:uk|canadian|australian|indian|german|french|mexican|british|irish) law\b|\bley federal del trabajo\b"
    r"|\b(?:canada|mexico|india|germany|france|ireland|australia|britain|brazil|japan|china)'s\b"
)
_US = re.compile(r"(?i)\b(?:united states|u\.s\.|\bus\b|usa|america|federal|state law)\b")
_WORK = re.compile(
    r"(?i)\b(?:job|jobs|work\w*|employ\w*|boss|manager|supervisor|fired|firing|hire\w*|hiring|laid off|layoff|quit|resign\w*|"
    r"stewards?|weingarten|grievances?|bargaining|"
    r"pay|paid|wages?|salary|overtime|shift|schedule|leave|fmla|hr|human resources|union|coworkers?|co-workers?|"
    r"discriminat\w+|harass\w*|retaliat\w+|interview|applicant|candidate|handbook|policy|benefits|severance|"
    r"osha|eeoc|nlrb|flsa|ada|adea|title vii|pregnan\w+|accommodat\w+|minimum wage|tips?|contractor|staff|"
    r"workplace|office|warehouse|restaurant|store|company|business|employer|employee|promotion|demot\w+|"
    r"disciplin\w*|written up|write-up|timesheet|paycheck|break|lunch|sick|vacation|pto|intern\w*|i-?9|e-?verify|w-?2|1099|"
    r"part[- ]?tim\w*|full[- ]?tim\w*|hours|workers?|labou?r|shifts?|site|job ?site|worksite|scaffold\w*|warehouse|factory|plant|"
    r"crew|construction|safety|unsafe|dangerous|hazard\w*|green card|work permit|visa|passport|hr\b|boss|foreman|"
    r"trabaj\w*|salario|sueldo|jefe|patr[oó]n|emple\w*|despid\w*|horas|licencia|embarazada|recursos humanos|capacitaci[oó]n|"
    r"sindicato|indocumentad\w*|pago|pagar|migraci[oó]n|descansos?|acoso|almuerzo|ley|patr[oó]n|gerente|supervisor[a]?|turnos?|"
    r"vacaciones|enferm\w*|seguro|derechos?|renuncia\w*|contrat\w*|obrer\w*)\b"
)


_FOREIGN_NAMES = re.compile(r"(?i)\bley federal del trabajo\b")  # "federal" here is Mexico's, not a sign of US law


def foreign_jurisdiction(text: str) -> bool:
    return bool(_FOREIGN.search(text)) and not _US.search(_FOREIGN_NAMES.sub("", text))


def about_work(text: str) -> bool:
    return bool(_WORK.search(text))
