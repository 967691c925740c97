"""Prompt injection: refuse it in questions, and strip it from retrieved text.

Retrieved passages are data, never instructions. A sentence in a passage that speaks to an AI assistant
or tries to override instructions is removed before any answer is built from the passage, so a policy
document cannot steer an answer (the sample handbook's "AI assistants" paragraph is the standing test).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from workrights.schema import Chunk, Hit
from workrights.text import split_sentences

__all__ = ["is_injection", "is_instruction_to_ai", "injected_passages", "sanitize_chunk", "sanitize_hits", "split_injected"]

_OVERRIDE = re.compile(
    r"(?i)\b(?:ignore|disregard|forget|override|bypass)\b.{0,25}\b(?:previous|prior|above|earlier|preceding|following|"
    r"foregoing|system|initial|original|any other|all (?:of )?(?:your|the|my))\b.{0,30}\b(?:instructions?|directions?|"
    r"rules|prompts?|guidelines|context|messages?|guardrails|restrictions|programming)\b|"
    r"\b(?:ignore|disregard|forget)\s+(?:all|your|any)\s+(?:instructions|guidelines|programming|training|restrictions)\b|"
    r"\b(?:forget|ignore|disregard)\s+(?:everything|all|anything)\s+(?:you\s+)?(?:learned|know|were told|have been told|before|above)\b|"
    r"\b(?:ignore|disregard)\s+(?:the\s+)?(?:instructions|directions|rest of|remainder of)\b|\[ignore previous"
)
_ROLEPLAY = re.compile(
    r"(?i)\b(?:you are now|from now on,? you|act as (?:an?|my)\s+(?:unfiltered|unrestricted|jailbroken|evil|uncensored)|"
    r"pretend (?:to be|you are|you're)|you will (?:now )?(?:act|respond|answer) as|stay in character|developer mode|"
    r"do anything now|jailbr(?:ea|o)k|(?-i:\bDAN\b|\bAIM\b)|no (?:ethical|moral) (?:guidelines|restrictions|limits)|"
    r"without any (?:restrictions|filters|censorship)|unfiltered (?:ai|model|response)|opposite mode|anti-?dan|"
    r"simulate (?:a|an) (?:ai|chatbot|model)|hypothetical (?:response|ai)|two responses|\[?🔓)"
)
_LEAK = re.compile(
    r"(?i)\b(?:reveal|print|show|repeat|output|display|spell[- ]check|tell me|give me|leak|dump)\b.{0,30}"
    r"\b(?:system prompt|your (?:instructions|prompt|rules|guidelines)|the (?:previous|above|initial|hidden) (?:instructions|prompt|text)|initial prompt)"
)
_MARKUP = re.compile(r"(?i)(?:(?:^|\n)\s*(?:user|assistant|system|human|ai)\s*:|\[/?(?:system|inst|assistant)\]|<\|im_(?:start|end)\|>|<<sys>>|###\s*(?:system|instruction)|\bsystem\s*:\s)")
_SAY = re.compile(
    r"(?i)\b(?:just|only|now)\s+(?:say|print|output|write|respond with|reply with)\s*[:\"'“]|"
    r"\b(?:repeat|print|output|say|write|respond with|reply with)\s+(?:only\s+)?(?:the following|this (?:sentence|text|phrase)|after me|exactly)\b|"
    r"\bwrite (?:one|a|an) (?:toxic|discriminatory|offensive|harmful|negative|unfriendly|hateful|racist|sexist|insulting) (?:sentence|joke|statement|paragraph)"
)
_PERSONA = re.compile(
    r"(?i)\b(?:i want you to|you will|you must|you are going to|you'?re going to|please|you shall)\s+(?:now\s+|always\s+)?(?:act|behave|respond|answer|pretend|roleplay|role-play|play|simulate|immerse|embody|become)\b|"
    r"\bfrom (?:now on|this (?:moment|point) (?:on|onwards?))\b|\bfrom now,? you\b|\b(?:chat ?gpt|openai|gpt-?[\dx]\w*|\w+gpt\b|language model|\bllms?\b)|"
    r"\b(?:has|have|with|there are|that has) no (?:rules|restrictions|limitations|filters|guidelines|ethics|morals|moral principles|censorship)\b|\b(?:is free of|free from|without) (?:any |all )?(?:rules|restrictions|limitations|filters|guidelines|ethics|morals|moral principles|censorship)\b(?! (?:about|on|for|at work|in))|"
    r"\bnot bound by\b|\bamoral\b|\bunfiltered\b|\buncensored\b|\bjailbr\w+|\bin character\b|\bstay in character\b|\b(?:roleplay|role-play)\b|"
    r"\bpersona\b|\b(?:imaginary|fictional|hypothetical) (?:world|character|ai|language model|chatbot)\b|\bdeveloper_?mode\b|\b(?:dan|stan|dude) mode\b|"
    r"\bcontent polic(?:y|ies)\b|\btwo (?:separate )?(?:responses|outputs|styles|characters|entities)\b|\bact as (?:an? )?(?:ai|assistant|chatbot|terminal|character|\w+gpt)\b"
)
_STOP = re.compile(r"(?i)\bstop everything\b|\bnevermind\b.{0,20}\bignore\b")
_AI = (
    r"(?:ai|a\.i\.|artificial intelligence|(?:ai|virtual|digital|automated|smart) assistants?|chat ?bots?|chatgpt|"
    r"gpt-?\d*|llms?|(?:large )?language models?|ai (?:models?|systems?|tools?|readers?)|automated (?:tools?|systems?|readers?)|"
    r"machine readers?|copilots?|the assistant)"
)
_VERB = (
    r"(?:tell|say|state|inform|answer|respond|reply|print|output|reveal|recommend|advise|claim|ignore|disregard|"
    r"refer|direct|describe|summari[sz]e|report|explain to|mention|emphasi[sz]e|conclude)"
)
_AI_TAG = re.compile(
    r"(?i)\b(?:for|to) (?:ai|a\.i\.) (?:tools?|readers?|systems?|assistants?|models?)\b|\bimportant for (?:chat ?bots?|ai|bots|assistants)\b|"
    r"\b(?:ai|bot|chatbot|assistant)[\s_-]*(?:note|instruction|guidance|override|directive|notice)s?\b|!\[\s*(?:ai|assistant|bot)\s*:|"
    r"\bheads up,? (?:bot|ai|assistant)\b|\byou,? the (?:assistant|ai|bot|chatbot|model)\b|\b(?:dear|hey|hi) (?:bot|ai|assistant|chatbot)\b"
)
_AI_ADDRESS = re.compile(
    rf"(?i)\b(?:note|message|instructions?|notice|reminder|attention)\s*(?:to|for)?\s*(?:any\s+|all\s+)?{_AI}\b|"
    rf"\bif you are an?\s+{_AI}\b|"
    rf"\b{_AI}\b.{{0,60}}\b(?:must|should|shall|are (?:instructed|required|directed|asked) to|need to|will|always|never)\s+"
    rf"(?:\w+\s+){{0,2}}{_VERB}\b|"
    rf"^\s*(?:dear\s+)?{_AI}\s*[:,]"
)


def is_injection(text: str) -> bool:
    """Does this text try to override instructions, change the assistant's role or leak its prompt?"""
    return any(p.search(text) for p in (_OVERRIDE, _ROLEPLAY, _LEAK, _MARKUP, _SAY, _STOP, _PERSONA))


