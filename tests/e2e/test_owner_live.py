"""The owner in the running app over socket.io (as the browser talks to it): a change proposed in chat,
the thread kept in history, resumed with the change still waiting, confirmed there
over Chainlit's action endpoint once (a replay is refused), thumbs feedback stored, and no swallowed
data-layer error in the server's log."""

import uuid

import httpx
from testkit.chainlit_log import assert_no_swallowed_errors
from testkit.chat_client import ChatClient, owner_cookies
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD
from testkit.scripted_llm import query, request

from chat import owner_chat
from folio import prompts


def _thread_of(events) -> str:
    return next(data["threadId"] for event, data in events
                if event in ("new_message", "stream_start") and data.get("threadId"))


async def test_owner_thread_is_kept_resumed_confirmed_and_rated(live, live_llm):
    title = f"Harbor Lights {uuid.uuid4().hex[:6]}"
    slug = title.lower().replace(" ", "-")
    live_llm.script(request(operation="create", kind="project", target="new", fields={"title": title}))
    cookies = await owner_cookies(live.url, OWNER_EMAIL, OWNER_PASSWORD)
    async with ChatClient(live.url, cookies) as chat:
        assert await chat.started() == prompts.WELCOME_OWNER
        events = await chat.ask(f"{title} belongs in the portfolio too")
        thread_id = _thread_of(events)
        answer = next(m for m in ChatClient.steps(events, "assistant_message")
                      if f"**Create project** “{title}”" in m["output"])
    async with httpx.AsyncClient(base_url=live.url, cookies=cookies, timeout=30) as http:
        assert (await http.get(f"/api/v1/projects/{slug}")).status_code == 404  # not before Confirm

        # History: the thread is listed for the owner, with its messages.
        threads = (await http.post("/chat/project/threads",
                                   json={"pagination": {"first": 20}, "filter": {}})).json()["data"]
        assert thread_id in [t["id"] for t in threads]
        steps = (await http.get(f"/chat/project/thread/{thread_id}")).json()["steps"]
        outputs = [s["output"] for s in steps]
        assert f"{title} belongs in the portfolio too" in outputs and answer["output"] in outputs

    # Resume the thread: the waiting change comes back with its buttons, and Confirm applies it once.
    resumed = ChatClient(live.url, cookies, thread_id=thread_id)
    async with resumed:
        shown = await resumed.until("action")
        button = next(d for e, d in shown + await resumed.until("action") if e == "action"
                      and d["name"] == owner_chat.CONFIRM)
        async with httpx.AsyncClient(base_url=live.url, cookies=cookies, timeout=30) as http:
            session_id = resumed.session_id
            for attempt in range(2):  # the second press is a replay: refused, nothing written twice
                called = await http.post("/chat/project/action", json={"sessionId": session_id, "action": button})
                assert called.status_code == 200, called.text
            outcomes = [d["output"] for e, d in await resumed.until("new_message") + await resumed.until("new_message")
                        if e == "new_message"]
            created = await http.get(f"/api/v1/projects/{slug}")
            assert created.status_code == 200 and created.json()["title"] == title
            listed = (await http.get("/api/v1/projects", params={"limit": 100})).json()["items"]
            assert [p["slug"] for p in listed].count(slug) == 1

            # Thumbs up on the owner's answer is stored with the thread.
            feedback = await http.put("/chat/feedback", json={
                "sessionId": session_id,
                "feedback": {"forId": answer["id"], "threadId": thread_id, "value": 1, "comment": "spot on"}})
            assert feedback.status_code == 200 and feedback.json()["success"]
            steps = (await http.get(f"/chat/project/thread/{thread_id}")).json()["steps"]
            rated = next(s for s in steps if s["id"] == answer["id"])
            assert rated["feedback"]["value"] == 1 and rated["feedback"]["comment"] == "spot on"

    assert outcomes[0] == prompts.CHANGE_APPLIED.format(verb="created", kind="project", title=title,
                                                        url=f"/api/v1/projects/{slug}")
    assert outcomes[1] == prompts.CHANGE_REFUSED.format(reason="this change was already confirmed and applied")
    assert_no_swallowed_errors(live.log())


async def test_visitor_chats_are_not_kept(live, live_llm):
    live_llm.script(query(intent="greeting"))
    async with await ChatClient.visitor(live.url) as chat:
        await chat.started()
        events = await chat.ask("hi")
        thread_id = _thread_of(events)
        cookies = chat.cookies
    async with httpx.AsyncClient(base_url=live.url, cookies=cookies, timeout=30) as http:
        threads = await http.post("/chat/project/threads", json={"pagination": {"first": 20}, "filter": {}})
        assert threads.status_code == 200 and threads.json()["data"] == []
        assert (await http.get(f"/chat/project/thread/{thread_id}")).status_code == 404
    assert_no_swallowed_errors(live.log())
