"""/api/v1/ai/write: server-sent events from the real client path against a scripted OpenAI-compatible server."""

import json

from testkit.scripted_llm import broken_stream, failure, reply

from folio import prompts

WRITE = "/api/v1/ai/write"


def events(text: str) -> list[tuple[str, dict]]:
    """Parse an SSE body into (event, data) pairs, ignoring comments (pings)."""
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            out.append((name, json.loads("\n".join(data))))
    return out


async def test_write_streams_deltas_then_done(owner_client, llm):
    llm.script(reply("Vector search in Postgres is fast"))
    r = await owner_client.post(WRITE, json={"mode": "write", "kind": "post",
                                             "text": "pgvector HNSW: why and how", "max_tokens": 64})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/event-stream")
    got = events(r.text)
    assert got[:-1] == [("delta", {"text": t}) for t in ["Vector ", "search ", "in ", "Postgres ", "is ", "fast"]]
    assert got[-1] == ("done", {"text": "Vector search in Postgres is fast"})
    sent = llm.requests[-1]
    assert sent["stream"] is True and sent["max_completion_tokens"] == 64
    assert sent["messages"][0] == {"role": "system", "content": prompts.WRITER_SYSTEM_WRITE}
    assert "blog post" in sent["messages"][1]["content"]
    assert "pgvector HNSW: why and how" in sent["messages"][1]["content"]


async def test_improve_uses_the_improve_prompt_and_instructions(owner_client, llm):
    llm.script(reply("Tide gauges measure the sea."))
    r = await owner_client.post(WRITE, json={"mode": "improve", "kind": "project",
                                             "text": "Tide gauge are sensor that measure the sea.",
                                             "instructions": "Fix the grammar."})
    assert r.status_code == 200
    assert events(r.text)[-1] == ("done", {"text": "Tide gauges measure the sea."})
    messages = llm.requests[-1]["messages"]
    assert messages[0]["content"] == prompts.WRITER_SYSTEM_IMPROVE
    assert "project description" in messages[1]["content"]
    assert "Fix the grammar." in messages[1]["content"]
    assert "Tide gauge are sensor that measure the sea." in messages[1]["content"]


async def test_failure_mid_stream_ends_with_an_error_event(owner_client, llm):
    llm.script(broken_stream("one two three four five", after=2))
    r = await owner_client.post(WRITE, json={"text": "anything"})
    assert r.status_code == 200
    got = events(r.text)
    assert got[:2] == [("delta", {"text": "one "}), ("delta", {"text": "two "})]
    assert got[-1][0] == "error" and got[-1][1]["code"] == "unavailable"
    assert "done" not in [name for name, _ in got]
    assert "Traceback" not in r.text


async def test_unreachable_model_is_a_503_before_streaming(owner_client, llm, app):
    llm.script(failure(503), failure(503))  # the client retries once
    r = await owner_client.post(WRITE, json={"text": "anything"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "unavailable" and r.json()["error"]["details"] == {"dependency": "llm"}
    app.state.chat_endpoint = None  # the embedded server has not started
    r = await owner_client.post(WRITE, json={"text": "anything"})
    assert r.status_code == 503 and "not running" in r.json()["error"]["message"]


async def test_only_the_owner_may_write(anon, member_client, llm):
    assert (await anon.post(WRITE, json={"text": "x"})).status_code == 401
    r = await member_client.post(WRITE, json={"text": "x"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert llm.requests == []  # the model was never asked


async def test_bad_write_requests_are_4xx(owner_client, llm):
    for body in [{}, {"text": ""}, {"text": "x", "mode": "rewrite"}, {"text": "x", "kind": "video"},
                 {"text": "x", "max_tokens": 0}, {"text": "x", "max_tokens": 100000}, {"text": "a\x00b"},
                 {"text": "x", "temperature": 2}, {"text": "x" * 20001}]:
        r = await owner_client.post(WRITE, json=body)
        assert r.status_code == 422, body
    r = await owner_client.post(WRITE, content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert llm.requests == []
