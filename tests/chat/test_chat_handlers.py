"""folio's Chainlit handlers in process: who is talking, the welcome, streaming with tool steps,
memory per thread, rate limits and a model that is down."""

import json
import re
import uuid

import chainlit as cl
from testkit.chainlit_session import chainlit_session, chat_runtime
from testkit.scripted_llm import failure, query, request

from chat import handlers as chat
from chat.identity import OWNER_LOGIN_MARK, VISITOR_COOKIE, owner_user, visitor_user
from folio import prompts


async def test_visitor_sees_welcome_then_the_understand_step_then_an_answer_from_the_data(portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        await chat.start()
        welcome = ui.messages()[-1]
        assert welcome["output"] == prompts.WELCOME_VISITOR
        assert [a["payload"]["question"] for a in ui.actions()] == list(prompts.STARTERS_VISITOR)

        ui.clear()
        llm.script(query(intent="describe", items=["project:ferrox"], search="Ferrox"))
        await chat.on_message(cl.Message(content="Tell me about the log shipper, Ferrox"))

        [step] = ui.steps("tool")
        assert step["name"] == "understand" and json.loads(step["output"])["items"] == ["project:ferrox"]
        [answer] = ui.messages()
        assert answer["output"].startswith("Ferrox (project): A fast log shipper written in Rust.")
        assert "[Ferrox](/p/project/ferrox)" in answer["output"]  # its source, the readable page
        # The step (the first visible feedback) came before the answer.
        order = [d["id"] for e, d in ui.events if e in ("send_step", "stream_start", "send_message")]
        assert order.index(step["id"]) < order.index(answer["id"])
        # One model call, under a grammar whose enums are the real items and terms; the draft is not in it.
        [sent] = llm.requests
        grammar = sent["response_format"]["json_schema"]["schema"]["properties"]
        assert "project:ferrox" in grammar["items"]["items"]["enum"]
        assert "project:secret-draft" not in grammar["items"]["items"]["enum"]
        assert "rust" in grammar["terms"]["items"]["enum"]


async def test_a_starter_button_asks_its_question(portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        question = prompts.STARTERS_VISITOR[2]
        llm.script(query(intent="list", kinds=["certification"]))
        await chat.ask_starter(cl.Action(name=chat.ASK_ACTION, payload={"question": question}))
        assert [m["output"] for m in ui.messages("user_message")] == [question]
        assert ui.messages()[-1]["output"].startswith(
            "The portfolio shows 1 certification:\nAWS Certified Solutions Architect (certification): ")  # in full


async def test_a_follow_up_sends_the_earlier_items_as_ids_never_the_earlier_answer(portfolio, db_url, llm):
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"), thread_id=str(uuid.uuid4()))
        llm.script(query(intent="describe", items=["project:ferrox"]),
                   query(intent="list", items=["project:ferrox"], terms=["tokio"]))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        await chat.on_message(cl.Message(content="Does it use Tokio?"))
        follow_up = llm.requests[1]["messages"][-1]["content"]
        assert "project:ferrox (Ferrox)" in follow_up and "log shipper" not in follow_up
        assert "Ferrox (project)" in ui.messages()[-1]["output"]
        # Another conversation starts with no earlier items.
        ui = chainlit_session(visitor_user("v1"))
        llm.script(query(intent="describe"))
        await chat.on_message(cl.Message(content="Does it use Tokio?"))
        assert "Earlier" not in llm.requests[2]["messages"][-1]["content"]


async def test_visitors_are_rate_limited_per_visitor_and_per_ip(portfolio, db_url, llm):
    llm.respond_with(lambda body: query(intent="describe", items=["project:ferrox"]))
    ok = "Ferrox (project): A fast log shipper written in Rust."
    async with chat_runtime(portfolio, db_url, llm.base_url, chat_visitor_messages=2, chat_ip_messages=3,
                            chat_rate_window=600):
        ui = chainlit_session(visitor_user("v1"), ip="10.0.0.1")
        for _ in range(3):
            await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        outputs = [m["output"] for m in ui.messages()]
        assert [o[:len(ok)] for o in outputs[:2]] == [ok, ok]
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
        assert [m["output"][:len(ok)] for m in ui.messages()] == [ok]
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
    llm.respond_with(lambda body: request(operation="question") if "owner_request" in json.dumps(
        body.get("response_format")) else query(intent="greeting"))
    async with chat_runtime(portfolio, db_url, llm.base_url, chat_visitor_messages=1, chat_ip_messages=1):
        ui = chainlit_session(owner_user(account), ip="10.0.0.9")
        for _ in range(3):
            await chat.on_message(cl.Message(content="hello"))
        assert [m["output"] for m in ui.messages()] == [prompts.FACT_GREETING] * 3


async def test_model_down_answers_from_the_data_not_only_an_apology(portfolio, db_url, llm):
    llm.script(failure(503))
    async with chat_runtime(portfolio, db_url, llm.base_url):
        ui = chainlit_session(visitor_user("v1"))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        answer = ui.messages()[-1]["output"]
        assert answer.startswith("Ferrox (project): A fast log shipper") and "[Ferrox](/p/project/ferrox)" in answer
    async with chat_runtime(portfolio, db_url, "http://127.0.0.1:9/v1"):
        ui = chainlit_session(visitor_user("v1"))
        await chat.on_message(cl.Message(content="Tell me about Ferrox"))
        assert ui.messages()[-1]["output"].startswith("Ferrox (project)")


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
