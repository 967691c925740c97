"""Drive the real Streamlit app in Debian's Chromium: start ``streamlit run``, open sessions, ask, upload, read cards.

Used by the browser end-to-end test and by ``workrights bench --app``, so both exercise what a user sees: the page
is rendered over a websocket, so every step waits for a keyed element of the UI contract (``st-key-answer-<i>``,
``st-key-card-<i>-<n>``, ``st-key-policy-status``) rather than sleeping. The server is a subprocess in its own
process group, stopped (terminate, then kill) by its context manager, so a failing test leaves no orphan behind.
Only 127.0.0.1 is contacted; the browser is the system one (``/usr/bin/chromium``), never a downloaded build.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from workrights.errors import WorkrightsError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Playwright

__all__ = [
    "timed_answer",
    "wait_idle",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "REPO",
    "AppError",
    "BrowserMissingError",
    "AppServer",
    "free_port",
    "app_env",
    "run_app",
    "require_browser",
    "launch_chromium",
    "open_session",
    "wait_ready",
    "type_question",
    "submit",
    "ask",
    "wait_answer",
    "answer_count",
    "wait_cards",
    "card_texts",
    "source_labels",
    "open_card",
    "upload_policy",
    "screenshot",
]

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
CHAT_INPUT = '[data-testid="stChatInput"] textarea'
SIDEBAR = 'section[data-testid="stSidebar"]'
POLICY_STATUS = ".st-key-policy-status"
# Variables of the caller's own configuration: the app gets only what it is given, so a developer's
# OPENAI_API_KEY or data dir never leaks into a measurement or a test.
_SCRUBBED_PREFIXES = ("WORKRIGHTS_", "OPENAI_")
_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


class AppError(WorkrightsError):
    """The app did not start, or an expected element never appeared."""


class BrowserMissingError(WorkrightsError):
    """Chromium or playwright is not installed."""


@dataclass
class AppServer:
    """A running ``streamlit run app.py``: its URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    started_at: float  # time.perf_counter() just before the process was launched

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_healthy(self, timeout: float = 60.0) -> float:
        """Seconds from launch until ``/_stcore/health`` answers ok; raise AppError if the process dies first."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=1.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AppError(f"streamlit exited with code {self.process.returncode}; its log ends:\n{self.log_tail()}")
                try:
                    if client.get(f"{self.url}/_stcore/health").text.strip() == "ok":
                        return time.perf_counter() - self.started_at
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        raise AppError(f"streamlit was not healthy within {timeout:g} s at {self.url}; its log ends:\n{self.log_tail()}")

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the whole process group, then kill it if it has not gone within ``grace`` seconds."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the tiny race with another process is acceptable here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(settings_env: Mapping[str, str], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The app's environment: ``base`` (default os.environ) without the caller's workrights/OpenAI variables,
    offline switches on, then ``settings_env`` (``WORKRIGHTS_*`` values such as the data dir)."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith(_SCRUBBED_PREFIXES)}
    env.update(_OFFLINE)
    env.update(settings_env)
    return env


@contextmanager
def run_app(settings_env: Mapping[str, str], *, app: Path = REPO / "app.py", port: int | None = None,
            health_timeout: float = 60.0) -> Iterator[AppServer]:
    """Start ``streamlit run`` on 127.0.0.1, wait until healthy, yield it, and always stop it."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="workrights-app-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        command = [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            # Nothing edits the app during a run; watching files would only cost CPU on shared cores.
            "--server.fileWatcherType", "none",
        ]
        with log_path.open("wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=app.parent, env=app_env(settings_env), stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        server = AppServer(f"http://127.0.0.1:{port}", process, log_path, started)
        try:
            server.wait_healthy(health_timeout)
            yield server
        finally:
            server.stop()


def require_browser() -> None:
    """Raise BrowserMissingError (one sentence with the fix) unless playwright and Chromium are installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserMissingError(
            "playwright is not installed; run `.venv/bin/pip install -e '.[test]'` (it drives the system Chromium)."
        ) from None
    if not os.access(CHROMIUM, os.X_OK):
        raise BrowserMissingError(f"Chromium is not at {CHROMIUM}; install it with `sudo apt-get install chromium`.")


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium through playwright; never a browser that playwright would download."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)


def wait_ready(page: Page, timeout: float = 120.0) -> None:
    """Until the chat input is visible: the app is usable (models loaded, index open)."""
    _wait(page, page.locator(CHAT_INPUT).first, timeout, "the chat input")


def open_session(browser: Browser, url: str, timeout: float = 120.0) -> Page:
    """A new browser context is a new Streamlit session; return its page once the chat input is visible."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    wait_ready(page, timeout)
    return page


def answer_count(page: Page) -> int:
    """How many finished answers the session shows (elements with a class ``st-key-answer-<i>``)."""
    return int(page.evaluate(
        "() => [...document.querySelectorAll('[class*=\"st-key-answer-\"]')]"
        ".filter(e => [...e.classList].some(c => /^st-key-answer-\\d+$/.test(c))).length"
    ))


def type_question(page: Page, question: str) -> int:
    """Fill the chat input without sending; return the index of the answer it will produce."""
    index = answer_count(page)
    page.locator(CHAT_INPUT).first.fill(question)
    return index


def submit(page: Page) -> None:
    """Press Enter in the chat input (the moment a user's wait begins)."""
    page.locator(CHAT_INPUT).first.press("Enter")


def ask(page: Page, question: str) -> int:
    """Type the question and press Enter; return the index of the answer it will produce."""
    index = type_question(page, question)
    submit(page)
    return index


_WATCH = """(sel) => { window.__answerShown = new Promise((resolve) => {
    const seen = () => requestAnimationFrame(() => resolve(performance.now()));
    if (document.querySelector(sel)) return seen();
    const obs = new MutationObserver(() => { if (document.querySelector(sel)) { obs.disconnect(); seen(); } });
    obs.observe(document.body, {childList: true, subtree: true});
  }); return performance.now(); }"""


def timed_answer(page: Page, question: str, timeout: float = 60.0) -> tuple[int, float]:
    """Ask ``question``; the answer's index and the milliseconds from Enter to its first painted frame.

    Timed inside the page (a DOM observer, then the next animation frame): playwright's own waits poll at
    up to 500 ms intervals, which would add up to half a second that no user sees.
    """
    index = type_question(page, question)
    start = float(page.evaluate(_WATCH, f".st-key-answer-{index}"))
    submit(page)
    wait_answer(page, index, timeout)
    shown = float(page.evaluate("window.__answerShown"))
    return index, shown - start


def wait_idle(page: Page, timeout: float = 60.0) -> None:
    """Until the script run is over (Streamlit shows its status widget while a run is going on)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout * 1000)


def wait_answer(page: Page, index: int, timeout: float = 60.0) -> Locator:
    """The finished answer ``index`` once visible (the app adds its keyed container only when it is complete)."""
    answer = page.locator(f".st-key-answer-{index}")
    _wait(page, answer, timeout, f"answer {index}")
    return answer


def wait_cards(page: Page, index: int, timeout: float = 30.0) -> list[str]:
    """Answer ``index``'s citation card texts once its first card is visible."""
    cards = f'[class*="st-key-card-{index}-"]'
    _wait(page, page.locator(cards).first, timeout, f"a citation card of answer {index}")
    _wait_drawn(page, cards, timeout)
    return card_texts(page, index)


def _wait_drawn(page: Page, cards: str, timeout: float) -> None:
    """Until a card matching the CSS selector ``cards`` shows its last line, the "Law as of" date: the keyed
    card is in the page (and visible) before its lines are."""
    page.wait_for_function(
        "(sel) => [...document.querySelectorAll(sel)].some(e => e.innerText.includes('Law as of'))", arg=cards, timeout=timeout * 1000
    )


def source_labels(page: Page, index: int, timeout: float = 30.0) -> list[str]:
    """The source markers of answer ``index`` ("[1] 29 U.S.C. § 2612(a)(1)", ...): every citation, shown or not.

    The markers' widget draws its buttons a moment after its keyed element appears (its code loads lazily on
    first use), so this waits for the first button when the answer has sources at all.
    """
    if not page.locator(f".st-key-sources-{index}").count():
        return []
    buttons = page.locator(f".st-key-sources-{index} button")
    _wait(page, buttons.first, timeout, f"the source markers of answer {index}")
    return [text.strip() for text in buttons.all_inner_texts()]


def open_card(page: Page, index: int, n: int, timeout: float = 30.0) -> str:
    """Choose source marker ``[n]`` of answer ``index`` (only the chosen card is shown); return that card's text."""
    card = page.locator(f".st-key-card-{index}-{n}")
    if not card.is_visible():
        page.locator(f".st-key-sources-{index} button").filter(has_text=f"[{n}]").first.click()
    _wait(page, card, timeout, f"card {n} of answer {index}")
    _wait_drawn(page, f".st-key-card-{index}-{n}", timeout)
    return card.inner_text()


def card_texts(page: Page, index: int) -> list[str]:
    """The visible text of answer ``index``'s citation cards, in card order."""
    return list(page.evaluate(
        """(i) => {
            const re = new RegExp('^st-key-card-' + i + '-(\\\\d+)$');
            const cards = [];
            for (const e of document.querySelectorAll('[class*="st-key-card-' + i + '-"]')) {
                for (const c of e.classList) {
                    const m = c.match(re);
                    if (m) cards.push([Number(m[1]), e.innerText]);
                }
            }
            return cards.sort((a, b) => a[0] - b[0]).map(c => c[1]);
        }""",
        index,
    ))


def upload_policy(page: Page, path: Path, timeout: float = 90.0) -> str:
    """Upload a policy file in the sidebar; return the status text once it is indexed or refused.

    Indexed: the status names the file and its passages. Refused: the status changes to the error sentence.
    """
    status = page.locator(POLICY_STATUS)
    before = status.first.inner_text() if status.count() else ""
    page.locator(f"{SIDEBAR} input[type=file]").first.set_input_files(str(path))
    try:
        page.wait_for_function(
            """([sel, name, before]) => {
                const el = document.querySelector(sel);
                if (!el) return false;
                const text = el.innerText;
                if (text.includes(name) && text.includes('passages')) return true;
                const running = document.querySelector('[data-test-script-state="running"]');
                return text.trim() !== '' && text !== before && !running;
            }""",
            arg=[POLICY_STATUS, path.name, before],
            timeout=timeout * 1000,
        )
    except Exception as exc:  # playwright's TimeoutError; the page text says what the app showed instead
        raise AppError(f"the policy status for {path.name} did not appear within {timeout:g} s; "
                       f"the page shows: {_page_text(page)}") from exc
    return status.first.inner_text()


def screenshot(page: Page, path: Path, focus: Locator | None = None) -> Path:
    """A PNG of what the session shows now, scrolled to ``focus`` first (Streamlit scrolls its main block
    itself, so a "full page" capture is only the viewport)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if focus is not None:
        focus.scroll_into_view_if_needed()
    page.screenshot(path=str(path), full_page=True)
    return path


def _wait(page: Page, locator: Locator, timeout: float, what: str) -> None:
    try:
        locator.wait_for(state="visible", timeout=timeout * 1000)
    except Exception as exc:  # playwright's TimeoutError; report what the user would have seen
        raise AppError(f"{what} did not appear within {timeout:g} s; the page shows: {_page_text(page)}") from exc


def _page_text(page: Page, limit: int = 800) -> str:
    try:
        text: Any = page.evaluate("() => document.body.innerText")
    except Exception:  # noqa: BLE001 - the page may be gone; the timeout is the error that matters
        return "(page unavailable)"
    return " ".join(str(text).split())[:limit]
