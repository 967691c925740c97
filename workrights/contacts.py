"""Agency and crisis contacts, read from ``kb/agencies.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from workrights.errors import KnowledgeBaseError
from workrights.schema import Contact

__all__ = ["Directory", "load_directory"]


@dataclass(frozen=True)
class Directory:
    agencies: tuple[Contact, ...]
    crisis: tuple[Contact, ...]
    handles: dict[str, str]
    as_of: str
    agency_ids: tuple[str, ...] = ()
    core: tuple[Contact, ...] = ()


def load_directory(kb_dir: Path) -> Directory:
    path = kb_dir / "agencies.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        agencies = tuple(Contact(a["name"], a["phone"], a["url"]) for a in data["agency"])
        crisis = tuple(Contact(c["name"], c["phone"], c["url"]) for c in data["crisis"])
        handles = {a["name"]: a["handles"] for a in data["agency"]}
        ids = tuple(a["id"] for a in data["agency"])
        core = tuple(c for c, a in zip(agencies, data["agency"]) if a.get("core"))
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(f"Cannot read the agency list {path} ({exc}); restore it from the repository.") from exc
    return Directory(agencies, crisis, handles, str(data.get("as_of", "")), ids, core)
