"""The owner in a real browser (headless Debian Chromium via Playwright): logs in, creates a project
with confirmation and REST returns it; drafts a post, sees which draft is being edited, and publishes
it with confirmation. Screenshots: artifacts/screenshots/owner-*.png."""

import json
import uuid

import httpx
import pytest
from playwright.sync_api import expect
from testkit.browser import ASSISTANT, browser_page, screenshot
from testkit.chainlit_log import assert_no_swallowed_errors
from testkit.owner_browser import log_in as _log_in, press as _press, say as _say
from testkit.scripted_llm import reply, request

from folio import prompts

pytestmark = pytest.mark.browser


def test_owner_creates_a_project_with_confirmation_and_rest_returns_it(live, live_llm):
    title = f"Tide Gauge {uuid.uuid4().hex[:6]}"
    slug = title.lower().replace(" ", "-")
    live_llm.script(request(operation="create", kind="project", target="new", fields={
        "title": title, "tech": "Python, TimescaleDB", "repo_url": "github.com/x/tide-gauge"}))
    with browser_page() as page:
        _log_in(page, live.url)
        _say(page, f"add a project called {title}, Python and TimescaleDB, repo github.com/x/tide-gauge",
             "Check the change below")
        card = page.locator(ASSISTANT).filter(has_text="Create project").last
        expect(card).to_contain_text("https://github.com/x/tide-gauge")
        expect(card.locator("table")).to_be_visible()
        screenshot(page, "owner-create-preview")
        assert httpx.get(f"{live.url}/api/v1/projects/{slug}").status_code == 404

        _press(page, "Confirm", "Done: created project")
        expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(0)
        screenshot(page, "owner-create-confirmed")
    created = httpx.get(f"{live.url}/api/v1/projects/{slug}")
    assert created.status_code == 200
    assert created.json()["tech_stack"] == ["Python", "TimescaleDB"]
    assert_no_swallowed_errors(live.log())


def test_owner_drafts_and_publishes_a_post(live, live_llm):
    marker = uuid.uuid4().hex[:8]
    title = f"Vacuum without fear {marker}"
    slug = f"vacuum-without-fear-{marker}"
    # agent/drafting: the brief (a general topic: no interview), the outline, then each section, each JSON.
    brief = {"own_experience": False, "reasons": "", "numbers": "", "problems": "", "audience": "", "skip": ""}
    outline = {"title": title, "excerpt": "What autovacuum does and when to help it.", "tags": ["postgres"],
               "sections": ["What autovacuum does"]}
    section = {"paragraphs": ["Autovacuum reclaims dead tuples and keeps statistics fresh."]}
    live_llm.script(request(operation="draft_new", kind="post"), reply(json.dumps(brief)),
                    reply(json.dumps(outline), chunk_size=4), reply(json.dumps(section), chunk_size=4))
    with browser_page() as page:
        _log_in(page, live.url)
        _say(page, "draft a post about autovacuum in PostgreSQL", "Editing draft:")
        banner = page.locator(ASSISTANT).filter(has_text="Editing draft:").last
        expect(banner).to_contain_text(title)
        expect(banner).to_contain_text(prompts.DRAFT_UNSAVED)
        screenshot(page, "owner-draft")

        live_llm.script(request(operation="draft_publish", kind="post"))
        _say(page, "looks good, publish it", "Check the change below")
        card = page.locator(ASSISTANT).filter(has_text="Create post").last
        expect(card).to_contain_text("published")
        screenshot(page, "owner-publish-preview")
        assert httpx.get(f"{live.url}/api/v1/posts/{slug}").status_code == 404

        _press(page, "Confirm", "Done: created post")
        page.get_by_text(prompts.DRAFT_PUBLISHED.format(slug=slug).replace("`", ""), exact=False).last.wait_for()
        screenshot(page, "owner-published")
    public = httpx.get(f"{live.url}/api/v1/posts/{slug}")
    assert public.status_code == 200 and public.json()["status"] == "published"
    found = httpx.get(f"{live.url}/api/v1/search", params={"q": f"autovacuum dead tuples {marker}"})
    assert slug in found.text
    assert_no_swallowed_errors(live.log())
