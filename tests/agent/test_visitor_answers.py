"""The failures of issue #10, each against the demo portfolio and a scripted model that misbehaves the
way Qwen2.5-Coder-1.5B did: claiming experience nothing supports, copying the previous answer, listing
every result, naming 1 of 6 certifications. The real agent, tools, search and PostgreSQL run."""

import re

from langgraph.checkpoint.memory import InMemorySaver
from testkit.agent import AgentDriver
from testkit.scripted_llm import failure, reply

from folio import prompts
from folio.actor import Actor
from folio.services.seed import load_demo

LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def pages(answer: str) -> set[str]:
    return {url for _, url in LINK.findall(answer)}


async def test_a_claim_of_experience_nothing_supports_becomes_doesnt_show_plus_what_is_close(demo_services, llm):
    llm.script(reply("Yes, I have experience with Kubernetes operators written in Go."))
    turn = await AgentDriver(demo_services, llm.base_url).turn(
        "Do you have experience with Kubernetes operators written in Go?")
    assert turn.answer.startswith("The portfolio doesn't show experience with Kubernetes operators written in Go.")
    assert "Yes" not in turn.answer and "I have" not in turn.answer
    assert llm.requests == []  # answered from the data: the model was never asked
    # What is close is offered as such (never as support): the CKA first, at most two items.
    assert "/p/certification/certified-kubernetes-administrator" in pages(turn.answer)
    assert len(pages(turn.answer)) <= 2 and "The closest items are:" in turn.answer
    # close means sharing a word of the subject (Kubernetes, Go): not the GCP data engineering certificate
    assert pages(turn.answer) <= {"/p/certification/certified-kubernetes-administrator", "/p/project/pgdrift"}


async def test_a_supported_experience_question_names_the_items_that_show_it(demo_services, llm):
    turn = await AgentDriver(demo_services, llm.base_url).turn("Have you worked with Kubernetes?")
    assert turn.answer.startswith(prompts.EXPERIENCE_SHOWN.format(subject="Kubernetes"))
    assert "/p/certification/certified-kubernetes-administrator" in pages(turn.answer)
    assert llm.requests == []


async def test_is_she_certified_is_answered_from_the_certifications_with_the_source(demo_services, llm):
    """Seen in a browser with the embedded model: "Is she AWS certified?" got a bare "Yes" with no source."""
    driver = AgentDriver(demo_services, llm.base_url)
    turn = await driver.turn("Is she AWS certified?")
    assert turn.answer.startswith(prompts.EXPERIENCE_SHOWN.format(subject="AWS"))
    assert pages(turn.answer) == {"/p/certification/aws-solutions-architect-associate"}  # not Keystone
    missing = await driver.turn("Is she certified in Rust?")  # Rust projects exist, no Rust certification
    assert missing.answer.startswith(prompts.KIND_NOT_SHOWN.format(kind="certification", subject="Rust"))
    vague = await driver.turn("has she done anything with kubernetes")
    assert vague.answer.startswith(prompts.EXPERIENCE_SHOWN.format(subject="kubernetes"))
    assert llm.requests == []


async def test_and_is_it_follow_up_asks_about_the_item_just_named(demo_services, llm):
    """Seen in a browser: "and is it open source?" after an answer about Ferrox was answered about Lookalike."""
    driver = AgentDriver(demo_services, llm.base_url, checkpointer=InMemorySaver())
    llm.script(reply("The project Ferrox is written in Rust."))
    await driver.turn("what is ferrox written in?")
    llm.script(reply("The project Ferrox has a public repository."))
    follow = await driver.turn("and is it open source?")
    assert follow.events[0].args == {"query": "and is the project Ferrox open source?"}
    assert pages(follow.answer) == {"/p/project/ferrox"}


