"""Time to first token of a visitor answer: through folio vs raw llama-server on the same prompt (issue #13).

    .venv/bin/python benchmarks/ttft_bench.py [--runs 5]

On a scratch embedded PostgreSQL holding the demo portfolio, with the embedded model as `make run`
starts it (Qwen2.5-Coder-1.5B on llama-server, folio/llm/local_server.py):

- folio: a visitor's question through the agent as the chat runs it (agent.turn.run_turn: folio's
  own search first, then the model answers from the results folded into the question; tokens pass
  the tool-call hold-back and the link guard). Measured from the question to the first visible
  token. A recording proxy in front of llama-server keeps the exact body of the answering request.
- raw: that recorded body sent straight to llama-server, streamed, to its first content token.

Before every timed request (both paths) llama-server's slot is primed with another visitor question
on the same system prompt, so each timed request finds what a real one finds: the stable system
prefix in the prompt cache and this question's results not. The two paths alternate run by run.
Each timed request reads TOKENS tokens, then closes the stream. Printed: time to first token (for folio
also the part spent in llama-server, as the proxy saw it), tokens/s after the first, the prompt's size,
`measured / goal` (goal <= 1.2x) and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from testkit.agent import AgentDriver  # noqa: E402  (the chat's agent, without Chainlit)
from testkit.pg import TestDatabases  # noqa: E402

from agent.turn import Token, run_turn  # noqa: E402
from folio.llm.local_server import LocalLLMServer, ensure_model  # noqa: E402
from launch.composition import open_services  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from ttft_proxy import RecordingProxy  # noqa: E402

QUESTIONS = ("Tell me about Ferrox", "Tell me about Glint")  # answered by the model from the results
PRIMER = "What does the developer write about?"  # another question on the same system prompt
GOAL = 1.2
TOKENS = 24  # streamed tokens read per timed request (then the stream is closed): enough for tokens/s


async def stream(http: httpx.AsyncClient, url: str, body: dict) -> dict:
    """Stream one chat completion: seconds to the first content token, tokens/s after it."""
    start = time.perf_counter()
    first = last = None
    pieces = 0
    async with http.stream("POST", url, json={**body, "stream": True}) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[6:])
            delta = (data.get("choices") or [{}])[0].get("delta", {}).get("content") or ""
            if delta:
                last = time.perf_counter()
                first = first or last
                pieces += 1
                if pieces >= TOKENS:
                    break  # closing the stream stops the generation
    if first is None:
        raise RuntimeError("llama-server streamed no content")
    return {"ttft": first - start, "tps": (pieces - 1) / max(last - first, 1e-9)}


async def prime(http: httpx.AsyncClient, server: LocalLLMServer, body: dict) -> None:
    """The slot's cache then holds the system prompt and another question (what a new visitor meets)."""
    other = {**body, "messages": [body["messages"][0], {"role": "user", "content": PRIMER}], "max_tokens": 1,
             "max_completion_tokens": 1}
    other.pop("stream_options", None)
    await stream(http, f"{server.base_url}/v1/chat/completions", other)


async def folio_turn(services, proxy: RecordingProxy, question: str) -> dict:
    """The chat's turn until TOKENS visible tokens (then it is closed, which ends the model's stream)."""
    driver = AgentDriver(services, proxy.url + "/v1", model="local")
    start = time.perf_counter()
    first = last = None
    pieces = 0
    turn = run_turn(driver.agent, question, driver.thread_id)
    try:
        async for event in turn:
            if isinstance(event, Token):
                last = time.perf_counter()
                first = first or last
                pieces += 1
                if pieces >= TOKENS:
                    break
    finally:
        await turn.aclose()
    if first is None or proxy.last_body is None:
        raise RuntimeError("the agent streamed nothing: is the question answered by the model?")
    return {"ttft": first - start, "before": proxy.sent - start, "model_ttft": proxy.first_byte - proxy.sent,
            "after": first - proxy.first_byte, "cpu": proxy.cpu_first - proxy.cpu_sent,
            "tps": (pieces - 1) / max(last - first, 1e-9)}


