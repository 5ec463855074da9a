"""The scripted server speaks the OpenAI protocol well enough for the real client."""

from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI
from testkit.scripted_llm import ScriptedLLM, failure, reply, tool_call

import openai
import pytest


async def test_real_chatopenai_client_streams_and_calls_tools():
    with ScriptedLLM() as llm:
        llm.script(reply("Hello there friend"), tool_call("search_portfolio", {"query": "rust"}))
        model = ChatOpenAI(base_url=llm.base_url, api_key="x", model="scripted", max_retries=0)
        chunks = [c.content async for c in model.astream([HumanMessage("hi")])]
        assert "".join(chunks) == "Hello there friend" and len(chunks) > 2
        msg = await model.ainvoke([HumanMessage("find rust")])
        assert msg.tool_calls[0]["name"] == "search_portfolio"
        assert msg.tool_calls[0]["args"] == {"query": "rust"}
        assert llm.requests[1]["messages"][-1]["content"] == "find rust"


async def test_scripted_failure_reaches_the_client():
    with ScriptedLLM() as llm:
        llm.script(failure(503))
        model = ChatOpenAI(base_url=llm.base_url, api_key="x", model="scripted", max_retries=0)
        with pytest.raises(openai.APIStatusError):
            await model.ainvoke([HumanMessage("hi")])
