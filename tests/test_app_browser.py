"""End to end in a real browser: ``streamlit run app.py`` on a free port, driven by Debian's Chromium.

One server for the module (started on the built KB index): a cited answer as a user sees it, and two
sessions at once, where a policy uploaded in one never reaches the other.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.app_driver import (
    CHROMIUM,
    ask,
    launch_chromium,
    open_card,
    open_session,
    run_app,
    screenshot,
    source_labels,
    upload_policy,
    wait_answer,
    wait_cards,
    wait_idle,
)
from workrights.settings import Settings
from workrights.store import Store

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed; run pip install -e '.[test]'")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"Chromium is not at {CHROMIUM}; apt-get install chromium"),
]

ZEPHYR_POLICY = """# Zephyr Freight Employee Handbook

## Family leave

Zephyr Freight gives every employee 20 workweeks of paid family leave in any 12-month period to care for a
new child or a family member with a serious health condition. Ask the Zephyr Freight people team for the form.

## Working hours

The regular workweek at Zephyr Freight is Monday to Friday, with a one-hour lunch break each day.
"""


@pytest.fixture(scope="module")
def app_browser(kb_store: Store, kb_settings: Settings) -> Iterator[tuple[sync_api.Browser, str]]:
    env = {"WORKRIGHTS_DATA_DIR": str(kb_settings.data_dir), "WORKRIGHTS_ANSWER_MODE": "extractive"}
    with run_app(env) as server, sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser, server.url
        finally:
            browser.close()


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", header[16:24])


def _card_citing(page: sync_api.Page, i: int, text: str) -> tuple[str, list[str]]:
    """Open the card of the first source marker whose cite contains ``text``: its text ("" if none does),
    and all the markers (for the failure message)."""
    wait_cards(page, i)
    labels = source_labels(page, i)
    for label in labels:
        if text in label:
            return open_card(page, i, int(label[1 : label.index("]")])), labels
    return "", labels


def test_question_gets_a_visible_cited_card_and_a_screenshot(app_browser: tuple[sync_api.Browser, str], tmp_path: Path) -> None:
    browser, url = app_browser
    page = open_session(browser, url)
    try:
        i = ask(page, "How many weeks of FMLA leave can I take?")
        answer = wait_answer(page, i).inner_text()
        first_card = wait_cards(page, i)[0]
        card, labels = _card_citing(page, i, "29 U.S.C. § 2612")
        shot = screenshot(page, tmp_path / "fmla.png", focus=page.locator(f'[class*="st-key-card-{i}-"]').first)
    finally:
        page.context.close()
    assert "12 workweeks" in answer
    assert "Law as of" in first_card, first_card
    assert "29 U.S.C. § 2612" in card and "Official source" in card, (card, labels)
    width, height = _png_size(shot)
    assert width >= 800 and height >= 600 and shot.stat().st_size > 20_000


def test_an_uploaded_policy_is_seen_only_by_the_session_that_uploaded_it(app_browser: tuple[sync_api.Browser, str], tmp_path: Path) -> None:
    browser, url = app_browser
    policy = tmp_path / "zephyr_freight_handbook.md"
    policy.write_text(ZEPHYR_POLICY, encoding="utf-8")
    a, b = open_session(browser, url), open_session(browser, url)
    try:
        status = upload_policy(a, policy)
        question = "How many weeks of family leave does the Zephyr Freight policy give?"
        ia, ib = ask(a, question), ask(b, question)  # both sessions answer at the same time
        a_answer = wait_answer(a, ia).inner_text()
        a_card, a_labels = _card_citing(a, ia, "Zephyr Freight")
        # The whole answer, drawn to its end; textContent, not innerText: the collapsed list of all sources counts too.
        wait_cards(b, ib)
        wait_idle(b)
        b_text = wait_answer(b, ib).text_content() or ""
    finally:
        a.context.close()
        b.context.close()
    assert policy.name in status and "passages" in status, status
    assert "20 workweeks" in a_card, (a_labels, a_answer)
    assert b_text.strip() and "zephyr" not in b_text.lower(), b_text
