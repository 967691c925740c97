"""Evasion: requests for help getting around employment law are refused, with the lawful path.

The same topics asked in good faith ("how do we document performance problems fairly?") are answered
normally, so the patterns look for the intent to avoid, hide or pre-empt, not for the topic.
"""

from __future__ import annotations

import re

__all__ = ["evasion_topic", "LAWFUL_PATH"]

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("retaliation", re.compile(
        r"(?i)\b(?:without (?:it )?(?:looking|seeming|appearing|coming across) (?:like|as) (?:retaliation|discrimination|revenge|payback)|"
        r"(?:doesn'?t|does not|won'?t|will not|wouldn'?t) (?:look|seem|appear|come across) (?:like|as) (?:retaliation|discrimination|revenge)|"
        r"(?:get rid of|let (?:her|him|them) go|fire|terminate|push out|pay back|punish|make (?:an )?example)\b.{0,80}\b(?:before (?:she|he|they) (?:file|sue|complain|go to|call|report)|"
        r"(?:who|that|since|after|because) (?:she|he|they) (?:complained|filed|reported|testified|went to|called|spoke to|joined|asked about)|for complaining|for filing|for reporting)|"
        r"(?:build|create|make up|invent|manufacture|paper) (?:a )?(?:paper trail|case|reasons?|performance issues?)\b.{0,60}\b(?:complain|filed|report|before|after|so we can)|"
        r"safest way to (?:fire|terminate|let (?:her|him|them) go|get rid of))")),
    ("misclassification", re.compile(
        r"(?i)\b(?:(?:call|classify|treat|label|put|switch|convert|make)\w* (?:them|him|her|our \w+|workers|employees|staff|drivers|everyone)?\s*(?:all\s+)?(?:as |to |into )?(?:independent )?(?:contractors?|1099s?|exempt|salaried|managers?)\b.{0,80}\b(?:avoid|so (?:we|that we|i) (?:don'?t|do not|won'?t|never|can skip|can avoid)|to (?:skip|dodge|get out of|save on) (?:overtime|payroll|taxes|benefits))|"
        r"(?:avoid|get out of|get around|dodge|skip|not have to) pay\w* (?:any )?overtime|"
        r"(?:title|call) (?:them|him|her) (?:a )?(?:manager|supervisor)s? so\b)")),
    ("interview_questions", re.compile(
        r"(?i)\b(?:(?:find out|figure out|ask|learn|know|tell|check|screen|determine|sniff out|suss out)\b.{0,40}\b(?:if|whether|who)\b.{0,40}\b"
        r"(?:pregnant|planning (?:a family|to have (?:kids|children|a baby))|plans? (?:to have|for) (?:kids|children|a family)|disab\w+|sick|"
        r"(?:has|have) (?:kids|children|a disability|health (?:problems|issues))|gay|religious|muslim|christian|jewish|old|over \d\d|married|"
        r"(?:medical|mental health|health) (?:condition|issues|history)|genetic|family (?:medical )?history|citizens?|immigrants?|their age)\b"
        r"(?:.{0,60}\b(?:without (?:asking|it being|being)|so (?:we|i) can (?:avoid|skip|not hire|reject|screen)|legally|indirectly|sneak|trick|subtl\w+|workaround|around the law|get away))|"
        r"(?:avoid|not hire|screen out|weed out|filter out|reject|discourage) (?:any |the )?(?:pregnant|older|old|disabled|women|mothers|moms|muslims?|immigrants?|foreign|applicants? over|candidates? over|people over)|"
        r"word (?:the|our|a) (?:ad|job (?:ad|posting|listing)|posting|listing) so\b.{0,60}\b(?:older|younger|women|men|pregnant|disabled|young)|"
        r"(?:only|just) (?:hire|want) (?:young|younger|men|women|americans|people under))")),
    ("union", re.compile(
        r"(?i)\b(?:(?:stop|prevent|discourage|break|bust|kill|crush|shut down|squash|get ahead of|derail|block|nip)\b.{0,30}\b(?:the |a |this |any )?(?:union|organizing|unioniz\w+)|"
        r"(?:monitor|spy on|track|identify|find out who|figure out who|watch|surveil)\b.{0,50}\b(?:union|organiz\w+)|"
        r"(?:fire|get rid of|punish|threaten|discipline|transfer)\w*\b.{0,50}\b(?:union (?:supporters?|organizers?|leaders?)|organizers?|who (?:is|are|was|were) organiz\w+|who signed)|"
        r"(?:promise|offer|give)\w*\b.{0,40}\b(?:raises?|bonus\w*|benefits)\b.{0,40}\b(?:if they vote|to vote|if (?:they|the union) (?:drop|loses)|against the union)|"
        r"union[- ]?(?:proof|free) (?:our|the) (?:company|workplace|store))")),
    ("wage_theft", re.compile(
        r"(?i)\b(?:(?:shave|shaving|round(?:ing)? down|alter|delete|trim|trimming)\w*\b.{0,30}\b(?:time ?sheets?|timecards?|time (?:records|entries|punches)|hours (?:worked|on the)|punches)|"
        r"(?:keep|pocket|take|split)\w*\b.{0,30}\b(?:the |their |servers'? |employees'? |staff'?s? )?tips\b.{0,30}\b(?:for (?:us|the owners?|managers?|myself)|without|ourselves)|"
        r"(?:managers?|owners?|we) (?:keep|take|get) (?:a cut of |part of |some of )?(?:the )?tips|"
        r"(?:not|avoid|without|skip) pay\w* (?:them |workers |employees |staff )?(?:for )?(?:training|travel|on[- ]call|prep|setup|the extra|those) (?:time|hours)?\b.{0,40}\b(?:legally|get away|without|so)|"
        r"get away with (?:not paying|paying (?:less|under|below))|pay (?:them |her |him )?(?:under the table|in cash so|below minimum))")),
    ("pay_discrimination", re.compile(
        r"(?i)\b(?:pay (?:her|women|them|the women|female \w+|minorities|him|the men)\w* less\b.{0,60}\b(?:without|and (?:hide|not)|but|so|legally|justify|get away)|"
        r"(?:hide|conceal|keep (?:quiet|secret)|cover)\b.{0,40}\b(?:pay gap|pay (?:difference|disparity)|what (?:the men|women|she|he) (?:make|earn)s?)|"
        r"(?:justify|explain away) paying (?:her|women|them) less|"
        r"\b(?:we|i)\s+(?:\w+\s+){0,3}(?:stop|prevent|forbid|ban|punish|fire|discipline|write up)\b.{0,40}\b(?:employees?|workers?|staff|people|them|her|him)?\b.{0,20}\b(?:discuss\w*|talk\w*|shar\w*|compar\w*) (?:about )?(?:their |our )?(?:pay|wages|salar\w+|raises))")),
    ("leave", re.compile(
        r"(?i)\b(?:(?:make|get|force|push|pressure|encourage|nudge)\w* (?:her|him|them|an? \w+|the \w+ \w+)? ?(?:to )?(?:quit|resign|retire|leave)\b.{0,60}\b(?:fmla|leave|before|so (?:we|i)|without|instead of|avoid|pregnan|accommodat|disab|ada|complain)|"
        r"(?:avoid|get out of|get around|dodge|deny|not have to (?:give|grant|approve))\w*\b.{0,30}\b(?:fmla|medical leave|maternity leave|her leave|his leave|the leave|pumping breaks?|lactation|nursing breaks?)|"
        r"(?:count|use|treat)\w*\b.{0,20}\b(?:fmla|protected) (?:leave |absences? |days )?(?:against (?:her|him|them)|as (?:points|absences|unexcused)))")),
    ("accommodation", re.compile(
        r"(?i)\b(?:(?:get around|avoid|dodge|get out of|not have to|minimize|skip)\w*\b.{0,30}\b(?:the )?(?:ada|accommodat\w+|disability (?:law|rules))|"
        r"(?:reject|deny|turn down)\w*\b.{0,40}\b(?:accommodat\w+)\b.{0,40}\b(?:without|so (?:it|we)|legally|get away))")),
    ("i9_immigration", re.compile(
        r"(?i)\b(?:(?:only|just) (?:e-?verify|check|verify|ask for (?:papers|documents|green cards?))\b.{0,40}\b(?:foreign|hispanic|latin\w+|immigrant|accent|who look|asian|mexican)|"
        r"(?:more|extra|specific) documents? (?:from|for) (?:the )?(?:foreign|hispanic|latin\w+|immigrant|non-?citizen)|"
        r"\b(?:we|i)\s+(?:\w+\s+){0,3}(?:threaten|report|call)\w*\b.{0,20}\b(?:ice|immigration)\b.{0,40}\b(?:if|to stop|so (?:they|he|she)|complain|union)|"
        r"hire (?:only|just) (?:us )?citizens)")),
    ("records", re.compile(
        r"(?i)\b(?:backdat\w+|(?:fake|fabricate|falsif\w+|doctor|alter|create after the fact)\w*\b.{0,40}\b(?:write-?ups?|warnings?|documentation|records|reviews?|notes|evaluations?)|"
        r"(?:destroy|delete|shred|get rid of)\w*\b.{0,40}\b(?:records|emails|time ?sheets|documents|files)\b.{0,40}\b(?:before|so|in case|lawsuit|investigation|audit|eeoc|dol))")),
    ("age", re.compile(
        r"(?i)\b(?:(?:push|pressure|force|ease|nudge|encourage|get)\w*\b.{0,30}\b(?:older|old|senior|aging|boomer)\w*\b.{0,30}\b(?:out|retire|quit|leave)|"
        r"(?:get rid of|replace|phase out|lay off|weed out)\w*\b.{0,30}\b(?:the |our )?(?:older|old|senior|aging|boomer)\w* (?:workers?|employees?|staff|people|guys|folks))")),
    ("generic", re.compile(
        r"(?i)\b(?:(?:get around|circumvent|sidestep|skirt|evade|dodge|loophole (?:in|around|for)|work around)\b.{0,40}\b(?:the law|employment law|labor law|flsa|fmla|ada|adea|title vii|osha|nlra|the rules|minimum wage|overtime rules|eeoc)|"
        r"(?:without|avoid|so we don'?t) (?:getting )?(?:sued|caught)|not get caught|(?:so|that) (?:she|he|they) (?:can'?t|cannot|won'?t be able to) (?:sue|file|complain|prove))")),
]


