"""The owner's insights in a real browser (headless Debian Chromium via Playwright) on a live folio:
two visitors talk to the chat (a scripted model reads their questions), then the owner logs in on
/owner/login and the page's figures equal the database's; the charts are inline SVG, the page loads
nothing from outside and runs no script; visitors and REST clients without the owner's token are
refused. "Draft an answer" on a gap leads into the owner's chat, which drafts from the questions.
Screenshot: artifacts/screenshots/owner-insights.png (docs/insights.png is a copy)."""

import json

import httpx
import psycopg
import pytest
from playwright.sync_api import expect
from testkit.browser import ASSISTANT, ask, browser_page, open_chat, screenshot
from testkit.chainlit_log import assert_no_swallowed_errors
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD
from testkit.scripted_llm import query, reply

pytestmark = pytest.mark.browser

FIGURES = ("conversations", "visitors", "questions", "from_data", "by_model", "unanswered")
COUNTS_SQL = """
SELECT count(DISTINCT conversation), count(DISTINCT visitor), count(*),
       count(*) FILTER (WHERE outcome = 'data'), count(*) FILTER (WHERE outcome = 'model'),
       count(*) FILTER (WHERE outcome = 'unanswered')
FROM visitor_questions WHERE created_at >= (current_date - 29)::timestamp AT TIME ZONE 'UTC'"""


def _database_counts(url: str) -> tuple[int, ...]:
    with psycopg.connect(url) as conn:
        row = conn.execute(COUNTS_SQL).fetchone()
        new_leads = conn.execute("SELECT count(*) FROM contact_requests WHERE status = 'new'").fetchone()[0]
    return (*row, new_leads)


def test_the_owner_sees_the_visitors_conversations_counted_as_the_database_counts_them(live, live_llm):
    with browser_page() as page:  # a first visitor
        open_chat(page, live.url)
        live_llm.script(query(intent="list", kinds=["project"], terms=["rust"], search="projects using Rust"))
        assert "Ferrox" in ask(page, "Which projects use Rust?")
        assert "Maya Okafor · CV (PDF)" in ask(page, "Can I see your CV?")  # in code: no model call
        expect(page.locator(ASSISTANT).last.locator('a[href="/cv.pdf"]')).to_have_count(1)
        live_llm.script(query(intent="yes_no", unknown=["Quokkalang"], search="worked with Quokkalang"))
        ask(page, "Have you ever worked with Quokkalang?")
    with browser_page() as page:  # a second visitor
        open_chat(page, live.url)
        live_llm.script(query(intent="greeting"))
        ask(page, "hello there")
        live_llm.script(query(intent="yes_no", unknown=["Quokkalang"], search="Quokkalang experience"))
        ask(page, "Do you know Quokkalang?")
        live_llm.script(query(intent="contact", name="Grace"))
        ask(page, "I'm Grace, grace@example.com: I'd like to discuss a role")
        response = page.goto(live.url + "/owner/insights")  # a visitor is refused
        assert response.status == 401
        expect(page.locator("h1")).to_have_text("Owner only")

    for headers in ({}, {"Authorization": "Bearer forged"}):  # REST clients without the owner's token
        assert httpx.get(f"{live.url}/owner/insights", headers=headers).status_code == 401

    with browser_page(height=1000) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(live.url + "/owner/login")
        page.fill("input[name=email]", OWNER_EMAIL)
        page.fill("input[name=password]", OWNER_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/owner/insights")
        expect(page.locator("h1")).to_have_text("Insights")

        shown = tuple(int(page.locator(f'[data-figure="{name}"] b').inner_text())
                      for name in (*FIGURES, "new_leads"))
        assert shown == _database_counts(live.database_url)
        assert shown[2] >= 6 and shown[5] >= 2 and shown[6] >= 1  # this test's own turns at least
        for chart in ("chart-activity", "chart-answered", "chart-topics"):
            expect(page.locator(f"#{chart} svg")).to_be_visible()
        assert page.locator("script").count() == 0
        assert requested and all(url.startswith(live.url) for url in requested), requested
        gap = page.locator("tr.gap").filter(has_text="Quokkalang").first
        expect(gap).to_contain_text("«Have you ever worked with Quokkalang?»")
        expect(gap).to_contain_text("«Do you know Quokkalang?»")
        screenshot(page, "owner-insights")

        lead = page.locator("tr.lead").filter(has_text="grace@example.com").first
        lead.get_by_role("button", name="Mark replied").click()
        expect(page.locator("tr.lead").filter(has_text="grace@example.com").first).to_have_attribute(
            "data-status", "replied")

        gap.get_by_role("button", name="Draft an answer").click()  # into the owner's chat
        page.wait_for_selector("#email")
        # The drafting flow (agent/drafting): the brief read from the visitors' questions, the outline, a section.
        live_llm.script(reply(json.dumps({"own_experience": False, "reasons": "", "numbers": "", "problems": "",
                                          "audience": "", "skip": ""})),
                        reply(json.dumps({"title": "Quokkalang notes", "excerpt": "Where I used Quokkalang.",
                                          "tags": ["quokkalang"], "sections": ["Where I used it"]})),
                        reply(json.dumps({"paragraphs": ["Quokkalang scripted my data pipelines for two years."]})))
        page.fill("#email", OWNER_EMAIL)
        page.fill("#password", OWNER_PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_text("Drafting an answer to what visitors asked", exact=False).wait_for()
        expect(page.locator(ASSISTANT).filter(has_text="Quokkalang notes").last).to_be_visible()
        expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()
    brief = live_llm.requests[-3]["messages"][-1]["content"]  # the brief's reading, before outline and section
    assert "Have you ever worked with Quokkalang?" in brief and "Do you know Quokkalang?" in brief
    assert_no_swallowed_errors(live.log())
