"""Company policy upload: checked, parsed and indexed for this session only.

The index lives in this session's ``st.session_state``; the shared store and ``st.cache_resource`` never
see an uploaded file, so another user's questions can never retrieve it. Closing the page forgets it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from workrights.answer import Assistant
from workrights.settings import Settings
from workrights.ui import session
from workrights.uploads import PolicyIndex, UploadError, load_upload

__all__ = ["render_policy_upload"]

_KINDS = "Markdown, PDF, Word (.docx) or HTML"


def _index(assistant: Assistant) -> PolicyIndex:
    index = session.get("policy_index")
    if index is None:
        index = PolicyIndex(assistant.retriever.store.embedder)
        session.put("policy_index", index)
    return index


def _sync(index: PolicyIndex, files: list[Any], settings: Settings) -> dict[str, str]:
    """Index newly uploaded files and drop removed ones; the errors by file name (each tried once)."""
    errors: dict[str, str] = session.get("policy_errors", {})
    uploaded = {f.name: f for f in files}
    for name in [n for n in index.names if n not in uploaded]:
        index.remove(name)
    for name, file in uploaded.items():
        tried = f"{name}:{file.file_id}"
        if name in index.names or tried in errors:
            continue
        try:
            with st.spinner(f"Reading and indexing {name}…"):
                index.add(load_upload(name, file.getvalue(), settings))
        except UploadError as exc:
            errors[tried] = str(exc)
    errors = {k: v for k, v in errors.items() if k.split(":", 1)[0] in uploaded}
    session.put("policy_errors", errors)
    return errors


def render_policy_upload(assistant: Assistant, settings: Settings) -> PolicyIndex | None:
    """The uploader and its status; the session's policy index when it holds any passage."""
    st.markdown("**Your company's policy** (optional)")
    files = st.file_uploader(
        "Company policy",
        accept_multiple_files=True,
        key="policy-files",
        max_upload_size=settings.upload_max_mb,
        help=f"{_KINDS}, up to {settings.upload_max_mb} MB. Answers then quote your policy next to the law and point out "
        "where it falls below the legal minimum. Only this browser session can see it; it is forgotten when you close the page.",
    )
    index = _index(assistant)
    errors = _sync(index, list(files or []), settings)
    with st.container(key="policy-status"):
        for doc in index.documents:
            n = len(doc.chunks)
            st.success(f"{doc.name}: {n} passage{'' if n == 1 else 's'} indexed, visible only to you.", icon=":material/description:")
        for message in errors.values():
            st.error(message)
    return index if len(index) else None