# Intent cues that do not depend on the topic: hiding what is done, pre-empting a claim, or keeping a
# rule on paper only. Each is a phrase people use when they want the outcome without the legal exposure.
_CONCEAL = re.compile(
    r"(?i)\b(?:so (?:it|that it|this|they|the dol|the eeoc|nobody|no one)\s*(?:doesn'?t|does not|won'?t|will not|don'?t|can'?t|isn'?t)\s*(?:look|seem|appear|show|see through|connect|notice|count|figure)|"
    r"without it (?:being|looking|seeming) (?:obvious|connected|like)|(?:doesn'?t|does not|won'?t) (?:look|show up) (?:like|as|connected)|"
    r"so nobody (?:connects|notices|finds out|sees|can tell)|(?:hope|hoping) (?:nobody|no one) (?:notices|finds out|asks)|"
    r"(?:most of them|nobody|no one) (?:don'?t|doesn'?t|won'?t|wouldn'?t|will) (?:even )?notice|"
    r"(?:set (?:it|this) up|make it look|(?:how|what) (?:do|should|can) (?:i|we) (?:word|phrase|write)\b.{0,60}\b(?:so|without))|"
    r"on paper|if (?:anyone|anybody|someone|the dol|an auditor) (?:ever )?asks|look(?:s)? (?:complete|voluntary|legit|like managing)|"
    r"(?:not|isn'?t|wasn'?t|but it'?s still|it'?s still|still) technically|technically (?:not|legal|it'?s not)|"
    r"\bquietly\b|\bsubtl(?:e|y)\b.{0,20}\b(?:way|figure|find out|ask)|without (?:asking|ever saying|saying|mentioning) (?:directly|it|the word|them)|"
    r"get ahead of (?:it|this|her|him|them)|make an example|defensible way|(?:does that|would that|will that) cover us|"
    r"(?:can we|could we) just say (?:it is|it'?s|that|there'?s|the)|(?:hop(?:e|ing)) (?:she|he|they)(?:'ll| will)? (?:just )?(?:give up|quit|resign|drop it)|"
    r"so (?:she|he|they)(?:'ll| will| would)? (?:just )?(?:resign|quit|give up|leave) (?:on (?:her|his|their) own)?|"
    r"(?:not|aren'?t) on the hook|how much can we (?:skim|keep|take|get away)|bare minimum\b.{0,60}\b(?:say no|deny|refuse)|"
    r"avoid (?:accommodating|paying|giving|hiring)|make the job (?:unpleasant|miserable|hard)|paper trail|"
    r"nudge (?:him|her|them) (?:toward|towards|into) (?:retirement|retiring|quitting|leaving)|"
    r"replace (?:him|her|them) with (?:someone|somebody) (?:younger|cheaper)|"
    r"(?:pick|choose|set|design) (?:the )?criteria so|doesn'?t show up as|"
    r"(?:redo|rewrite|recreate|create|date)\b.{0,40}\b(?:timesheets?|warnings?|write-?ups?|notices?|records)\b.{0,40}\b(?:back|now|line up|looks?|so)|"
    r"so (?:the )?(?:file|records?|hours) (?:looks?|lines? up)|(?:skim|pocket)\b|before (?:eligibility|(?:she|he|they) (?:becomes?|is|are) eligible|it kicks in|(?:she|he|they) (?:files?|sues?|complains?|goes? to))|"
    r"(?:just )?(?:retitle|rename|call|label) (?:them|him|her|our \w+(?: \w+)?) (?:as )?['\"]?[\w ]{0,30}['\"]? (?:so|and put them on salary|to make them exempt)|"
    r"(?:so|and) (?:we )?(?:save|stay) (?:a ton |money )?(?:on (?:ot|overtime)|under budget)|"
    r"(?:so|and) (?:they'?re|they are|she'?s|he'?s) not ['\"]?equal work|think (?:they|she|he) can'?t|"
    r"(?:might|will|could) close (?:the plant|the store|the location|down) if (?:the )?union|"
    r"(?:who|that|the one) (?:complained|filed|reported|testified|was a witness)\b.{0,80}\b(?:eliminat\w+|restructur\w+|rif|cover us)|"
    r"(?:tell|say to) (?:new hires|them|employees) verbally|(?:keep|have) (?:the )?(?:salary|pay) (?:spreadsheet|data|info\w*) locked\b.{0,60}\b(?:don'?t|won'?t|not) (?:figure|find)|"
    r"(?:only|just) (?:run|use|do) e-?verify on|screen (?:for it|out)\b.{0,40}\b(?:quietly|permits?|eads?|citizens?|older|pregnan)|"
    r"(?:look|sound) foreign|ones that seem|(?:so|and) (?:hiring|it) doesn'?t slow|demand all (?:her|his|their) medical records|"
    r"(?:keep doing (?:that|this|it)|get away with (?:it|this|that))\b|without (?:a |any )?(?:problem|trouble|issues?) with (?:the )?(?:dol|eeoc|osha|nlrb|labor|irs|auditors?)|"
    r"(?:just )?not (?:count|pay for) (?:that|this|the) time|say (?:it'?s|it is|they'?re|that it'?s) (?:voluntary|optional|off the clock)|"
    r"treat it as (?:a )?voluntary|so (?:we|i) can (?:say no|deny|refuse|reject|turn (?:it|her|him|them) down|predict who)|"
    r"(?:jot|write|note|take) down (?:who|names)|(?:get|make) (?:her|him|them) (?:to )?tell (?:me|us) what (?:condition|illness|disability)|"
    r"(?:offer|give)\w* (?:a )?buyout only to (?:people|employees|those|staff) over)"
)
_PROTECTED = re.compile(
    r"(?i)\b(?:complain\w*|filed|files|reported|report(?:ing)? us|witness|testif\w+|organiz\w+|union|eeoc|osha|dol|labor (?:dept|department|board)|"
    r"wage claim|fmla|pregnan\w+|pump\w*|accommodat\w+|posted (?:everyone'?s )?salar\w+|asking (?:her |his )?coworkers what they make|what they make)\b"
)
# A motive or framing that turns "can we discipline him" from a process question into a pretext.
_MOTIVE = re.compile(
    r"(?i)\b(?:pain|annoying|troublemaker|get rid|anyway|instead of|technically|same pay|by the time|before (?:she|he|they)|"
    r"small stuff|for small|for (?:little|minor) things|make (?:it|life) (?:hard|difficult)|teach (?:her|him|them)|payback|so (?:she|he|they)(?:'ll| will)? (?:quit|leave))\b"
)
_ADVERSE = re.compile(
    r"(?i)\b(?:can|could|should|how (?:do|can|should)) (?:we|i)\b.{0,40}\b(?:fire|term|terminate|let (?:him|her|them) go|write (?:him|her|them)? ?up|"
    r"start writing|move (?:him|her|them)|demote|cut (?:their |his |her )?hours|dock|discipline|get rid of|punish)\b"
)


