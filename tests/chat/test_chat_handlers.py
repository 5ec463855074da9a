"""folio's Chainlit handlers in process: who is talking, the welcome, streaming with tool steps,
memory per thread, rate limits and a model that is down."""

import json
import re
import uuid

import chainlit as cl
from testkit.chainlit_session import chainlit_session, chat_runtime
from testkit.scripted_llm import failure, json_tool_call, reply, tool_call

from chat import handlers as chat
from chat.identity import OWNER_LOGIN_MARK, VISITOR_COOKIE, owner_user, visitor_user
from folio import prompts


async def test_visitor_sees_welcome_with_starters_then_a_streamed_cited_answer_with_a_tool_step(
        portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        await chat.start()
        welcome = ui.messages()[-1]
        assert welcome["output"] == prompts.WELCOME_VISITOR
        assert [a["payload"]["question"] for a in ui.actions()] == list(prompts.STARTERS_VISITOR)

        ui.clear()
        # folio searches first; the model then reads Ferrox in full (a JSON tool call), then answers.
        llm.script(json_tool_call("get_content", {"kind": "project", "slug": "ferrox"}),
                   reply("Ferrox and Glint: [Ferrox](/api/v1/projects/ferrox), [Glint](/api/v1/projects/glint)."))
        await chat.on_message(cl.Message(content="Tell me about Ferrox and Glint"))

        search, read = ui.steps("tool")
        assert search["name"] == "search_portfolio"
        assert json.loads(search["input"]) == {"query": "Tell me about Ferrox and Glint"}
        assert "/p/project/ferrox" in search["output"] and not search["isError"]
        assert read["name"] == "get_content" and "Tokio" in read["output"]
        [answer] = ui.messages()
        # cited: the items' readable pages
        assert answer["output"].startswith("[Ferrox](/p/project/ferrox) and [Glint](/p/project/glint): Ferrox, Glint")
        assert len(ui.tokens()) > 3 and not any("{" in t for t in ui.tokens())  # streamed, JSON held back
        # The steps came before the answer, as the browser shows them.
        order = [d["id"] for e, d in ui.events if e in ("send_step", "stream_start")]
        assert order.index(search["id"]) < order.index(read["id"]) < order.index(answer["id"])


async def test_a_starter_button_asks_its_question(portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        question = prompts.STARTERS_VISITOR[2]  # "Which certifications are there?": a list, from the data
        await chat.ask_starter(cl.Action(name=chat.ASK_ACTION, payload={"question": question}))
        assert [m["output"] for m in ui.messages("user_message")] == [question]
        assert ui.messages()[-1]["output"].startswith(
            "The portfolio shows 1 certification:\n- the certification [AWS Certified Solutions Architect]"
            "(/p/certification/aws-saa)")
        assert llm.requests == []  # complete without a model call


async def test_memory_is_kept_per_thread_in_postgres(portfolio, db_url, llm):
    """The thread's memory makes a follow-up stand alone (earlier answers themselves never reach the model)."""
    async with chat_runtime(portfolio, db_url, llm.base_url):
        thread = str(uuid.uuid4())
        ui = chainlit_session(visitor_user("v1"), thread_id=thread)
        llm.script(reply("Ferrox is a great project."), reply("Ferrox is written in Rust with Tokio."))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        await chat.on_message(cl.Message(content="What is it written in?"))
        assert [json.loads(s["input"])["query"] for s in ui.steps("tool")] == [
            "Tell me about Ferrox", "What is the project Ferrox written in?"]
        assert "great project" not in json.dumps(llm.requests[1]["messages"])  # the earlier answer is not sent

    # A new process (runtime) on the same thread id still remembers; another thread does not.
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"), thread_id=thread)
        llm.script(reply("Ferrox uses Tokio."))
        await chat.on_message(cl.Message(content="Does it use Tokio?"))
        assert json.loads(ui.steps("tool")[-1]["input"])["query"] == "Does the project Ferrox use Tokio?"
        ui = chainlit_session(visitor_user("v1"))
        llm.script(reply("I don't know."))
        await chat.on_message(cl.Message(content="Does it use Tokio?"))
        assert json.loads(ui.steps("tool")[-1]["input"])["query"] == "Does it use Tokio?"


async def test_visitors_are_rate_limited_per_visitor_and_per_ip(portfolio, db_url, llm):
    llm.respond_with(lambda body: reply("Ferrox ships logs."))
    ok = "[Ferrox](/p/project/ferrox) ships logs."
    async with chat_runtime(portfolio, db_url, llm.base_url, chat_visitor_messages=2, chat_ip_messages=3,
                            chat_rate_window=600):
        ui = chainlit_session(visitor_user("v1"), ip="10.0.0.1")
        for _ in range(3):
            await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        outputs = [m["output"] for m in ui.messages()]
        assert outputs[:2] == [ok, ok]
        assert outputs[2].startswith("You're sending messages faster")
        assert 1 <= int(re.search(r"wait (\d+) seconds", outputs[2]).group(1)) <= 1200
        assert len(llm.requests) == 2  # the limited message never reached the model

        ui = chainlit_session(visitor_user("v2"), ip="10.0.0.1")  # same IP: one left for the address
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert [m["output"][:2] for m in ui.messages()] == [ok[:2], "Yo"]

        # Behind a trusted proxy (loopback) the address is X-Forwarded-For's: the same address, limited.
        ui = chainlit_session(visitor_user("v4"), ip="127.0.0.1", forwarded_for="10.0.0.1")
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert [m["output"][:2] for m in ui.messages()] == ["Yo"]

        # Elsewhere: fine, although python-engineio says REMOTE_ADDR=127.0.0.1 for every socket.
        ui = chainlit_session(visitor_user("v3"), ip="10.0.0.2")
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert [m["output"] for m in ui.messages()] == [ok]
        # An untrusted peer's X-Forwarded-For is ignored: it cannot pose as another address.
        ui = chainlit_session(visitor_user("v5"), ip="10.0.0.1", forwarded_for="10.9.9.9")
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert [m["output"][:2] for m in ui.messages()] == ["Yo"]


async def test_an_overlong_message_gets_a_clear_answer_and_never_reaches_the_model(portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        await chat.on_message(cl.Message(content="x" * (chat.MAX_MESSAGE_CHARS + 1)))
        assert ui.messages()[-1]["output"] == prompts.MESSAGE_TOO_LONG.format(limit=chat.MAX_MESSAGE_CHARS)
        assert llm.requests == []


async def test_the_owner_is_not_rate_limited(portfolio, db_url, llm):
    account, _ = await portfolio.users.ensure_owner("maya@example.com", "correct horse battery")
    llm.respond_with(lambda body: reply("ok"))
    async with chat_runtime(portfolio, db_url, llm.base_url, chat_visitor_messages=1, chat_ip_messages=1):
        ui = chainlit_session(owner_user(account), ip="10.0.0.9")
        for _ in range(3):
            await chat.on_message(cl.Message(content="hello"))
        assert [m["output"] for m in ui.messages()] == ["ok", "ok", "ok"]


async def test_model_down_gives_the_matched_items_not_only_an_apology(portfolio, db_url, llm):
    llm.script(failure(503), failure(503))
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        answer = ui.messages()[-1]["output"]
        assert answer.startswith(prompts.MODEL_DOWN_NOTE) and "[Ferrox](/p/project/ferrox)" in answer
    async with chat_runtime(portfolio, db_url, "http://127.0.0.1:9/v1"):
        ui = chainlit_session(visitor_user("v1"))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert ui.messages()[-1]["output"].startswith(prompts.MODEL_DOWN_NOTE)
        await chat.on_message(cl.Message(content="Which projects use Rust?"))  # lists need no model at all
        assert ui.messages()[-1]["output"].startswith("The portfolio shows 2 projects with rust:")


async def test_roles_come_from_the_signed_in_user_only(portfolio, db_url, llm):
    owner_account, _ = await portfolio.users.ensure_owner("maya@example.com", "correct horse battery")
    async with chat_runtime(portfolio, db_url, llm.base_url):
        # Password login: the owner only; wrong password or unknown email: nobody.
        assert (await chat.owner_sign_in("maya@example.com", "correct horse battery")).metadata["role"] == "owner"
        assert await chat.owner_sign_in("maya@example.com", "wrong password!") is None
        assert await chat.owner_sign_in("eve@example.com", "correct horse battery") is None

        # Guests: silently, with the visitor cookie's id; the owner's login page opts out.
        guest = await chat.visitor_sign_in({"cookie": f"{VISITOR_COOKIE}={'a' * 32}"})
        assert guest.metadata == {"role": "visitor", "visitor_id": "a" * 32, "provider": "guest"}
        assert await chat.visitor_sign_in({"referer": f"http://x/chat/login?{OWNER_LOGIN_MARK}"}) is None

        ui = chainlit_session(owner_user(owner_account))
        await chat.start()
        assert cl.user_session.get("conversation").actor.is_owner
        assert ui.messages()[-1]["output"] == prompts.WELCOME_OWNER

        # A token claiming the owner role for an account that is not the owner's: a visitor.
        forged = cl.User(identifier="x", metadata={"role": "owner", "user_id": str(uuid.uuid4())})
        ui = chainlit_session(forged)
        await chat.start()
        assert cl.user_session.get("conversation").actor.is_visitor
        assert ui.messages()[-1]["output"] == prompts.WELCOME_VISITOR
