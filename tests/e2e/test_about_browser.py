"""A visitor in a real browser asks about the owner and the work history, with the real embedded model
(llama-server + Qwen2.5-Coder-1.5B) as the app's chat model: each answer cites its sources (the profile's
page, the roles' pages) and a citation opens the role's readable page. Screenshots: artifacts/screenshots/."""

import pytest
from testkit.browser import ASSISTANT, ask, browser_page, open_chat, screenshot

from folio.services.seed import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.real_model]

DEMO = load_demo()


def _cited(page, path_prefix: str) -> list[str]:
    links = page.locator(f"{ASSISTANT} a[href*='{path_prefix}']")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


@pytest.mark.timeout(900)
def test_about_and_work_history_are_answered_with_citations(live_local):
    with browser_page() as page:
        open_chat(page, live_local.url)
        about_text = ask(page, "Tell me about yourself", timeout=300_000)
        assert DEMO["owner"]["name"] in about_text and DEMO["owner"]["headline"] in about_text
        assert any(h.endswith("/p/profile/me") for h in _cited(page, "/p/profile/me")), about_text
        screenshot(page, "chat-about-yourself")

        worked = ask(page, "Where have you worked?", timeout=300_000)
        assert worked.startswith("The portfolio shows 3 roles"), worked
        hrefs = page.locator(ASSISTANT).last.locator("a[href*='/p/experience/']")
        cited = {hrefs.nth(i).get_attribute("href").split("/p/experience/")[-1] for i in range(hrefs.count())}
        assert cited == {r["slug"] for r in DEMO["experience"]}, worked
        for role in DEMO["experience"]:
            assert f"{role['title']} at {role['organisation']}" in worked
        screenshot(page, "chat-work-history")

        href = hrefs.first.get_attribute("href")
        page.goto(href if href.startswith("http") else live_local.url + href)  # the citation opens the role
        current = DEMO["experience"][0]
        assert page.locator("h1").inner_text() == f"{current['title']} at {current['organisation']}"
        assert "now" in page.locator("ul.facts").inner_text()
        screenshot(page, "experience-page")
