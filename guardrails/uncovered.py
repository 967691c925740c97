"""Work topics the knowledge base does not cover (unemployment benefits, workers' compensation, ERISA, ...).

A question about one of them gets who handles it, from ``kb/not_covered.toml``, instead of the nearest
passage of some unrelated law: a cited answer about damages caps is worse than "not covered, ask them".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workrights.errors import KnowledgeBaseError
from workrights.schema import Contact

__all__ = ["Uncovered", "load_uncovered", "uncovered_topic"]


@dataclass(frozen=True)
class Uncovered:
    id: str
    name: str
    pattern: re.Pattern[str]
    who: str
    contact: Contact


@lru_cache(maxsize=4)
def load_uncovered(path: Path) -> tuple[Uncovered, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Uncovered(t["id"], t["name"], re.compile(t["pattern"], re.IGNORECASE), t["who"], Contact(**t["contact"]))
            for t in data["topic"]
        )
    except (OSError, KeyError, TypeError, re.error, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(f"Cannot read the list of topics not covered {path} ({exc}); restore it from the repository.") from exc


def uncovered_topic(text: str, topics: tuple[Uncovered, ...]) -> Uncovered | None:
    """The first topic ``text`` asks about that the knowledge base does not cover, or None."""
    return next((t for t in topics if t.pattern.search(text)), None)
