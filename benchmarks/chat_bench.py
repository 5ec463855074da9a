"""Chat speed, printed as figures (issue #6).

    .venv/bin/python benchmarks/chat_bench.py [--runs 3] [--turns 50] [--skip-model] [--skip-overhead]

On a scratch embedded PostgreSQL holding the demo portfolio (seeded and embedded once):

1. The embedded model (Qwen2.5-Coder-1.5B Q4_K_M on llama-server, as `make run` starts it), a
   visitor's question answered by the agent as in the chat: folio searches the portfolio first (a
   tool call of its own), the model answers from the results (folded into the question, no tools
   bound), the answer streams and its links are checked. Reported: time to first visible token and tokens/s of the streamed answer, median over
   --runs after a warm-up. Next to it, raw llama-server streaming on the same final prompt (the exact
   messages of the agent's answering call): once with its prompt cache off (full prompt processing)
   and once repeated with the cache warm (generation only).
2. folio's own time per visitor turn with a scripted instant model (ScriptedLLM: answers at once),
   through the chat's real path: chat/handlers.py -> agent turn -> tools -> services -> PostgreSQL
   (benchmarks/chat_overhead.py), p50/p95 over --turns visitors, then the agent alone for comparison.

Tokens are counted with llama-server's /tokenize on the answer text (both paths alike).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT / "benchmarks", ROOT / "tests", ROOT):  # this checkout's packages, not an installed copy
    sys.path.insert(0, str(path))
from testkit.agent import AgentDriver  # noqa: E402  (shared with the tests)
from testkit.pg import TestDatabases  # noqa: E402

from agent.answer_prompt import fold_results  # noqa: E402
from agent.history import window  # noqa: E402
from agent.memory import open_memory  # noqa: E402
from agent.turn import Final, Token, run_turn  # noqa: E402
from folio.llm.local_server import LocalLLMServer  # noqa: E402
from folio.services.seed import seed_demo  # noqa: E402
from folio.settings import load_settings  # noqa: E402
from launch.composition import local_llm_for, open_services, prepare_local_model  # noqa: E402

from chat_overhead import load_line, overhead_figures  # noqa: E402  (benchmarks/, beside this file)

QUESTION = "Tell me about Ferrox"  # answered by the model (lists are written from the data, no model call)
LIST_QUESTION = "Which projects use Rust?"
TTFT_GOAL = 1.2  # issue #13: a visitor answer's time to first token against raw llama-server


async def count_tokens(http: httpx.AsyncClient, base_url: str, text: str) -> int:
    r = await http.post(f"{base_url}/tokenize", json={"content": text})
    r.raise_for_status()
    return len(r.json()["tokens"])


# ---- 1. the embedded model: through the agent vs raw llama-server ---------------------------------

async def agent_turn(services, server: LocalLLMServer, memory) -> tuple[float, float, str, list[dict]]:
    """(seconds to first token, seconds first-to-last token, answer, OpenAI messages of the last call)."""
    from langchain_openai.chat_models.base import _convert_message_to_dict

    driver = AgentDriver(services, server.endpoint.base_url, model="local", temperature=0.0,
                         checkpointer=memory)
    start = time.perf_counter()
    first = last = None
    answer = ""
    async for event in run_turn(driver.agent, QUESTION, driver.thread_id):
        if isinstance(event, Token):
            last = time.perf_counter()
            first = first or last
        elif isinstance(event, Final):
            answer = event.text
    state = await driver.agent.aget_state({"configurable": {"thread_id": driver.thread_id}})
    # What the model saw in its answering call: the window of the thread, the results folded in.
    final_call = fold_results(window(state.values["messages"][:-1], driver.config.history_turns))
    messages = [{"role": "system", "content": driver.config.system_prompt},
                *(_convert_message_to_dict(m) for m in final_call)]
    if first is None:
        raise RuntimeError(f"the agent streamed nothing (answer: {answer!r})")
    return first - start, last - first, answer, messages


async def raw_stream(http: httpx.AsyncClient, server: LocalLLMServer, messages: list[dict],
                     cache: bool) -> tuple[float, float, str]:
    body = {"model": "local", "messages": messages, "stream": True, "temperature": 0.0, "max_tokens": 400,
            "cache_prompt": cache}
    start = time.perf_counter()
    first = last = None
    text = []
    async with http.stream("POST", f"{server.base_url}/v1/chat/completions", json=body) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
            if delta:
                last = time.perf_counter()
                first = first or last
                text.append(delta)
    return first - start, last - first, "".join(text)


async def model_figures(services, db_url: str, runs: int) -> None:
    settings = load_settings()
    model = prepare_local_model(settings, show_progress=True)
    server = local_llm_for(settings, "llama-server-bench.log").start()
    try:
        if not server.wait_ready(180):
            raise RuntimeError(f"llama-server did not start: {server.error}")
        rows: dict[str, list[tuple[float, float]]] = {"agent": [], "raw, prompt cache off": [],
                                                      "raw, prompt cache warm": []}
        # No keep-alive: llama-server drops idle connections, and a reused one fails ("Server disconnected").
        async with open_memory(db_url) as memory, httpx.AsyncClient(
                timeout=300, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            saver = await memory.ready()
            for run in range(runs + 1):  # the first run warms the model and the prompt cache
                ttft, span, answer, messages = await agent_turn(services, server, saver)
                tokens = await count_tokens(http, server.base_url, answer)
                raw_cold = await raw_stream(http, server, messages, cache=False)
                raw_warm = await raw_stream(http, server, messages, cache=True)
                if run == 0:
                    print(f"  warm-up answer: {answer[:160]!r}")
                    continue
                rows["agent"].append((ttft, tokens / span if span else float("nan")))
                for name, (r_ttft, r_span, r_text) in (("raw, prompt cache off", raw_cold),
                                                       ("raw, prompt cache warm", raw_warm)):
                    r_tokens = await count_tokens(http, server.base_url, r_text)
                    rows[name].append((r_ttft, r_tokens / r_span if r_span else float("nan")))
        prompt_tokens = await _prompt_tokens(server, messages)
        print(f"\nEmbedded model ({model.name}, {server.threads} threads), question {QUESTION!r}, "
              f"median of {runs} runs; answering prompt ~{prompt_tokens} tokens")
        print(f"  {'path':28} {'time to first token':>20} {'tokens/s':>9}")
        for name, values in rows.items():
            print(f"  {name:28} {statistics.median(v[0] for v in values):>18.2f} s "
                  f"{statistics.median(v[1] for v in values):>9.1f}")
        agent = statistics.median(v[0] for v in rows["agent"])
        raw = statistics.median(v[0] for v in rows["raw, prompt cache warm"])
        print(f"  {load_line()}")
        print("goal: measured / goal")
        print(f"  time to first token, agent / raw llama-server (same prompt, cache warm) {agent / raw:6.2f}x / "
              f"<= {TTFT_GOAL}x  {'met' if agent / raw <= TTFT_GOAL else 'MISSED'}")
    finally:
        server.stop()


async def _prompt_tokens(server: LocalLLMServer, messages: list[dict]) -> int:
    async with httpx.AsyncClient(timeout=60) as http:
        text = "\n".join(str(m.get("content") or "") for m in messages)
        return await count_tokens(http, server.base_url, text)


async def main(args) -> None:
    dbs = TestDatabases()
    dbs.start()
    try:
        name = dbs.create()
        db_url = dbs.url(name)
        services = open_services(db_url)
        t = time.perf_counter()
        await seed_demo(services)
        print(f"demo portfolio seeded and embedded in {time.perf_counter() - t:.1f} s")
        try:
            if not args.skip_overhead:
                await overhead_figures(services, db_url, args.turns, agent_rows=not args.goal_only)
            if not args.skip_model:
                await model_figures(services, db_url, args.runs)
        finally:
            await services.db.dispose()
    finally:
        dbs.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs with the embedded model")
    parser.add_argument("--turns", type=int, default=50, help="timed turns with the instant model")
    parser.add_argument("--skip-model", action="store_true", help="no embedded-model figures")
    parser.add_argument("--goal-only", action="store_true", help="instant model: the handlers' path only")
    parser.add_argument("--skip-overhead", action="store_true", help="no instant-model figures")
    asyncio.run(main(parser.parse_args()))
