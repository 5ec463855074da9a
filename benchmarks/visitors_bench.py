"""Many visitors at once on the embedded model, printed as figures (issue #25).

    .venv/bin/python benchmarks/visitors_bench.py [--levels 1 2 5 10] [--before REF] [--single 3]

Starts `folio serve` as `make run` does (the demo portfolio, the embedded llama-server with the joined
Qwen2.5-Coder-1.5B from --models, default this checkout's .data/models, every core), and with --before REF also folio
from commit REF's files (benchmarks/checkout.py) beside it. Each side answers one question first (the
model's caches warm; this side's start-up warm-up, when it has one, is waited for). Then, level by level,
the two sides alternating, N visitors at once, each a guest with its own client address (X-Forwarded-For
from loopback, a trusted proxy) over the chat's real socket.io path, asking a different question about
the demo portfolio. Level 1 asks --single questions one after another (a p50 for the goal).

Per level and side: first visible feedback (the first message or step the browser shows), first token
of the answer p50/p95, whole answer p95, errors (exceptions, time-outs, empty or "unavailable" answers)
and rate-limited questions under the default chat limits (the rate limits' effect), with the load average.
Goal (this checkout, 5 visitors): first token p95 <= 3x the single visitor's p50, 0 errors, feedback
within 1 s for everyone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from checkout import checkout  # noqa: E402
from testkit.chat_client import ChatClient, guest_cookies  # noqa: E402  (shared with the tests)
from testkit.procs import folio_env, free_port, stop_process, wait_http  # noqa: E402

from folio import prompts  # noqa: E402

QUESTIONS = [
    "Which projects are written in Rust?",
    "What is Glint?",
    "What has been written about PostgreSQL?",
    "Which certifications are there?",
    "Tell me about the Keystone project",
    "Which projects use Python?",
    "Is there a post about Kafka?",
    "What is Ledgerline built with?",
    "Show me the posts about Terraform",
    "What does Pocket Transit do?",
    "Which projects use TypeScript?",
    "What is Heartbeat?",
]
FAILED = (prompts.LLM_UNAVAILABLE, prompts.CHAT_UNAVAILABLE, prompts.LLM_STARTING)
LIMITED = prompts.RATE_LIMITED.split("{")[0]
QUEUE_NOTICE = prompts.QUEUE_AHEAD.split("{")[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class TimedClient(ChatClient):
    """ChatClient whose events carry the time they arrived."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrived: list[tuple[float, str, dict]] = []

        @self.sio.on("*")
        async def record(event, data=None):
            self.arrived.append((time.perf_counter(), event, data if isinstance(data, dict) else {}))
            await self.events.put((event, data))


def measure(arrived: list[tuple[float, str, dict]], asked: float) -> dict:
    """Feedback, first token and total, in seconds from the question, from its timed events."""
    feedback = first = end = None
    answer = ""
    for at, event, data in arrived:
        if at < asked:
            continue
        if feedback is None and (event in ("new_message", "stream_start") and data.get("type") != "user_message"):
            feedback = at - asked
        is_answer = data.get("type") == "assistant_message" and not str(data.get("output", "")).startswith(QUEUE_NOTICE)
        if first is None and (event == "stream_token" or (event == "new_message" and is_answer and data.get("output"))):
            first = at - asked
        if event in ("new_message", "update_message") and is_answer and data.get("output"):
            answer = data["output"]
        if event == "task_end":
            end = at - asked
    return {"feedback": feedback, "first": first, "total": end, "answer": answer}


async def visitor(url: str, index: int, questions: list[str], results: list[dict]) -> None:
    headers = {"X-Forwarded-For": f"198.51.100.{index + 1}"}
    try:
        cookies = await guest_cookies(url, None, headers)
        async with TimedClient(url, cookies, headers=headers) as chat:
            await chat.started(timeout=120)
            for question in questions:
                asked = time.perf_counter()
                try:
                    await chat.ask(question, timeout=900)
                except TimeoutError:
                    results.append({"error": f"time-out: {question}"})
                    continue
                r = measure(chat.arrived, asked)
                if r["answer"].startswith(LIMITED):
                    r["limited"] = True
                elif not r["answer"] or r["answer"] in FAILED or r["first"] is None:
                    r["error"] = r["answer"][:120] or "empty answer"
                results.append(r)
    except Exception as exc:  # a refused connection: an error, never a crash of the run
        results.append({"error": f"{type(exc).__name__}: {exc}"})


async def level(url: str, n: int, single: int, offset: int) -> list[dict]:
    results: list[dict] = []
    if n == 1:
        await visitor(url, offset, [QUESTIONS[(offset + i) % len(QUESTIONS)] for i in range(single)], results)
    else:
        await asyncio.gather(*(visitor(url, offset + i, [QUESTIONS[(offset + i) % len(QUESTIONS)]], results)
                               for i in range(n)))
    return results


def start(name: str, tree: Path, scratch: Path, models: Path) -> tuple[subprocess.Popen, str, Path]:
    data = scratch / name
    (data).mkdir(parents=True)
    (data / "models").symlink_to(models)
    port = free_port()
    log = scratch / f"{name}.log"
    env = folio_env(FOLIO_DATA_DIR=str(data), PYTHONPATH=str(tree))
    out = open(log, "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "launch", "serve", "--port", str(port)], cwd=tree, env=env,
                            stdout=out, stderr=subprocess.STDOUT, text=True)
    return proc, f"http://127.0.0.1:{port}", log


def wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    try:
        wait_http(url + "/readyz", proc, timeout=900)
    except (RuntimeError, TimeoutError) as exc:
        raise SystemExit(f"{exc}\n{log.read_text()[-3000:]}") from None


def row(side: str, n: int, results: list[dict]) -> dict:
    ok = [r for r in results if "error" not in r and not r.get("limited")]
    fb = [r["feedback"] for r in results if r.get("feedback") is not None]
    first = [r["first"] for r in ok]
    total = [r["total"] for r in ok if r.get("total") is not None]
    errors = [r["error"] for r in results if "error" in r]
    stats = {"side": side, "n": n, "questions": len(results), "fb_p95": pct(fb, 95), "fb_max": max(fb, default=float("nan")),
             "first_p50": pct(first, 50), "first_p95": pct(first, 95), "total_p95": pct(total, 95),
             "errors": len(errors), "limited": sum(1 for r in results if r.get("limited")),
             "load": os.getloadavg()[0]}
    print(f"  {side:<7} {n:>3} visitors ({stats['questions']} questions): feedback p95 {stats['fb_p95']:6.2f} s "
          f"(max {stats['fb_max']:6.2f}); first token p50 {stats['first_p50']:6.1f} s, p95 {stats['first_p95']:6.1f} s; "
          f"total p95 {stats['total_p95']:6.1f} s; errors {stats['errors']}; rate-limited {stats['limited']}; "
          f"load {stats['load']:.2f}" + (f"  (first error: {errors[0]})" if errors else ""), flush=True)
    return stats


async def run(args: argparse.Namespace) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="fvis", dir="/tmp"))
    before = checkout(args.before) if args.before else None
    sides = {"after": ROOT} | ({"before": before} if before else {})
    procs: dict[str, subprocess.Popen] = {}
    urls: dict[str, str] = {}
    try:
        for name, tree in sides.items():  # one after the other: start-up is CPU-bound
            proc, url, log = start(name, tree, scratch, args.models)
            procs[name], urls[name] = proc, url
            started = time.perf_counter()
            wait_ready(proc, url, log)
            print(f"{name}: ready in {time.perf_counter() - started:.0f} s ({url})", flush=True)
            deadline = time.monotonic() + args.warm_wait
            while name == "after" and "prefix is cached in" not in log.read_text() and time.monotonic() < deadline:
                await asyncio.sleep(1)
            warm: list[dict] = []
            await visitor(url, 200, ["Hello, who are you?"], warm)
            print(f"{name}: first question after start {warm[0].get('total') or warm[0]}", flush=True)
            warmed = [line for line in log.read_text().splitlines() if "prefix is cached in" in line]
            print(f"{name}: slots warmed at start: {warmed[-1].split(' INFO ')[-1] if warmed else 'no'}", flush=True)
        print(f"\nlevels {args.levels}, sides alternating; {os.cpu_count()} cores; the default chat rate limits "
              f"(FOLIO_CHAT_VISITOR_MESSAGES 20, FOLIO_CHAT_IP_MESSAGES 60 per 600 s); each visitor its own address")
        rows = []
        for n in args.levels:
            for name in sorted(urls, reverse=n % 2 == 0):  # alternate who goes first
                rows.append(row(name, n, await level(urls[name], n, args.single, offset=10 * len(rows))))
        print(f"\nload average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min)")
        print("| visitors | side | feedback p95 / max s | first token p50 / p95 s | total p95 s | errors | rate-limited | load |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['n']} | {r['side']} | {r['fb_p95']:.2f} / {r['fb_max']:.2f} | {r['first_p50']:.1f} / "
                  f"{r['first_p95']:.1f} | {r['total_p95']:.1f} | {r['errors']} | {r['limited']} | {r['load']:.1f} |")
        single = next((r for r in rows if r["side"] == "after" and r["n"] == 1), None)
        five = next((r for r in rows if r["side"] == "after" and r["n"] == 5), None)
        if single and five:
            ratio = five["first_p95"] / single["first_p50"]
            print("goal (this checkout, 5 visitors): measured / goal")
            print(f"  first token p95 / single-visitor p50   {ratio:6.2f}x / <= 3   {'met' if ratio <= 3 else 'MISSED'}")
            print(f"  errors                                 {five['errors']:6d} / 0      "
                  f"{'met' if five['errors'] == 0 else 'MISSED'}")
            print(f"  feedback, slowest visitor              {five['fb_max']:6.2f} s / <= 1 s "
                  f"{'met' if five['fb_max'] <= 1 else 'MISSED'}")
    finally:
        for proc in procs.values():
            stop_process(proc, signal.SIGINT, timeout=30)
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"logs kept in {scratch}")
        if before is not None:
            shutil.rmtree(before, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 5, 10])
    parser.add_argument("--single", type=int, default=3, help="questions the single visitor asks in a row")
    parser.add_argument("--before", metavar="REF", help="also serve folio from this commit (e.g. main)")
    parser.add_argument("--warm-wait", type=float, default=600, help="seconds to wait for the slots' warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs")
    parser.add_argument("--models", type=Path, default=ROOT / ".data" / "models",
                        help="a data folder's models/ holding the joined model (`make run` joins it)")
    args = parser.parse_args()
    args.models = args.models.resolve()
    if not any(args.models.glob("*.gguf")):
        raise SystemExit(f"no joined model in {args.models}: run `make run` once, or pass --models")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
