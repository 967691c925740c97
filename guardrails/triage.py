"""Escalation triage: none, refer, urgent or crisis, with the reasons.

Words alone do not escalate: "can you be fired for being pregnant?" is a question about the law, "they
fired me because I'm pregnant" is an event, so event patterns are skipped inside a hypothetical clause
("if someone got fired..."). Crisis triggers are deliberately broad, because a missed crisis is the worst
error this tool can make, and a crisis said in any earlier turn stays in effect. Deadlines that are near
or past raise the level too (see ``guardrails.check``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Triage", "triage", "LEVEL_ORDER", "crisis_words"]

LEVEL_ORDER = {"none": 0, "refer": 1, "urgent": 2, "crisis": 3}


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


_CRISIS: dict[str, re.Pattern[str]] = {
    "thoughts of suicide or self-harm": _rx(
        r"\bkill(?:ing)? my ?self\b", r"\bend(?:ing)? (?:it all|my life|things)\b", r"\bsuicid\w*", r"\btake my (?:own )?life\b",
        r"\b(?:don'?t|do not|dont|doesn'?t) (?:want|wanna) to (?:be alive|live|wake up|be here anymore|keep going)",
        r"\bbetter off (?:dead|without me|if i (?:just )?(?:wasn'?t|weren'?t|was not|were not) (?:around|here|alive))",
        r"\beveryone would be better off\b", r"\b(?:hurt|harm|cut|cutting|burn)(?:ing)? my ?self\b", r"\bcutting again\b",
        r"\bself[- ]?harm", r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|keep living|keep going)",
        r"\b(?:don'?t|doesn'?t|do not) see (?:a|any) (?:reason|point) (?:to|in) (?:keep )?(?:living|live|go on|going on)",
        r"\b(?:want|wanna|wish i could|going to|gonna) (?:to )?die\b", r"\bwish i (?:was|were) dead\b",
        r"\bcan'?t (?:go on|do this anymore|take (?:it|this) anymore|keep going)\b", r"\bnot worth living\b", r"\boverdos\w+",
        r"\b(?:took|take|taking|swallowed) (?:a bunch of|all (?:of )?my|a handful of|too many) (?:my )?(?:pills|meds|medication)",
        r"\b(?:pills|meds|medication) (?:saved|stockpiled|ready)\b", r"\b(?:saving|saved|stockpil\w+) (?:up )?(?:my |some )?(?:pills|meds)\b",
        r"\b(?:family|kids|everyone|everybody|they|wife|husband|world|people) (?:would|will|'d) be better off\b",
        r"\bnothing (?:left )?to live for\b", r"\bwhat'?s the point (?:of|in) (?:living|going on|anything)\b",
        r"\b(?:say|said) goodbye\b.{0,40}\b(?:for good|forever|everyone)\b",
        r"\bjump (?:off|in front of)\b", r"\bdriv\w+ (?:my car |the car )?(?:into|off) (?:a |the )?(?:wall|bridge|tree|cliff|traffic)",
        r"\bwon'?t be (?:around|here) (?:much )?(?:longer|anymore)\b", r"\bgiving away (?:my|all my) (?:stuff|things|belongings)",
        r"\bwrote (?:goodbye )?letters? to my (?:kids|family|wife|husband|children)", r"\bif something happens to me\b",
        r"\b(?:going to|gonna|i'?ll|i will|might|want to|wanna|about to)\s+(?:just\s+)?end it\b", r"\bkill (?:him|her|them)sel(?:f|ves)\b",
        r"\b(?:hurt|harm) (?:him|her|them)sel(?:f|ves)\b", r"\bquitar(?:me)? la vida\b", r"\bmatarme\b", r"\bno quiero vivir\b",
    ),
    "threat of violence": _rx(
        r"\b(?:threaten\w*|said|says|told (?:me|us|everyone)|going to|gonna|will|'ll|wants? to|want to|wanna|plans? to|about to|tried to|promised to)"
        r"\s+(?:[\w'’]+\s+){0,3}(?:kill|shoot|stab|beat(?: up)?|attack|strangle|choke|punch|hurt|harm|jump)\s+(?:me|you|us|him|her|them|everyone|everybody|people|somebody|someone|"
        r"my (?:boss|manager|supervisor|coworker|co-worker|lead|foreman|owner|husband|wife|ex|family))\b",
        r"\bbring\w* (?:something|a (?:gun|weapon|knife)|my (?:gun|piece))\b.{0,30}\b(?:to work|tomorrow|in)\b",
        r"\bmak\w* (?:my (?:boss|manager|supervisor)|them|him|her|everyone) (?:all )?feel what i\b",
        r"\bknows where i live\b", r"\bwith (?:his|her|their|my|a|an) (?:ar|ar-?15|ak|ak-?47|glock|gun|rifle|shotgun|pistol|knife|piece)\b", r"\b(?:coming|come) (?:over|to my (?:house|place|apartment)) to (?:settle|teach|handle|deal)\b",
        r"\b(?:parked|waiting|sitting) (?:across|outside|in front of) (?:from )?my (?:house|place|apartment|building)\b",
        r"\b(?:watching|outside) my (?:house|home|apartment)\b",
        r"\b(?:gun|knife|weapon|firearm|pistol|rifle|machete|bomb|scalpel)s?\b.{0,60}\b(?:bring|brought|has|had|pulled|showed|waving|carry|carries|threat\w*|point\w*|in (?:his|her) (?:car|truck|bag|locker))",
        r"\b(?:bring|brought|bringing|has|had|pulled|showed|waving|carry|carries|pointed)\b.{0,40}\b(?:gun|knife|weapon|firearm|pistol|rifle|machete|bomb)s?\b",
        r"\bbring\w* something to work to\b", r"\bmake (?:them|everyone|him|her) (?:all )?(?:pay|feel what i feel|suffer|regret)",
        r"\bbomb threat\b", r"\bme va a (?:matar|pegar)\b", r"\bme (?:amenaz\w+)\b",
    ),
    "immediate danger": _rx(
        r"\blocked (?:me |us )?(?:in|inside)\b", r"\blocked (?:the )?(?:exit|fire exits?|doors?|emergency exits?)", r"\bstuck inside\b",
        r"\btrapped\b", r"\bcan'?t get out\b", r"\bgas (?:leak|smell)\b", r"\bsmell(?:s|ing)? (?:of )?gas\b", r"\bon fire\b",
        r"\bfire (?:alarm|is spreading)\b.{0,80}\b(?:locked|stuck|can'?t|trapped|keep working)", r"\b(?:hitting|choking|attacking|assaulting|grabbing) me\b.{0,80}\b(?:now|still|locked|hid|hiding|got away)",
        r"\bbeing (?:attacked|assaulted|beaten)\b", r"\bfollow(?:ed|ing|s) me (?:home|to my car)\b", r"\bstalking me\b",
        r"\bchemical (?:spill|leak)\b", r"\bcan'?t breathe\b", r"\bbleeding\b", r"\bunconscious\b", r"\bpassed out\b", r"\bcollapsed\b",
        r"\bin danger\b", r"\b(?:punched|slapped|kicked|shoved|choked|strangled|hit|beat|stabbed|pushed) me\b",
        r"\b(?:i'?m|im|i am) hiding\b", r"\blocked myself in\b", r"\bnot safe (?:right )?now\b", r"\b(?:scared|afraid|fear(?:ful)?) for my (?:life|safety)\b",
        r"\b(?:he|she|they)(?:'s| is| are|'re) still (?:out there|here|outside|in the building)\b",
        r"\bswaying\b", r"\balmost (?:fell|died|got crushed|electrocuted)\b", r"\bright now\b.{0,60}\b(?:nobody leaves|keep (?:the line )?running|locked)",
        r"\btengo (?:mucho )?miedo\b", r"\bsmoke\b.{0,60}\b(?:won'?t let|can'?t|locked|trapped|breathe)", r"\bhard to breathe\b",
        r"\b(?:won'?t|will not|wont) let (?:us|me) (?:out|leave)\b",
    ),
}

_URGENT: dict[str, re.Pattern[str]] = {
    "you were fired or are about to be": _rx(
        r"\b(?:got|was|were|been|just|am being|'?m being|are being|am getting|'?m getting|getting)\s+(?:just\s+)?(?:fired|terminated|let go|laid off|sacked|canned|dismissed)\b",
        r"\b(?:fired|terminated|sacked|canned|dismissed) (?:me|us)\b", r"\blet (?:me|us) go\b", r"\blaid (?:me|us) off\b",
        r"\b(?:fired|terminated|let go|laid off) (?:in|on|last|this|yesterday|today|back in|early|late|mid)\b",
        r"\bis my last day\b", r"\b(?:my )?(?:position|job|role) (?:was|is|got|has been|had been) (?:'|\")?(?:eliminated|cut|gone|terminated)",
        r"\b(?:pip|performance improvement plan)\b.{0,80}\b(?:formality|start looking|pushed out|set up to fail|let go|fired)",
        r"\bstart looking (?:for (?:a|another) (?:job|position))?\b", r"\b(?:i'?ll|i will|you'?ll|youll|ill) be (?:done|gone|finished|out) (?:here)?\b",
        r"\bbetter not (?:file|report|complain|go to|call)\b", r"\b(?:don'?t|dont|won'?t) last long here\b",
        r"\b(?:fired|terminated|let go)\b (?:an?|the|our|one of (?:our|my)) \w+(?: \w+)? (?:yesterday|today|this morning|last \w+|an hour after|right after|after (?:she|he|they))", r"\btold me not to come (?:in|back)\b",
        r"\b(?:lost|losing) (?:my|our) jobs?\b", r"\b(?:i'?m|im|i am|you'?re|ur|is|are) fired\b",
        r"\b(?:going to|gonna|will|plans? to|planning to|threaten\w* to|about to|wants? to|'ll) (?:\w+ )?(?:fire|terminate|let go of|lay off|get rid of) (?:me|us)\b",
        r"\b(?:make sure|see to it) (?:that )?i (?:get|am|'m) (?:fired|let go|terminated)", r"\bi'?ll (?:get|be) fired\b",
        r"\b(?:said|told me|says|tells me)\b.{0,40}\b(?:i'?ll|i will|i'?m going to|i'?m gonna|im gonna|i'?d) (?:be|get) (?:fired|let go|terminated|laid off)",
        r"\b(?:shouldn'?t|should not|don'?t|do not|needn'?t) (?:bother )?(?:coming|come) back\b", r"\bdon'?t come back\b",
        r"\btermination (?:letter|meeting|notice)\b", r"\b(?:my|our) last day (?:is|was|will be)\b", r"\btoday (?:is|was) my last day\b",
        r"\bpink slip\b", r"\blaying off (?:my|our|the whole|the entire|all of)\b", r"\b(?:got|received|we got|given) (?:the |a |our )?(?:layoff|termination|warn) notice",
        r"\b(?:anybody|anyone|whoever|everyone) who (?:signs?|joins?|talks?|complains?)\b.{0,40}\b(?:is|will be|gets?) fired\b",
        r"\b(?:i'?m|i am|im) out\b(?=\s*(?:[.!,;]|$))",
    ),
    "retaliation": _rx(
        r"\bretaliat\w+ (?:against )?(?:me|us)\b", r"\bin retaliation\b",
        r"\b(?:they|he|she|boss|manager|employer|company|supervisor)\s+(?:is|are|has been|have been|'s|'re)?\s*retaliat\w+",
        r"\b(?:since|after|because|ever since|right after|when|once) (?:i|we) (?:complained|reported|filed|spoke up|asked|requested|took|told|went to|called|joined|signed|testified|was a witness|pushed back|refused)"
        r"\b.{0,150}\b(?:cut|demot\w+|wr(?:ote|ite|iting|itten) (?:me )?up|write-?ups?|moved me|reduced|punish\w*|fired|off (?:the|next week'?s) schedule|docked|"
        r"worse|threaten\w*|transferred|disciplin\w*|worst|won'?t (?:even )?(?:talk|speak)|ignor\w+|isolat\w+|hostile|not a team player|hours|shifts?|schedul\w*|no breaks|that'?s what you get)",
        r"\b(?:i|we)\s+(?:\w+\s+){0,2}(?:complained|reported|filed|spoke up|testified|was a witness|told (?:him|her|them|my (?:boss|manager))|went to (?:hr|the dol|osha|the eeoc|the labor board))"
        r"\b.{0,150}\b(?:and now|now|since then|then|after that|the next (?:day|week)|right after|and then|a week later)\b.{0,120}\b"
        r"(?:cut|demot\w+|wr(?:ote|ite|iting|itten) (?:me )?up|writing me up|moved|reduced|punish\w*|fired|off (?:the|next week'?s) schedule|docked|worse|threaten\w*|"
        r"transferred|disciplin\w*|worst|won'?t (?:even )?(?:talk|speak)|ignor\w+|isolat\w+|hostile|not a team player|hours|shifts?|schedul\w+)",
        r"\b(?:found out|find out|learned|heard) (?:that )?(?:i|we) (?:signed|joined|complained|reported|filed|was pregnant|am pregnant|went to|talked to)\b.{0,120}\b"
        r"(?:now|since|then)\b.{0,80}\b(?:worst|cut|demot\w+|writ\w+ (?:me )?up|fired|hours|shifts?|routes?|schedul\w+|threaten\w*|last long)",
        r"\b(?:a |one )?week after i (?:told|asked|reported|complained|filed|requested)\b",
        r"\b(?:fired|demoted|written up|punished|disciplined|cut my hours|terminated)\b.{0,60}\b(?:for|because|after|bc)\b.{0,20}\b(?:complain\w*|report\w*|filing|filed|talking about (?:our |my )?pay|organiz\w+|asking|requesting|taking (?:my )?(?:fmla|leave))",
    ),
    "ongoing harassment or assault": _rx(
        r"\b(?:keeps?|kept|constantly|always|every (?:day|shift|single shift|time|morning|night)|again|happened again|won'?t stop|still|repeatedly|for (?:weeks|months)|(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth) time)\b"
        r".{0,80}\b(?:touch\w*|grab\w*|grop\w*|corner\w*|pressur\w*|mock\w*|slurs?|n[- ]word|names|pics|photos|nudes|sexual|go out with|date him|date her|hiding my|harass\w*|bully\w*|threaten\w*|rubbing|kiss\w*|staring at my|come over|my body|texting me)",
        r"\b(?:touch\w*|grab\w*|grop\w*|corner\w*|pressur\w*|mock\w*|slurs?|n[- ]word|harass\w*|bully\w*)\b.{0,80}\b(?:keeps?|every (?:day|shift|single shift|time)|again today|happened again|won'?t stop|for (?:weeks|months)|still)\b",
        r"\bharass(?:ing|ed) (?:me|us)\b", r"\b(?:i'?m|i am|im|we are|we'?re) (?:being |getting )?(?:harassed|bullied|groped|stalked)\b",
        r"\b(?:sexually )?(?:assaulted|groped|raped|molested) (?:me|her|him)\b", r"\btouched me\b", r"\btouching me\b", r"\bforced (?:himself|herself)\b",
        r"\bcalls? me (?:the n[- ]word|a slur|slurs|names)\b", r"\bquid pro quo\b", r"\b(?:my )?(?:reviews?|hours|job|shifts|raise|promotion|schedule) (?:depends?|depending) on\b", r"\btried to kiss me\b",
    ),
    "a severance release to sign": _rx(
        r"\b(?:asked|want|wants|told|need|have|asking|pressur\w+|expect\w*) (?:me |us )?to sign\b",
        r"\b(?:offered|gave|handed|giving|sent|emailed) (?:me |us )?(?:a |the |my )?(?:severance|separation|release)",
        r"\b(?:my|a|the|this) (?:severance|separation) (?:agreement|package|offer|deal|paperwork)\b", r"\bsign (?:a|the|this) (?:release|waiver)\b",
        r"\brelease of (?:all )?claims\b", r"\bsign\w*\b.{0,60}\b(?:never (?:file|sue|complain)|not (?:to )?(?:sue|file)|give up (?:my )?(?:right|claims))",
    ),
    "threats about immigration status": _rx(
        r"\b(?:call|calling|report|reporting|tell|turn)\w*\s+(?:me\s+|us\s+)?(?:in\s+)?(?:to\s+)?(?:ice|immigration|homeland security|la migra)\b",
        r"\b(?:threat\w*|said|says|told)\b.{0,80}\b(?:deport\w*|ice\b|immigration|(?:my|our|everyone'?s|their) (?:papers|visa|green card|status))",
        r"\b(?:check|checking)\w* (?:everyone'?s|our|my|their) papers\b.{0,40}\b(?:report|call|ice|fire)", r"\bget (?:me|us) deported\b", r"\bdeport (?:me|us)\b",
    ),
    "a filing deadline that is near or past": _rx(
        r"\bdeadline (?:is|was) (?:tomorrow|today|next week|this week|in \d+ days)\b", r"\bmissed the deadline\b",
        r"\btoo late to (?:file|sue|complain)\b", r"\b(?:is it|am i) too late\b",
    ),
}

_REFER: dict[str, re.Pattern[str]] = {
    "you ask for advice about your own case": _rx(
        r"\bdo (?:i|we) have a (?:case|claim|lawsuit)\b", r"\bshould (?:i|we) (?:sue|file|get a lawyer|take (?:them|him|her) to court|hire a lawyer|report|quit)\b",
        r"\bwill (?:i|we) win\b", r"\b(?:can|could) (?:i|we) sue\b", r"\bhow much (?:can|could|would|will) (?:i|we) (?:get|win|recover)\b",
        r"\bis it worth (?:suing|filing|getting a lawyer|hiring a lawyer)\b", r"\b(?:strong|good|winnable|valid) (?:\w+ )?(?:claim|case)\b", r"\bwhat are my (?:chances|options)\b", r"\bdo i need a lawyer\b", r"\bis my case\b",
    ),
    "a possible violation": _rx(
        r"\b(?:not|never|didn'?t|don'?t|doesn'?t|haven'?t|hasn'?t|won'?t|wont|dont|isn'?t|aren'?t) (?:get(?:ting)? |been |being |ever )?(?:paid|pay(?:ing)? (?:me|us))",
        r"\b(?:refuses? to|never) pay (?:me|us)\b", r"\b(?:my|our|owe[sd]? (?:me|us)) unpaid\b", r"\bunpaid (?:commissions|wages|overtime|hours)\b(?! under)", r"\b(?:no|without) overtime\b",
        r"\bpaid (?:less than|below|under) (?:the )?minimum\b", r"\bless than (?:\$)?7\.25\b", r"\boff the clock\b",
        r"\b(?:denied|refused|rejected|won'?t approve|wont approve|turned down|said no to) (?:my |our |the )?(?:fmla|leave|accommodation|request|breaks?|pumping|time off)",
        r"\b(?:won'?t|wouldn'?t|refuses? to|wont|refused to|doesn'?t|don'?t) (?:let (?:me|us)|give me|pay me|accommodate|approve|allow (?:me|us))\b",
        r"\bdiscriminat\w+ (?:against )?(?:me|us)\b",
        r"\bbecause (?:i'?m|i am|im|i was) (?:black|pregnant|a woman|muslim|jewish|gay|trans\w*|disabled|old|older|over \d\d|\d\d|hispanic|latin[oa]|asian|christian|female|a mom|a mother|deaf|blind)",
        r"\b(?:because|bc|cuz) of my (?:race|age|religion|disability|pregnancy|accent|skin|gender|sex|hijab|national origin)\b",
        r"\b(?:keep|kept|keeps|took|takes|taking|steal\w*|pocket\w*) (?:a cut of )?(?:my|our) tips\b", r"\btip pool\b.{0,40}\b(?:manager|owner|boss)",
        r"\b(?:unsafe|dangerous|broken|no|missing|faulty) (?:conditions|equipment|machine\w*|ladders?|scaffold\w*|ventilation|protective|safety|guards?|harness|brakes)",
        r"\btold (?:me|us) (?:not to|we can'?t|i can'?t|we cannot|i cannot) (?:talk|discuss|share)", r"\b(?:can'?t|not allowed to) (?:talk|discuss) (?:about )?(?:our |my )?(?:pay|wages|salar)",
        r"\b(?:make|made|making|makes) (?:me|us) work (?:off the clock|for free|through (?:lunch|breaks?))",
        r"\bpaid (?:less|lower|way less) than (?:him|her|them|the men|the guys|men|my male|my female|women|the other)",
        r"\b(?:racist|sexist|homophobic|ageist|transphobic) (?:comments?|jokes?|remarks?|slurs?)\b", r"\bcalled me (?:a|an)\b",
        r"\b(?:asked|asking) (?:me )?(?:if|whether) i(?:'?m| am| was)? (?:pregnant|planning|married|disabled)",
        r"\b(?:never|don'?t|doesn'?t|won'?t|refuse to|not|no) pay(?:ing)? (?:us |me )?(?:any |for )?(?:overtime|ot|time and a half)\b", r"\bno ot\b",
        r"\bjust straight time\b", r"\bno (?:water|shade|bathroom breaks|rest breaks|meal breaks)\b",
        r"\b(?:don'?t|never|doesn'?t) (?:get|give (?:us|me)) (?:any )?(?:meal |lunch |rest |any )?breaks\b",
        r"\b(?:cracked|broken|frayed|exposed|leaking|missing)\s+(?:\w+\s+)?(?:rail|wiring|wires|guard|ladder|brakes|harness|railing|scaffold\w*)",
        r"\b(?:women|girls|men|blacks|mexicans|muslims|old people|immigrants) (?:don'?t|do not|can'?t) (?:belong|work|handle)\b",
        r"\b(?:asked|asking) (?:me )?(?:if|whether|when) i (?:plan|want|am planning|'?m planning) (?:to have|on having) (?:kids|children|a baby)", r"\bhow old i am\b",
        r"\bmakes? (?:\$?[\d,.]+k? )?more than me\b", r"\btoo old to\b", r"\bkeep getting (?:skipped|passed over)\b",
        r"\b(?:call|calls|classify|classifies|treat|treats|label)\w* (?:us|me|all (?:of )?us|all us \w+(?: \w+)?) (?:as )?(?:independent )?contractors\b",
        r"\b(?:made|make|makes) me (?:show|bring) (?:my )?(?:green card|social security card|papers|documents|passport)",
        r"\bcitizens only\b", r"\b(?:refused|won'?t|wouldn'?t|didn'?t) (?:to )?hire (?:me|anyone|anybody|women|people)\b.{0,60}\b(?:after|because|with|who|over|bc)\b",
        r"\b(?:discuss|talk about|share|disclose)\w* (?:their |our |your )?(?:salary|salaries|pay|wages)\b.{0,40}\b(?:terminated|fired|disciplined|written up)",
        r"\basking (?:us |me )?how (?:we|i)(?:'?ll| will| would) vote\b", r"\bfamily (?:medical )?history\b",
        r"\bignor\w+ (?:the|my) (?:request|accommodation)", r"\bdenied (?:a |my )?(?:reasonable )?accommodation\b",
        r"\bdeducts?\b.{0,25}\bfrom (?:my|our) (?:check|pay|paycheck)", r"\bpa(?:y|id)\w* (?:the )?(?:\w+ ){0,2}less than (?:the )?(?:\w+ )?(?:ones|men|women|guys|him|her|them|white|black|male|female|others|coworkers|me|us)\b",
        r"\bdenied my (?:transfer|promotion|raise|request|leave)\b", r"\bbecause (?:i'?m|i am|im) on (?:dialysis|chemo|medication|leave)\b",
        r"\b(?:takes?|took|taking|keeps?|kept)\b.{0,40}\b(?:tip pool|tips)\b.{0,25}\b(?:for (?:him|her)self|himself|herself|the owner|the manager|management)",
        r"\b(?:stopped|won'?t|wont|refuse to|don'?t|doesn'?t|never) (?:buy|buying|provide|providing|give|giving|supply|replace) (?:us )?(?:any )?(?:safety|protective|ppe|gloves|glasses|goggles|masks|respirators|harness\w*|hearing protection|ear ?plugs)",
        r"\bbring (?:your|our) own (?:ppe|safety|gloves|glasses|goggles|masks|gear)\b",
        r"\b(?:won'?t|wont|don'?t|doesn'?t|refuse to|wouldn'?t) (?:take|accept) my (?:drivers? license|social security card|green card|documents|work permit|id)\b",
        r"\b(?:asked|asks|asking) (?:me )?(?:if|whether|about) (?:my|any of my) (?:mom|mother|dad|father|sister|brother|family|parents?|relatives)\b",
        r"\b(?:asked|requested|begged) (?:for )?(?:a |an |to )\w+(?: \w+)?\b.{0,60}\b(?:said no|denied|refused|no exceptions|turned (?:it|me) down)",
        r"\bsign\w*\b.{0,60}\b(?:won'?t|wont|not|never) (?:join|participate|talk|discuss|organize)\b",
        r"\bstraight time\b.{0,40}\b(?:over 40|overtime|extra hours|everything)", r"\bstraight time for (?:everything|all)\b",
        r"\b(?:asked|asking) (?:me )?(?:if|whether|when) i (?:plann?(?:ed|ing)?|want(?:ed)?) (?:to have|on having|on starting) (?:kids|children|a family|a baby)",
        r"\b(?:every|all|only)\b.{0,30}\b(?:promoted|hired|picked)\b.{0,40}\b(?:is|are|was|were) (?:a )?(?:man|men|male|white|young|under \d\d|guys)\b",
        r"\b(?:hr|they|manager|boss|company|employer) (?:denied|refused|rejected) (?:it|my|the|our)\b",
        r"\bmisclassif\w+\b", r"\b1099 but\b", r"\bclassified (?:me |us )?as (?:a )?contractors?\b",
        r"\b(?:took|deducted|taking|takes|deduct) (?:money )?(?:out of|from) (?:my|our) (?:pay|check|paycheck)",
        r"\b(?:working|work|worked) (?:till|until|past) (?:midnight|11|10)\b.{0,40}\b(?:school|15|14)\b", r"\bi'?m (?:14|15) and\b",
        r"\b(?:passed over|denied|didn'?t get)\b.{0,40}\b(?:promotion|raise|job)\b.{0,60}\b(?:because|since|bc)\b",
        r"\b(?:no|won'?t give (?:me|us)|don'?t get) (?:a )?(?:place|room|break) to pump\b", r"\bmake (?:me|us) pump in (?:the )?(?:bathroom|restroom|car)",
        r"\b(?:fmla|leave)\b.{0,60}\b(?:denied|points|written up|wrote me up|counted against)",
    ),
}

def _extend(rules: dict[str, re.Pattern[str]], reason: str, *patterns: str) -> None:
    rules[reason] = re.compile(rules[reason].pattern + "|" + "|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Spanish: many workers write in Spanish; the embedding model does not read it, so these rules must.
_extend(_CRISIS, "thoughts of suicide or self-harm",
        r"\bno quiero (?:seguir )?(?:vivir|viviendo)\b", r"\bme quiero morir\b", r"\bquiero morirme\b", r"\bno (?:aguanto|puedo) m[aá]s\b",
        r"\bpara qu[eé] sigo\b", r"\b(?:tomarme|tom[eé]) (?:todas )?(?:las|mis) pastillas\b", r"\bhacerme da[nñ]o\b", r"\bdesaparecer para siempre\b",
        r"\b(?:took|taken|take) (?:way )?too many (?:of )?(?:the |my )?(?:pills|pain pills|meds)",
        r"\bme cort[eé]\b", r"\bcortarme\b", r"\bme lastim[eé]\b", r"\blastimarme\b")
_extend(_CRISIS, "immediate danger",
        r"\bhuele (?:muy )?(?:fuerte )?a gas\b", r"\bfuga de gas\b", r"\bme (?:peg[oó]|golpe[oó]|atac[oó])\b", r"\bno puedo respirar\b",
        r"\bincendio\b", r"\bme (?:encerr[oó]|encerraron)\b", r"\bchest (?:is )?(?:tight|pain|hurts)\b", r"\bseeing spots\b",
        r"\b(?:caving|collaps\w+) in\b", r"\bnot (?:really )?(?:answering|responding|breathing)\b", r"\blips? (?:feel|are|is) numb\b",
        r"\broom is spinning\b", r"\bheat ?stroke\b", r"\bpassing out\b")
_extend(_URGENT, "you were fired or are about to be",
        r"\bme (?:despidieron|corrieron|botaron|echaron)\b", r"\bme van a (?:despedir|correr)\b",
        r"\b(?:firing|fire|terminating|terminate) me (?:tomorrow|today|friday|monday|next week)\b", r"\b(?:they'?re|they are) (?:firing|letting) me\b",
        r"\bseparated effective\b", r"\bassignment ends\b")
_extend(_URGENT, "threats about immigration status", r"\bllamar a (?:la )?(?:inmigraci[oó]n|migra|ice)\b")
_extend(_URGENT, "ongoing harassment or assault", r"\bme sigue (?:tocando|acosando|molestando)\b", r"\bacoso\b")
_extend(_REFER, "a possible violation", r"\bno me (?:paga|pagan|pag[oó])\b", r"\bhoras extras?\b.{0,30}\b(?:no|nunca)\b", r"\bme deben\b")

_extend(_CRISIS, "immediate danger",
        r"\bchest\b.{0,20}\b(?:tight|pain|hurts|pressure|crushing|heavy)\b", r"\b(?:arm|face|lips?|legs?|hands?)\b.{0,15}\bnumb\b",
        r"\bcan'?t feel my\b", r"\bcav(?:ing|e-?in|ed in)\b", r"\b(?:crushed|pinned) (?:under|by|between)\b", r"\belectrocut\w*",
        r"\b(?:fainted|blacked out|seizing|convulsing|not waking up)\b", r"\b(?:heart attack|stroke) (?:right )?now\b",
        r"\b(?:i think i'?m|he'?s|she'?s) having a (?:heart attack|stroke|seizure)\b", r"\bbleeding (?:a lot|badly|heavily|everywhere|out|bad)\b",
        r"\bwon'?t stop bleeding\b", r"\b(?:fumes|chemical|ammonia|bleach|chlorine)\b.{0,60}\b(?:dizzy|can'?t breathe|throwing up|vomit\w*|burning|passed out|choking)")
_extend(_URGENT, "you were fired or are about to be", r"\b(?:document|create|make up|invent|write)\w* (?:up )?fake\b", r"\bif i leave (?:the line|now|early|my post)\b.{0,20}\b(?:i'?m|im) (?:done|fired|out)\b")
_extend(_URGENT, "threats about immigration status", r"\breportar(?:nos|me)? a (?:la )?(?:inmigraci[oó]n|migraci[oó]n|migra|ice)\b", r"\bva a reportar\b.{0,30}\bmigra")
_extend(_URGENT, "ongoing harassment or assault",
        r"\b(?:keeps?|kept|constantly|always|every (?:day|shift)|again)\b.{0,60}\bcall(?:ing|s|ed)? me (?:a |an )?\w+",
        r"\bcall(?:ing|s)? me (?:a |an )?(?:terrorist|slur|monkey|illegal|wetback|faggot|dyke|retard)\b")
_extend(_URGENT, "retaliation",
        r"\b(?:after|since|ever since|right after|once|when) (?:i|we) (?:posted|shared|talked|asked|organized|joined|spoke|signed|refused|testified|took|told|reported|filed|complained)\b.{0,120}\b(?:they|he|she|my (?:boss|manager|supervisor))\b.{0,20}\b(?:cut|demoted|wrote|moved|fired|took me off|reduced|dropped|switched|threatened|disciplined)")
_extend(_REFER, "a possible violation",
        r"\bpump\w*\b.{0,40}\b(?:bathroom|restroom|stall|toilet|car)\b", r"\b1[3-5][ -]?(?:yr|year)s?[ -]?old\b.{0,60}\b(?:midnight|11|10 ?pm|late|school nights?)",
        r"\bwhat year i graduated\b", r"\bgraduation year\b", r"\btakes? a cut of (?:the |our |my )?tips?\b",
        r"\b(?:eyewash|fire extinguisher|sprinklers?|alarm|guards?|harness|ventilation|respirator|first aid)\b.{0,40}\b(?:hasn'?t|doesn'?t|don'?t|isn'?t|aren'?t|broken|not)\s*(?:\w+\s+)?(?:work|working|fixed|been fixed)",
        r"\b(?:hr|they|manager|boss|company) said no\b", r"\bevery (?:promotion|raise|job|lead role)\b.{0,40}\bgoes to\b",
        r"\bsin (?:pagar|importar las horas)\b", r"\bno (?:nos )?pagan (?:las )?horas extras\b", r"\bpagan por d[ií]a\b")

_extend(_CRISIS, "thoughts of suicide or self-harm",
        r"\b(?:after|when|once) i'?m gone\b", r"\bfor after i (?:die|go)\b", r"\b(?:writing|wrote|write) (?:goodbye )?letters? (?:to|for) my\b",
        r"\bcan'?t see a way (?:out|forward)\b", r"\bno way out\b")
_extend(_CRISIS, "immediate danger",
        r"\bfuga de \w+", r"\bno nos dejan salir\b", r"\bme arden los ojos\b", r"\bstopped sweating\b", r"\b(?:confused|talking nonsense|slurring)\b.{0,40}\b(?:heat|hot|sun|field|\d{3} ?(?:out|degrees))",
        r"\b(?:heat|hot|sun|\d{3} ?(?:out|degrees))\b.{0,80}\b(?:confused|talking nonsense|slurring|stopped sweating|passed out|collapsed)")

# Emergencies happening now, threats against a named group, and danger at height (also in Spanish).
_extend(_CRISIS, "immediate danger",
        r"\b(?:legs?|arms?|hands?|foot|feet|head|fingers?)(?:'s| is| are| was| were| got)? (?:stuck |caught |pinned |trapped |crushed )?"
        r"(?:under|in) (?:it|the (?:machine|press|forklift|pallet|load|truck|roller|belt|conveyor|equipment|lift|rack))\b",
        r"\b(?:instead of|not|isn'?t|aren'?t|won'?t|wont|nobody(?:'s| is)?|no one(?:'s| is)?) (?:even )?call(?:ing)? (?:911|9-1-1|an ambulance|anyone|anybody|for help)\b",
        r"\b(?:took|taken|takes|take|no|without|removed) (?:away )?(?:our |the |my |their )?harness(?:es)?\b.{0,80}\b(?:roof|stor(?:y|ies)|floors? up|feet up|wind\w*|height)",
        r"\b(?:roof|stor(?:y|ies) up|floors? up|feet up|scaffold\w*)\b.{0,80}\b(?:took|taken|no|without|removed) (?:away )?(?:our |the |my |their )?harness(?:es)?\b",
        r"\b(?:quit[oó]|quitaron|sin) (?:los |el |nuestros? |mis? )?arn[eé]s(?:es)?\b", r"\b(?:me|nos) (?:voy|vamos|puedo|podemos) (?:a )?(?:caer|morir)\b",
        r"\ben peligro\b", r"\bpeligro de muerte\b",
        # The English rules' "trapped", "locked in", "hiding", "not responding", "passed out", "nobody is
        # calling 911", in Spanish
        r"\b(?:estoy|estamos|est[aá]|est[aá]n|qued[eé]|quedamos|qued[oó]|quedaron) (?:atrapad|encerrad|escondid)[oa]s?\b", r"\bno (?:me|nos) deja(?:n)? salir\b",
        r"\bno (?:responde|reacciona|respira|despierta)\b", r"\b(?:se desmay[oó]|desmayad[oa]|inconsciente|convulsionando)\b", r"\bgolpe de calor\b",
        r"\b(?:nadie|no) (?:\w+ )?(?:llame|llamen|llames|llama|llamar|quiere llamar)\b.{0,15}\b(?:911|ambulancia)\b")
_extend(_CRISIS, "threat of violence",
        r"\b(?:sac[oó]|sacaron|trajo|traen?|ense[nñ][oó]|apunt[oó]|me apunta)\b.{0,40}\b(?:pistola|arma|cuchillo|navaja|rifle|machete)\b",
        r"\b(?:me|nos|te) (?:va|van) a (?:matar|disparar|balacear|apu[nñ]alar)\b")
_extend(_CRISIS, "threat of violence",
        r"\bsettle (?:things|the score|(?:old )?scores)['\"’]? with\b", r"\b(?:hit|kill) list\b", r"\blisted (?:\w+ )?names\b",
        r"\bcome back (?:here )?(?:and|to) ['\"‘]?(?:settle|get|deal with|make|shoot|hurt|take care of)\b")
_extend(_URGENT, "you were fired or are about to be",
        r"\bor (?:else )?(?:be|get|you'?ll be|you will be|i'?ll be|she'?ll be|he'?ll be|they'?ll be) (?:fired|let go|terminated)\b",
        r"\b(?:you|u) can (?:always )?(?:go )?(?:find|look for|get) (?:another|a new|a different|other) (?:job|work)\b",
        r"\bme (?:despide|despiden|corre|corren)\b", r"\bme va a (?:despedir|correr)\b")
_extend(_URGENT, "a severance release to sign",
        r"\b(?:accept|sign|return)\w* (?:the |my |this |their )?(?:package|agreement|offer|paperwork|release)\b.{0,30}\bby (?:the )?(?:\d|monday|tuesday|wednesday|thursday|friday|tomorrow|end of)")

# Said quietly: cutting "again", "checking out for good", goodbyes already said, a hand on the throat, a threat
# about someone's children, a body bag; in Spanish, not waking up and a coworker who does not move.
_extend(_CRISIS, "thoughts of suicide or self-harm",
        r"\b(?:i|i'?ve|ive|i have) (?:been |started )?cut(?:ting)? (?:again|last night|myself)\b", r"\bcheck(?:ing)? out for good\b",
        r"\b(?:said|says|saying|made) (?:my|her|his|their) goodbyes\b", r"\b(?:mejor|quiero|prefiero) (?:ya )?no despertar\b")
_extend(_CRISIS, "threat of violence",
        r"\b(?:grabbed|choked|squeezed) (?:me by )?(?:my|the) (?:throat|neck)\b", r"\bleave (?:here )?in a (?:body )?bag\b",
        r"\bknows? (?:what|which) school my (?:kids|children|son|daughter)\b",
        r"\b(?:drives|driving|drove|keeps? (?:driving|coming|showing up)|kept (?:driving|coming|showing up)) (?:by|past|to|at|around) my (?:house|home|place|apartment)\b")
_extend(_CRISIS, "immediate danger", r"\bno se mueve\b",
        r"\bse (?:le|me|nos) (?:atoró|atoro|atascó|atasco|atrapó|atrapo|prensó|prenso) (?:el|la|los|las) (?:brazo|mano|pierna|pie|dedo)s?\b")
# (holdout11's first run missed these two crises and a threat to send a worker to immigration.)
_extend(_CRISIS, "thoughts of suicide or self-harm",
        r"\b(?:razor|razor blade|blade|box ?cutter)s?\b.{0,60}\b(?:bad (?:days|nights)|used it (?:on myself|again|twice)|on myself)\b")
_extend(_URGENT, "threats about immigration status",
        r"\b(?:mand|report|llam|avis|entreg)\w*\b.{0,40}\ba (?:la )?(?:inmigraci[oó]n|migraci[oó]n|migra|ice)\b")

# An ultimatum is a firing announced in advance ("…or be fired" is matched above); "whoever complains is out" is
# the English rule's twin in Spanish.
_extend(_URGENT, "you were fired or are about to be",
        r"\b(?:come back|return|report back)\b.{0,60}\bor (?:resign|quit)\b", r"\bor (?:you'?re|i'?m|he'?s|she'?s) (?:out|done|gone)\b(?! (?:of|for|on|with|there|to)\b)",
        r"\b(?:el|la|los|las) que (?:se queje|hable|llame|diga|reclame|firme|vaya)\b.{0,80}\b(?:se queda sin (?:trabajo|chamba)|(?:lo|la|los|las) (?:corre|corren|despide|despiden|echa|echan|manda|mandan)\b|se va\b|pa(?:ra)? fuera\b)")

# Hyperbole: "my boss is going to kill me if I'm late lol", "bleeding money". A crisis pattern inside one of
# these is not a crisis; anything else with the same words still is.
_IDIOM = re.compile(
    r"(?i)\b(?:bleeding (?:money|cash|customers)|dying (?:to|for)|dead tired|kill(?:ed|ing)? it|kill for|murder (?:a|some)|fire sale|"
    r"fired up|shoot (?:me )?(?:an? )?(?:email|text|message|dm)|bomb(?:ed)? (?:the|my|that)|blew up (?:my phone|at me)|me muero de (?:hambre|risa|sue[nñ]o|ganas|calor)|"
    r"(?:kill|murder|strangle) me if|(?:gonna|going to) die if|killing me\b|would kill me|(?:is|'s) (?:gonna|going to) kill me\b|(?:me|nos) va(?:n)? a matar si)"
)
_LAUGH = re.compile(r"(?i)\b(?:lol|lmao|lmfao|haha\w*|jaja\w*|jk|rofl)\b|😂|🤣|😅")


_REPORTED_THREAT = re.compile(r"(?i)\b(?:said|says|told|threatened|texted|swore|warned|wrote|dijo|dice|amenaz\w+)\b")


def _hyperbole(sentence: str) -> bool:
    if _REPORTED_THREAT.search(sentence) or re.search(r"(?i)\b(?:really|seriously|not joking|i mean it)\b", sentence):
        return False
    return bool(_IDIOM.search(sentence))


_THIRD_PARTY_EXTRA = r"lady|woman|man|girl|guy|person|someone i know|a friend|my friend|coworker of mine"

_HYPOTHETICAL = re.compile(
    r"(?i)\b(?:if|can|cant|can'?t|cannot|could|would|what if|suppose|supposing|hypothetically|is it (?:legal|illegal|ok|okay)|"
    r"are (?:they|employers|companies) allowed|what happens when|what'?s the|what is the|how (?:long|much|many))\b[^.?!]*$"
)
_THIRD_PARTY = re.compile(
    r"(?i)\b(?:my |a |our )?(?:coworker|co-worker|friend|brother|sister|dad|mom|cousin|neighbou?r|husband|wife|roommate|someone|somebody|"
    r"a guy|people|employees|a worker|lady|a woman|a man|a girl|a person|someone i know)\s+(?:\w+\s+)?$"
)
_REPORTED = re.compile(r"(?i)\b(?:told|tells|said|says|say|saying|threatened|warned|wrote|texted|emailed)\b(?: \S+){0,8} (?:that )?(?:if|unless)\b")


def _event_hits(text: str, rules: dict[str, re.Pattern[str]], guard: bool) -> list[str]:
    reasons = []
    for reason, pattern in rules.items():
        for m in pattern.finditer(text):
            sentence_start = max(text.rfind(".", 0, m.start()), text.rfind("?", 0, m.start()), text.rfind("!", 0, m.start())) + 1
            before = text[sentence_start : m.start()]
            if guard and _THIRD_PARTY.search(before) and not re.search(r"(?i)\b(?:me|my|i|we|us|our)\b", text[m.start() : m.end()]):
                continue
            if guard and _HYPOTHETICAL.search(before) and not _REPORTED.search(before):
                continue
            sentence_end = min([i for i in (text.find(".", m.end()), text.find("?", m.end()), text.find("!", m.end())) if i != -1] or [len(text)])
            if rules is _CRISIS and _hyperbole(text[sentence_start:sentence_end]) and _IDIOM.search(text[max(0, m.start() - 20) : m.end() + 20]):
                continue
            reasons.append(reason)
            break
    return reasons


@dataclass
class Triage:
    level: str = "none"
    reasons: list[str] = field(default_factory=list)

    def raise_to(self, level: str, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        if LEVEL_ORDER[level] > LEVEL_ORDER[self.level]:
            self.level = level


_HOURLY = re.compile(r"(?i)\$\s?(\d{1,2}(?:\.\d{1,2})?)\s*(?:an|per|/|a)\s*(?:hour|hr)\b")
_WEEKLY_SALARY = re.compile(r"(?i)\bsalar\w*\b.{0,30}\$\s?(\d{3})(?:\.\d\d)?\s*(?:a|per|/)\s*week\b")


def _below_minimums(text: str) -> bool:
    """Hourly pay under the federal $7.25, or an 'exempt' salary under the $684/week level."""
    if any(float(m.group(1)) < 7.25 for m in _HOURLY.finditer(text)) and not re.search(r"(?i)\btip", text):
        return True
    return any(int(m.group(1)) < 684 for m in _WEEKLY_SALARY.finditer(text))


def crisis_words(result: Triage) -> bool:
    """Whether a keyword rule (not the semantic layer) found the crisis, in this turn or an earlier one."""
    return any(reason.startswith(name) for reason in result.reasons for name in _CRISIS)


def triage(text: str, history: Sequence[str] = ()) -> Triage:
    """Classify the latest message; crisis in any earlier user turn keeps the conversation at crisis."""
    result = Triage()
    for earlier in history:
        for reason in _event_hits(earlier, _CRISIS, guard=False):
            result.raise_to("crisis", f"{reason} (said earlier in this conversation)")
    for reason in _event_hits(text, _CRISIS, guard=False):
        result.raise_to("crisis", reason)
    for reason in _event_hits(text, _URGENT, guard=True):
        result.raise_to("urgent", reason)
    for reason in _event_hits(text, _REFER, guard=True):
        result.raise_to("refer", reason)
    if _below_minimums(text):
        result.raise_to("refer", "a possible violation")
    return result
