"""Tool-shaped JSON in a small model's content becomes a tool call only for bound tools."""

import pytest
from langchain_core.messages import AIMessage

from agent.recovery import ToolCallRecovery, looks_like_tool_call, tool_calls_in_content
from folio import prompts


@pytest.mark.parametrize("content", [
    '{"name": "search_portfolio", "arguments": {"query": "rust"}}',
    '```json\n{"name": "search_portfolio", "arguments": {"query": "rust"}}\n```',
    '<tool_call>\n{"name": "search_portfolio", "arguments": {"query": "rust"}}\n</tool_call>',
    '{"name": "search_portfolio", "parameters": {"query": "rust"}}',
    '{"type": "function", "function": {"name": "search_portfolio", "arguments": "{\\"query\\": \\"rust\\"}"}}',
    '[{"name": "search_portfolio", "arguments": {"query": "rust"}}]',
])
def test_tool_shaped_json_is_recognised(content):
    assert tool_calls_in_content(content) == [("search_portfolio", {"query": "rust"})]
    assert looks_like_tool_call(content[:5])


@pytest.mark.parametrize("content", [
    "Ferrox uses Rust.",
    '{"query": "rust"}',  # no tool name
    '{"name": "Ferrox", "language": "Rust"}',  # a JSON answer, not a call
    'Here you go: {"name": "search_portfolio", "arguments": {}}',  # prose around it: not a call
    "",
])
def test_other_content_is_left_alone(content):
    assert tool_calls_in_content(content) is None


def test_two_calls_in_one_message():
    text = '{"name": "a", "arguments": {}}\n{"name": "b", "arguments": {"x": 1}}'
    assert tool_calls_in_content(text) == [("a", {}), ("b", {"x": 1})]


def _recovery():
    class T:
        def __init__(self, name):
            self.name = name
    return ToolCallRecovery([T("search_portfolio"), T("get_content")], max_tool_rounds=1)


def test_json_for_a_bound_tool_becomes_a_tool_call():
    msg = AIMessage(content='{"name": "search_portfolio", "arguments": {"query": "rust"}}', id="m1")
    fixed, retry = _recovery().repair(msg, {"search_portfolio", "get_content"}, exhausted=False)
    assert not retry and fixed.content == "" and fixed.id == "m1"
    assert [(c["name"], c["args"]) for c in fixed.tool_calls] == [("search_portfolio", {"query": "rust"})]


def test_native_tool_calls_are_a_no_op():
    msg = AIMessage(content="", tool_calls=[{"name": "get_content", "args": {"kind": "post", "slug": "x"},
                                             "id": "c1", "type": "tool_call"}])
    fixed, retry = _recovery().repair(msg, {"search_portfolio", "get_content"}, exhausted=False)
    assert fixed is msg and not retry


@pytest.mark.parametrize("msg", [
    AIMessage(content='{"name": "delete_post", "arguments": {"slug": "x"}}'),
    AIMessage(content="", tool_calls=[{"name": "delete_post", "args": {"slug": "x"}, "id": "c1", "type": "tool_call"}]),
])
def test_unbound_tools_become_a_refusal(msg):
    fixed, retry = _recovery().repair(msg, {"search_portfolio", "get_content"}, exhausted=False)
    assert fixed.tool_calls == [] and fixed.content == prompts.TOOL_NOT_AVAILABLE and not retry


def test_only_the_bound_calls_of_a_mixed_message_survive():
    msg = AIMessage(content="", tool_calls=[
        {"name": "search_portfolio", "args": {"query": "x"}, "id": "c1", "type": "tool_call"},
        {"name": "delete_post", "args": {"slug": "x"}, "id": "c2", "type": "tool_call"}])
    fixed, _ = _recovery().repair(msg, {"search_portfolio", "get_content"}, exhausted=False)
    assert [c["name"] for c in fixed.tool_calls] == ["search_portfolio"]


def test_a_known_tool_after_the_last_round_asks_again():
    msg = AIMessage(content='{"name": "search_portfolio", "arguments": {"query": "rust"}}')
    fixed, retry = _recovery().repair(msg, set(), exhausted=True)
    assert retry and fixed.tool_calls == [] and fixed.content == prompts.NO_ANSWER_AFTER_TOOLS
