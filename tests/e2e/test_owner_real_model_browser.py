"""The owner in a real browser with the real embedded model (llama-server + Qwen2.5-Coder-1.5B) as the
app's chat model: a create and a tag addition that keeps the old tags, each read by the model under a
grammar, previewed, confirmed, and read back over REST. (Putting a post back into drafts is covered with
a scripted model in tests/agent/test_owner_requests.py: with the 1.5B model in this browser run the
request was not read as an unpublish.) Screenshots: artifacts/screenshots/owner-real-*.png."""

import httpx
import pytest
from testkit.browser import browser_page, screenshot
from testkit.owner_browser import log_in, press, say

pytestmark = [pytest.mark.browser, pytest.mark.real_model]

SLOW = 300_000  # ms: the first reading call processes the whole catalogue on 2 cores


@pytest.mark.timeout(1500)
def test_create_and_add_tags_with_the_real_model(live_local):
    url = live_local.url
    before = httpx.get(f"{url}/api/v1/projects/ferrox", timeout=30).json()["tags"]
    with browser_page() as page:
        log_in(page, url)
        say(page, "Add a project called Tide Gauge, built with Python and TimescaleDB", "Create project",
            timeout=SLOW)
        screenshot(page, "owner-real-create")
        press(page, "Confirm", "Done: created project")

        say(page, "Add the tags iot and sensors to the Ferrox project", "Update project", timeout=SLOW)
        screenshot(page, "owner-real-tags")
        press(page, "Confirm", "Done: updated project")

    created = httpx.get(f"{url}/api/v1/projects/tide-gauge", timeout=30)
    assert created.status_code == 200
    assert created.json()["title"] == "Tide Gauge" and created.json()["summary"] == ""  # nothing invented
    tags = httpx.get(f"{url}/api/v1/projects/ferrox", timeout=30).json()["tags"]
    assert tags[:len(before)] == before and {"iot", "sensors"} <= set(tags)  # the old tags kept