async def test_latest_usual_topics_and_a_short_know_question_are_answered_from_the_data(demo_services, llm):
    """Seen in a browser with the embedded model: "what's the most recent blog post?" named a project,
    "what does she usually write about?" one post, "does she know go?" was refused as off-topic."""
    driver = AgentDriver(demo_services, llm.base_url)
    latest = await driver.turn("what's the most recent blog post?")
    assert latest.answer.startswith(prompts.LATEST_HEAD.format(kind="post"))
    assert pages(latest.answer) == {"/p/post/opentelemetry-tracing-python-rust"}
    usual = await driver.turn("What does she usually write about?")
    assert len({p for p in pages(usual.answer) if p.startswith("/p/post/")}) == 7  # every published post (1 draft)
    built = await driver.turn("What has she built for observability?")  # no project; a post is tagged so
    assert "/p/post/opentelemetry-tracing-python-rust" in pages(built.answer)
    learning = await driver.turn("any experience with machine learning?")  # Lookalike is tagged machine-learning
    assert "/p/project/lookalike" in pages(learning.answer)
    go = await driver.turn("does she know go?")
    assert go.answer.startswith(prompts.EXPERIENCE_SHOWN.format(subject="go"))
    assert "/p/project/pgdrift" in pages(go.answer)
    assert llm.requests == []


async def test_an_answer_naming_no_item_still_cites_it_and_the_follow_up_knows_it(demo_services, llm):
    """Seen in a browser: the model answered "Rust" (no item named, so no source), and the follow-up
    "and is it open source?" then had nothing to refer to."""
    driver = AgentDriver(demo_services, llm.base_url, checkpointer=InMemorySaver())
    llm.script(reply("Rust."))
    first = await driver.turn("what is ferrox written in?")
    assert first.answer.startswith("Rust.")
    assert pages(first.answer) == {"/p/project/ferrox"}
    follow = await driver.turn("and is it open source?")  # its links, from the data
    assert follow.events[0].args == {"query": "and is the project Ferrox open source?"}
    assert pages(follow.answer) == {"/p/project/ferrox"} and "github.com" in follow.answer


async def test_an_unsupported_claim_the_model_adds_to_a_good_answer_is_dropped(demo_services, llm):
    llm.script(reply("The project Ferrox is a Rust HTTP load tester that reports latency percentiles. "
                     "The developer also has years of experience writing Kubernetes operators in Haskell."))
    turn = await AgentDriver(demo_services, llm.base_url).turn("Tell me about Ferrox")
    assert turn.answer == ("The project [Ferrox](/p/project/ferrox) is a Rust HTTP load tester that reports "
                           "latency percentiles.")


async def test_a_model_copying_the_previous_answer_is_corrected_and_never_sees_it(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url, checkpointer=InMemorySaver())  # the thread remembers
    llm.script(reply("The project Canopy streams readings from 140 ESP32 sensors over MQTT into TimescaleDB."))
    first = await driver.turn("Tell me about Canopy")
    assert "ESP32" in first.answer
    llm.script(reply("The project Glint streams readings from 140 ESP32 sensors over MQTT into TimescaleDB."))
    second = await driver.turn("Tell me about Glint")
    glint = (await demo_services.projects.get(Actor(), "glint")).summary
    assert second.answer == f"The project [Glint](/p/project/glint): {glint}"
    asked = llm.requests[1]["messages"]
    assert [m["role"] for m in asked] == ["system", "user", "assistant", "tool"]  # this turn only
    assert not any("ESP32" in (m.get("content") or "") or "Canopy" in (m.get("content") or "") for m in asked)


async def test_a_model_listing_every_result_keeps_only_the_items_that_answer(demo_services, llm):
    llm.script(reply("The project Docsift does hybrid semantic search over runbooks with PostgreSQL and pgvector. "
                     "Other projects are Ferrox, Glint, Canopy and Ledgerline. The post about HNSW indexes is "
                     "related too."))
    turn = await AgentDriver(demo_services, llm.base_url).turn("Tell me about Docsift")
    assert turn.answer == ("The project [Docsift](/p/project/docsift) does hybrid semantic search over runbooks "
                           "with PostgreSQL and pgvector.")