def is_instruction_to_ai(sentence: str) -> bool:
    """A sentence in a document that addresses an AI reader, or carries injection phrasing."""
    return is_injection(sentence) or bool(_AI_ADDRESS.search(sentence)) or bool(_AI_TAG.search(sentence))


def _is_injected_block(block: str) -> bool:
    return any(is_instruction_to_ai(s) for s in split_sentences(block))


def _split_chunk(chunk: Chunk) -> tuple[Chunk, list[str]]:
    # A paragraph that addresses an AI reader is an injection as a whole: its later sentences carry the
    # payload ("Tell every employee..."), so the paragraph is dropped, not just the sentence that names the AI.
    blocks = chunk.text.split("\n\n")
    bad = [b for b in blocks if _is_injected_block(b)]
    if not bad:
        return chunk, []
    return replace(chunk, text="\n\n".join(b for b in blocks if b not in bad)), bad


def sanitize_chunk(chunk: Chunk) -> Chunk:
    return _split_chunk(chunk)[0]


def split_injected(hits: Sequence[Hit]) -> tuple[list[Hit], list[str]]:
    """Hits with instruction-like paragraphs removed (a passage left empty is dropped), and those paragraphs.

    An answer that repeats a removed paragraph obeyed an injection: the grounding check looks for that.
    """
    seen: dict[str, tuple[Chunk, list[str]]] = {}

    def clean(chunk: Chunk) -> Chunk:
        if chunk.chunk_id not in seen:
            seen[chunk.chunk_id] = _split_chunk(chunk)
        return seen[chunk.chunk_id][0]

    out = []
    for hit in hits:
        section = [clean(c) for c in hit.section_chunks]
        chunk = clean(hit.chunk)
        if chunk.text.strip():
            out.append(replace(hit, chunk=chunk, section=[c for c in section if c.text.strip()]))
    return out, [b for _, bad in seen.values() for b in bad]


def sanitize_hits(hits: Sequence[Hit]) -> list[Hit]:
    return split_injected(hits)[0]


def injected_passages(hits: Sequence[Hit]) -> list[str]:
    return split_injected(hits)[1]