def evasion_topic(text: str) -> str | None:
    """The topic of a request to get around the law, or None for a good-faith question."""
    for topic, pattern in _PATTERNS:
        if pattern.search(text):
            return topic
    if _CONCEAL.search(text):
        return "generic"
    if _PROTECTED.search(text) and _ADVERSE.search(text) and _MOTIVE.search(text):
        return "retaliation"
    return None


# What to retrieve instead of the evasive question: the rule the request is trying to get around.
LAWFUL_PATH = {
    "retaliation": "It is illegal to fire, demote or punish an employee because they complained, filed a charge or took part in an investigation (retaliation)",
    "misclassification": "Employees must be paid overtime unless an exemption's salary and duties tests are met; job titles and contractor labels do not decide it",
    "interview_questions": "Employers may not refuse to hire because of pregnancy, disability, age, religion or genetic information; disability-related questions before a job offer are limited",
    "union": "Employees have the right to organize and discuss working conditions; employers may not threaten, interrogate, spy on or punish union supporters",
    "wage_theft": "All hours worked must be paid, records must be accurate, and employers and managers may not keep employees' tips",
    "pay_discrimination": "Men and women doing equal work must get equal pay, and employees have the right to discuss their pay",
    "leave": "Employers may not interfere with FMLA leave or punish employees for taking it; nursing employees get break time and a private place to pump",
    "accommodation": "Employers must provide reasonable accommodations for disability and pregnancy unless it causes undue hardship",
    "i9_immigration": "Employers may not discriminate based on citizenship or immigration status or demand extra documents from some workers",
    "records": "Employers must keep accurate payroll and time records, and altering records to defeat a claim is unlawful",
    "age": "It is illegal to discriminate against workers aged 40 or older or to force them to retire; waivers of age claims have strict rules",
    "generic": "Employees are protected from retaliation for asserting their rights under employment laws",
}