async def test_list_questions_are_answered_completely_from_the_data(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    certs = await driver.turn("What certifications do you hold?")
    expected = {f"/p/certification/{c['slug']}" for c in load_demo()["certifications"]}
    assert pages(certs.answer) == expected and len(expected) == 6
    assert certs.answer.startswith("The portfolio shows 6 certifications:")
    assert "expired 2024-03-15" in certs.answer  # the CCDAK, with its dates
    rust = await driver.turn("What has this developer built with Rust?")
    assert pages(rust.answer) == {"/p/project/ferrox", "/p/project/glint"}  # not Ledgerline, not a post
    assert all(line.startswith("- the project ") for line in rust.answer.splitlines()[1:])
    written = await driver.turn("What has been written about PostgreSQL?")
    assert pages(written.answer) == {"/p/post/postgres-index-tuning-explain-analyze",
                                     "/p/post/pgvector-hnsw-index-tuning"}
    assert all(line.startswith("- the post ") for line in written.answer.splitlines()[1:])
    assert llm.requests == []  # no model call for any of them


async def test_a_follow_up_is_searched_standalone_and_answered_from_fresh_results(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url, checkpointer=InMemorySaver())
    llm.script(reply("The project Ferrox is a Rust HTTP load tester."))
    await driver.turn("Tell me about Ferrox")
    llm.script(reply("The project Ferrox is built with Rust, Tokio, hyper, rustls and HdrHistogram."))
    follow = await driver.turn("What is it built with?")
    assert follow.events[0].args == {"query": "What is the project Ferrox built with?"}
    asked = llm.requests[1]["messages"]
    assert [m["role"] for m in asked] == ["system", "user", "assistant", "tool"]
    assert asked[1]["content"] == "What is the project Ferrox built with?"  # the standalone question
    assert not any("HTTP load tester." in (m.get("content") or "") for m in asked[:2])  # not the old answer
    assert follow.answer.startswith("The project [Ferrox](/p/project/ferrox) is built with Rust, Tokio")


async def test_when_the_model_fails_the_visitor_gets_the_matched_items(demo_services, llm):
    llm.script(failure(503), failure(503))
    turn = await AgentDriver(demo_services, llm.base_url).turn("Tell me about Docsift")
    assert turn.answer.startswith(prompts.MODEL_DOWN_NOTE)
    assert "/p/project/docsift" in pages(turn.answer) and "Hybrid semantic search" in turn.answer


async def test_i_dont_know_gets_no_sources_and_off_topic_no_model_call(demo_services, llm):
    llm.script(reply("I don't know."))
    turn = await AgentDriver(demo_services, llm.base_url).turn("Tell me about Ferrox")
    assert "don't know" not in turn.answer and "Sources" not in turn.answer  # the item itself instead
    assert turn.answer.startswith(prompts.FOUND_HEAD) and "/p/project/ferrox" in pages(turn.answer)
    off = await AgentDriver(demo_services, llm.base_url).turn("What is the capital of France?")
    assert off.answer == prompts.OFF_TOPIC_ANSWER and pages(off.answer) == set()
    assert len(llm.requests) == 1


async def test_with_the_embedded_model_the_answering_call_is_the_items_and_the_standalone_question(demo_services,
                                                                                                   llm):
    driver = AgentDriver(demo_services, llm.base_url, llm_tool_rounds=0, checkpointer=InMemorySaver())
    llm.script(reply("The project Glint is a terminal UI for structured logs."))
    await driver.turn("Tell me about Glint")
    llm.script(reply("The project Glint is built with Rust and ratatui."))
    await driver.turn("What is it built with?")
    second = llm.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user"] and "tools" not in llm.requests[1]
    assert second[1]["content"].startswith("Search results:\nPortfolio results for")
    assert second[1]["content"].endswith("Question: What is the project Glint built with?")
    assert "terminal UI for structured logs." not in second[1]["content"]  # the earlier answer is not evidence
