"""The owner imports their GitHub repositories from the chat, in a real browser (headless Debian
Chromium), against a fake GitHub API on 127.0.0.1: "import my GitHub repos" (the user from the
profile's links) shows a step per repository and a preview table with checkboxes (the fork and the
archived repository unticked); nothing is written before Confirm; Confirm writes drafts the owner sees
and visitors do not, searchable at once. Screenshots: artifacts/screenshots/owner-import-*.png."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from testkit.browser import ASSISTANT, browser_page, screenshot
from testkit.chainlit_log import assert_no_swallowed_errors
from testkit.fake_github import FakeGitHub, standard_repos
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD, LiveServer
from testkit.owner_browser import log_in, press, say

DEMO_GITHUB_USER = "maya-okafor-demo"  # the demo profile's GitHub link


@pytest.fixture(scope="module")
def github():
    with FakeGitHub(DEMO_GITHUB_USER) as fake:
        standard_repos(fake)
        yield fake


@pytest.fixture(scope="module")
def live_import(pg, demo_template, live_llm, github):
    name = pg.create(template=demo_template)
    server = LiveServer(pg.libpq_url(name), live_llm.base_url, github_api_url=github.url).start()
    yield server
    server.stop()
    pg.drop(name)


def _owner_get(server: LiveServer, path: str) -> httpx.Response:
    token = httpx.post(server.url + "/api/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD},
                       timeout=30).json()["access_token"]
    return httpx.get(server.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_owner_imports_github_repos_from_the_chat(live_import, live_llm, github):
    live_llm.reset()  # the import is recognised before the model is asked anything
    with browser_page() as page:
        log_in(page, live_import.url)
        say(page, "import my GitHub repos", f"github:{DEMO_GITHUB_USER}: 3 new")
        expect(page.get_by_text("tide-gauge", exact=True).first).to_be_visible()  # a step per repository
        card = page.locator(ASSISTANT).filter(has_text="Import from").last
        table = card.locator("table")
        expect(table).to_be_visible()
        expect(table.locator("tr", has_text="tide-gauge")).to_contain_text("☑")
        expect(table.locator("tr", has_text="left-pad-fork")).to_contain_text("☐")
        expect(table.locator("tr", has_text="old-crawler")).to_contain_text("archived")
        expect(card).not_to_contain_text("secret-sauce")
        screenshot(page, "owner-import-preview")
        assert _owner_get(live_import, "/api/v1/projects/tide-gauge").status_code == 404, "nothing before Confirm"

        press(page, "Confirm (1 new)", f"github:{DEMO_GITHUB_USER}: 1 new (drafts)")
        done = page.locator(ASSISTANT).filter(has_text="Imported from").last
        expect(done).to_contain_text("tide-gauge")
        expect(page.get_by_role("button", name="Confirm (1 new)", exact=True)).to_have_count(0)
        screenshot(page, "owner-import-done")

    draft = _owner_get(live_import, "/api/v1/projects/tide-gauge")
    assert draft.status_code == 200 and draft.json()["published"] is False
    assert "https://github.com/maya-okafor-demo/tide-gauge/blob/main/docs/setup.md" in draft.json()["body"]
    assert httpx.get(f"{live_import.url}/api/v1/projects/tide-gauge").status_code == 404, "a draft for visitors"
    listed = _owner_get(live_import, "/api/v1/projects?limit=100").json()  # the owner sees drafts too
    assert "tide-gauge" in [p["slug"] for p in listed["items"]]
    found = _owner_get(live_import, "/api/v1/search?q=sea+level+sensors+on+piers")
    assert "tide-gauge" in found.text, "searchable at once (embedded on write)"
    assert_no_swallowed_errors(live_import.log())
