"""Debian's Chromium driven by Playwright's Python package (never `playwright install`), for tests that
use folio in a real browser. Screenshots go to artifacts/screenshots/ (ignored by git).

    with browser_page() as page:
        open_chat(page, server.url)             # waits for the input and the welcome message
        ask(page, "Which projects use Rust?")   # waits for the answer
        screenshot(page, "visitor-answer")
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from testkit.procs import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
ASSISTANT = '[data-step-type="assistant_message"]'
CHAT_INPUT = "#chat-input"


@contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A fresh profile (no cookies) in headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="fchromium") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": width, "height": height})
        try:
            context.set_default_timeout(60_000)
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def open_chat(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector(CHAT_INPUT)
    page.wait_for_selector(ASSISTANT)


def ask(page: Page, text: str, timeout: float = 90_000) -> str:
    """Send `text`, wait until the answer has finished streaming, return the last assistant message."""
    before = page.locator(ASSISTANT).count()
    page.fill(CHAT_INPUT, text)
    page.keyboard.press("Enter")
    expect(page.locator(ASSISTANT)).to_have_count(before + 1, timeout=timeout)
    # Done when the input can send again (Chainlit disables it while the task runs).
    page.wait_for_function("() => !document.querySelector('#stop-button')", timeout=timeout)
    return page.locator(ASSISTANT).last.inner_text()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
