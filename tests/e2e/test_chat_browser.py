"""A visitor in a real browser (headless Debian Chromium via Playwright): no login wall, the welcome
with starters, a question answered with a cited link and a tool step. Screenshots: artifacts/screenshots/."""

import re

import pytest
from testkit.browser import ASSISTANT, ask, browser_page, open_chat, screenshot
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD
from testkit.scripted_llm import query

from folio import prompts

pytestmark = pytest.mark.browser


def test_visitor_asks_in_the_browser_and_gets_a_cited_answer(live, live_llm):
    live_llm.script(query(intent="describe", items=["project:ferrox", "project:glint"]))
    with browser_page() as page:
        open_chat(page, live.url)
        assert "/chat" in page.url and "login" not in page.url  # no login wall
        assert prompts.WELCOME_VISITOR[:40] in page.locator(ASSISTANT).first.inner_text()
        for starter in prompts.STARTERS_VISITOR:
            assert page.get_by_role("button", name=starter).is_visible()
        screenshot(page, "chat-welcome")

        answer = ask(page, "Tell me about Ferrox and Glint")
        assert answer.startswith("Ferrox (project):") and "Glint (project):" in answer
        links = page.locator(f"{ASSISTANT} a[href$='/p/project/ferrox']")
        assert links.count() >= 1 and links.first.inner_text() == "Ferrox"
        screenshot(page, "chat-visitor-answer")
        page.get_by_text("Used understand").first.click()  # the step: how the question was read
        page.get_by_text("project:ferrox", exact=False).first.wait_for(state="visible")
        page.wait_for_timeout(600)  # the expand animation
        screenshot(page, "chat-visitor-tool-step")
        href = links.first.get_attribute("href")
        page.goto(href if href.startswith("http") else live.url + href)  # the citation opens a readable page
        assert page.locator("h1").inner_text() == "Ferrox"
        assert page.get_by_role("link", name="← Back to the chat").first.is_visible()
        screenshot(page, "item-page")
    assert live_llm.requests[0]["messages"][-1]["content"].endswith("Message: Tell me about Ferrox and Glint")


def test_the_owner_logs_in_through_the_form(live, live_llm):
    with browser_page() as page:
        page.goto(live.url + "/login")
        page.fill("#email", OWNER_EMAIL)
        page.fill("#password", OWNER_PASSWORD)
        screenshot(page, "chat-owner-login")
        page.keyboard.press("Enter")
        page.wait_for_selector(ASSISTANT)
        assert re.search(r"/chat/?$", page.url), page.url
        assert prompts.WELCOME_OWNER in page.locator(ASSISTANT).first.inner_text()
        screenshot(page, "chat-owner-welcome")
