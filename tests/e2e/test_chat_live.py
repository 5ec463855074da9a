"""The chat in the running app over socket.io, as the browser talks to it: guests without a login wall,
the owner's login, a cited answer with tool steps, and the model going down while REST keeps working."""

import json

import httpx
import jwt
from testkit.chat_client import ChatClient, guest_cookies
from testkit.live import OWNER_EMAIL, OWNER_PASSWORD
from testkit.scripted_llm import failure, query, reply, request

from folio import prompts


async def test_home_redirects_to_the_chat_and_uploads_are_off(live):
    async with httpx.AsyncClient(base_url=live.url) as http:
        home = await http.get("/", follow_redirects=False)
        assert home.status_code in (302, 303, 307) and home.headers["location"] == "/chat/"
        page = await http.get("/chat/")
        assert page.status_code == 200 and "<html" in page.text.lower()
    async with httpx.AsyncClient(base_url=live.url, cookies=await guest_cookies(live.url)) as guest:
        settings = (await guest.get("/chat/project/settings", params={"language": "en-US"})).json()
    assert settings["features"]["spontaneous_file_upload"]["enabled"] is False
    assert "answers questions about a developer's portfolio" in settings["markdown"]


async def test_a_visitor_is_signed_in_silently_with_a_stable_id(live):
    first = await guest_cookies(live.url)
    again = await guest_cookies(live.url, visitor_cookie=first["folio_visitor"])
    claims = [jwt.decode(c["access_token"], options={"verify_signature": False}) for c in (first, again)]
    assert claims[0]["identifier"] == claims[1]["identifier"] == f"visitor-{first['folio_visitor']}"
    assert claims[0]["metadata"]["role"] == "visitor"


async def test_visitor_question_gets_an_answer_from_the_data_after_the_understand_step(live, live_llm):
    live_llm.script(query(intent="describe", items=["project:ferrox", "project:glint"]))
    async with await ChatClient.visitor(live.url) as chat:
        welcome = await chat.started()  # the demo profile's owner, then the welcome
        assert welcome.startswith("This is the portfolio of **Maya Okafor**")
        assert welcome.endswith(prompts.WELCOME_VISITOR)
        events = await chat.ask("Tell me about Ferrox and Glint")

    [step] = ChatClient.steps(events, "tool")
    assert step["name"] == "understand"
    assert json.loads(step["input"]) == {"question": "Tell me about Ferrox and Glint"}
    assert json.loads(step["output"])["items"] == ["project:ferrox", "project:glint"]
    [message] = ChatClient.steps(events, "assistant_message")
    assert step["parentId"] == message["parentId"] is not None  # shown in place, above the answer
    assert step["start"] and step["end"]
    answer = ChatClient.answer(events)
    assert "[Ferrox](/p/project/ferrox)" in answer and "[Glint](/p/project/glint)" in answer  # readable pages
    async with httpx.AsyncClient(base_url=live.url) as http:  # the cited pages open, and the JSON stays
        for path in ("/p/project/ferrox", "/p/project/glint", "/api/v1/projects/ferrox"):
            assert (await http.get(path)).status_code == 200
        page = await http.get("/p/project/ferrox")
        assert "<h1>Ferrox</h1>" in page.text and "Back to the chat" in page.text


async def test_a_list_question_is_answered_completely_from_the_data(live, live_llm):
    live_llm.script(query(intent="list", kinds=["certification"]))
    async with await ChatClient.visitor(live.url) as chat:
        await chat.started()
        events = await chat.ask("Which certifications are there?")
    answer = ChatClient.answer(events)
    assert answer.startswith("The portfolio shows 6 certifications:") and answer.count("](/p/certification/") == 6
    assert len(live_llm.requests) == 1  # the reading call only: the answer is written in code


async def test_model_down_answers_from_the_data_and_rest_keeps_working(live, live_llm):
    live_llm.respond_with(lambda body: failure(503, "model overloaded"))
    async with await ChatClient.visitor(live.url) as chat:
        await chat.started()
        events = await chat.ask("Tell me about Ferrox")
    answer = ChatClient.answer(events)
    assert answer.startswith("Ferrox (project)") and "[Ferrox](/p/project/ferrox)" in answer
    async with httpx.AsyncClient(base_url=live.url) as http:
        projects = await http.get("/api/v1/projects")
        assert projects.status_code == 200 and projects.json()["total"] >= 10
        assert (await http.get("/api/v1/search", params={"q": "rust"})).status_code == 200


async def test_the_owner_logs_in_with_the_users_table_password(live, live_llm):
    async with httpx.AsyncClient(base_url=live.url) as http:
        wrong = await http.post("/chat/login", data={"username": OWNER_EMAIL, "password": "not the password"})
        assert wrong.status_code == 401
        login_page = await http.get("/login", follow_redirects=False)
        assert login_page.headers["location"] == "/chat/login?owner=1"
    live_llm.script(request(operation="question"), query(intent="count", kinds=["project"]),
                    reply(json.dumps({"asks": "how_many_items"})))
    async with await ChatClient.owner(live.url, OWNER_EMAIL, OWNER_PASSWORD) as chat:
        assert await chat.started() == prompts.WELCOME_OWNER
        events = await chat.ask("How many projects do I have?")
    # Answered from the data with the owner's visibility: the hidden project counts too.
    assert ChatClient.answer(events).startswith("The portfolio shows 12 projects.")
    assert live_llm.requests[0]["response_format"]["json_schema"]["name"] == "owner_request"