async def measure(services, server: LocalLLMServer, runs: int) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {"folio": [], "raw": []}
    bodies: dict[str, dict] = {}  # per question: the answering request folio sent (recorded by the proxy)
    async with RecordingProxy(server.base_url) as proxy, httpx.AsyncClient(
            timeout=300, limits=httpx.Limits(max_keepalive_connections=0)) as http:
        for question in QUESTIONS:  # warm-up (model pages, embedder, caches), untimed; records the requests
            await folio_turn(services, proxy, question)
            bodies[question] = proxy.last_body
        for run in range(runs):
            question = QUESTIONS[run % len(QUESTIONS)]
            for path in (("folio", "raw") if run % 2 else ("raw", "folio")):
                await prime(http, server, bodies[question])
                if path == "folio":
                    rows[path].append(await folio_turn(services, proxy, question))
                    bodies[question] = proxy.last_body
                else:
                    rows[path].append(await stream(http, f"{server.base_url}/v1/chat/completions", bodies[question]))
        print(f"  the answering request folio sends: {describe(bodies[QUESTIONS[0]])}")
        whole = await prompt_tokens(http, server, bodies[QUESTIONS[0]]["messages"])
        system = await prompt_tokens(http, server, bodies[QUESTIONS[0]]["messages"][:1])
        print(f"  its prompt: {whole} tokens, of which the system prompt (kept in llama-server's cache) {system}")
    return rows


async def prompt_tokens(http: httpx.AsyncClient, server: LocalLLMServer, messages: list[dict]) -> int:
    """Tokens of these messages once llama-server's chat template is applied."""
    prompt = (await http.post(f"{server.base_url}/apply-template", json={"messages": messages})).json()["prompt"]
    return len((await http.post(f"{server.base_url}/tokenize", json={"content": prompt})).json()["tokens"])


def describe(body: dict) -> str:
    keys = sorted(k for k in body if k != "messages")
    sizes = [f"{m['role']} {len(m.get('content') or '')} chars" for m in body["messages"]]
    tools = f", {len(body['tools'])} tools" if body.get("tools") else ", no tools"
    return f"{'; '.join(sizes)}{tools}; fields {', '.join(keys)}"


def med(rows: list[dict], key: str) -> float:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


async def main(args) -> None:
    settings = load_settings()
    dbs = TestDatabases()
    dbs.start()
    server = None
    try:
        services = open_services(dbs.url(dbs.create()))
        await seed_demo(services)
        model = ensure_model(settings.data_path / "models", show_progress=True)
        server = LocalLLMServer(model, threads=settings.llm_threads, context=settings.llm_context,
                                log_file=settings.data_path / "logs" / "llama-server-ttft.log").start()
        if not server.wait_ready(180):
            raise RuntimeError(f"llama-server did not start: {server.error}")
        print(f"time to first token, visitor answer, {model.name} on llama-server ({server.threads} threads), "
              f"{args.runs} runs per path after a warm-up, questions {', '.join(map(repr, QUESTIONS))}")
        rows = await measure(services, server, args.runs)
        await services.db.dispose()
    finally:
        if server is not None:
            server.stop()
        dbs.stop()
    load = os.getloadavg()
    print(f"  {'path':6} {'TTFT s':>8} {'tokens/s':>9}   folio's TTFT = before the request + llama-server + after")
    for path, values in rows.items():
        parts = (f"   {med(values, 'before'):.3f} + {med(values, 'model_ttft'):.3f} + {med(values, 'after'):.3f}"
                 if path == "folio" else "")
        print(f"  {path:6} {med(values, 'ttft'):8.3f} {med(values, 'tps'):9.1f}{parts}")
    print("  (before: embedding, search, relevance check, checkpoints; after: the tool-call hold-back of the first "
          "characters and the link guard)")
    print(f"  CPU seconds folio's own process used while llama-server worked on its request: {med(rows['folio'], 'cpu'):.3f}")
    ratio = med(rows["folio"], "ttft") / med(rows["raw"], "ttft")
    print(f"  load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores")
    print("goal: measured / goal")
    print(f"  TTFT folio / raw llama-server, same prompt      {ratio:6.2f}x / <= {GOAL}x  "
          f"{'met' if ratio <= GOAL else 'MISSED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per path (after one warm-up)")
    asyncio.run(main(parser.parse_args()))
