"""The owner's requests in a real browser (headless Debian Chromium): a fresh login page raises no
alarm and every asset it asks for answers; a typo found by description is fixed with the changed word
visible on screen; a delete shows Confirm / Cancel and Cancel keeps the item; an unclear item is
picked with buttons. Screenshots: artifacts/screenshots/owner-*.png."""

import httpx
import pytest
from playwright.sync_api import expect
from testkit.browser import ASSISTANT, browser_page, screenshot
from testkit.chainlit_log import assert_no_swallowed_errors
from testkit.owner_browser import log_in as _log_in, say as _say
from testkit.scripted_llm import request

from folio import prompts

pytestmark = pytest.mark.browser


def test_a_fresh_login_page_shows_no_error_and_its_assets_answer(live):
    log_start = len(live.log())  # the live server is shared: only what this test causes counts
    failed: list[str] = []
    with browser_page() as page:
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 500 and "/chat/" in r.url else None)
        page.goto(live.url + "/login")
        page.wait_for_selector("#password")
        page.wait_for_timeout(1500)  # the page's own requests (config, header sign-in) have settled
        text = page.locator("body").inner_text()
        assert "Unable to sign in" not in text and "credentialssignin" not in text.lower()
        screenshot(page, "owner-login-fresh")
    assert failed == []
    for path in ("/chat/logo", "/chat/logo?theme=dark", "/chat/logo?theme=light", "/chat/favicon",
                 "/chat/avatars/default", "/chat/auth/config"):
        assert httpx.get(live.url + path).status_code == 200, path
    assert "Traceback" not in live.log()[log_start:], live.log()[log_start:][-3000:]


def test_a_typo_found_by_description_is_fixed_with_the_change_visible(live, live_llm):
    slug = "postgres-index-tuning-explain-analyze"
    # No item named: the one item whose text holds the words is the target (found in code, never guessed).
    live_llm.script(request(operation="replace_text", kind="post", target="none", find="Postgress",
                            replace="Postgres"))
    with browser_page() as page:
        _log_in(page, live.url)
        _say(page, "Fix the typo Postgress in my posts", "Check the change below")
        card = page.locator(ASSISTANT).filter(has_text="Update post").last
        removed = card.locator("del", has_text="Postgress").first  # struck through
        added = card.get_by_text("Postgres", exact=True).last  # in bold
        expect(removed).to_be_visible()
        expect(added).to_be_visible()
        assert int(added.evaluate("e => getComputedStyle(e).fontWeight")) >= 600
        box, width = removed.bounding_box(), page.viewport_size["width"]
        assert box is not None and box["x"] + box["width"] <= width  # on screen, not off to the right
        screenshot(page, "owner-typo-preview")
        page.get_by_role("button", name="Confirm", exact=True).last.click()
        page.get_by_text("Done: updated post", exact=False).last.wait_for()
    body = httpx.get(f"{live.url}/api/v1/posts/{slug}").json()["body"]
    assert "on Postgres 16" in body and "Postgress" not in body
    assert_no_swallowed_errors(live.log())


def test_delete_shows_confirm_and_cancel_and_cancel_keeps_the_item(live, live_llm):
    with browser_page() as page:
        _log_in(page, live.url)
        live_llm.script(request(operation="delete", kind="project", target="project:lookalike"))
        _say(page, "Delete the Lookalike project", "Check the change below")
        card = page.locator(ASSISTANT).filter(has_text="Delete project").last
        expect(card).to_contain_text("cannot be undone")
        expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(1)
        screenshot(page, "owner-delete-preview")
        page.get_by_role("button", name="Cancel", exact=True).last.click()
        page.get_by_text(prompts.CHANGE_CANCELLED, exact=False).last.wait_for()
        expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(0)

        # An unclear item: the closest ones as buttons; one click goes on with it.
        live_llm.script(request(operation="delete", kind="project", target="none"))
        _say(page, "delete my Rust project", prompts.ASK_WHICH.format(kind="project"))
        page.get_by_role("button", name="Glint (project)", exact=True).click()
        page.locator(ASSISTANT).filter(has_text="Delete project").filter(has_text="Glint").last.wait_for()
        screenshot(page, "owner-delete-choice")
        page.get_by_role("button", name="Cancel", exact=True).last.click()
        page.get_by_text(prompts.CHANGE_CANCELLED, exact=False).last.wait_for()
    assert httpx.get(f"{live.url}/api/v1/projects/lookalike").status_code == 200
    assert httpx.get(f"{live.url}/api/v1/projects/glint").status_code == 200
    assert_no_swallowed_errors(live.log())
