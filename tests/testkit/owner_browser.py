"""The owner in a real browser: logging in, saying something and pressing a button (Playwright)."""

import re

from playwright.sync_api import Page, expect
from testkit.browser import ASSISTANT, CHAT_INPUT
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD

from folio import prompts


def log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#email", OWNER_EMAIL)
    page.fill("#password", OWNER_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector(CHAT_INPUT)
    expect(page.locator(ASSISTANT).first).to_contain_text(prompts.WELCOME_OWNER)


def say(page: Page, text: str, expected: str | re.Pattern, timeout: float = 90_000) -> None:
    """Send a message and wait until `expected` shows and the turn has finished."""
    page.fill(CHAT_INPUT, text)
    page.keyboard.press("Enter")
    page.get_by_text(expected, exact=False).last.wait_for(state="visible", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('#stop-button')", timeout=timeout)


def press(page: Page, label: str, expected: str) -> None:
    page.get_by_role("button", name=label, exact=True).last.click()
    page.get_by_text(expected, exact=False).last.wait_for(state="visible")
