"""Visitors' questions about the owner are answered from the profile, in code, citing its page; the
real agent, tools, search and PostgreSQL run against a scripted model that is never asked."""

import re

from sqlalchemy import text
from testkit.agent import AgentDriver

from folio.services.seed import load_demo, seed_demo

LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
OWNER = load_demo()["owner"]


def pages(answer: str) -> set[str]:
    return {url for _, url in LINK.findall(answer)}


async def test_tell_me_about_yourself_cites_the_profile(demo_services, llm):
    for question in ("Tell me about yourself", "Who is the developer?", "who are you?"):
        turn = await AgentDriver(demo_services, llm.base_url).turn(question)
        assert OWNER["name"] in turn.answer and OWNER["headline"] in turn.answer, question
        assert "Lisbon" in turn.answer
        assert "/p/profile/me" in pages(turn.answer), turn.answer
    assert llm.requests == []  # answered from the data: the model was never asked


async def test_open_to_work_and_location_come_from_the_profile(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    work = await driver.turn("Is she open to work?")
    assert work.answer.startswith(f"Yes: {OWNER['name']} is open to work ({OWNER['availability']}).")
    assert "/p/profile/me" in pages(work.answer)
    based = await driver.turn("Where is he based?")
    assert based.answer.startswith(f"{OWNER['name']} is based in {OWNER['location']}.")
    await demo_services.profile.update(_owner(), {"open_to_work": False, "availability": ""})
    again = await driver.turn("Is she open to work?")
    assert again.answer.startswith(f"{OWNER['name']}'s profile doesn't say they are open to work")
    assert llm.requests == []


async def test_without_a_profile_the_answer_says_so(demo_services, llm):
    async with demo_services.db.unit_of_work() as session:
        await session.execute(text("DELETE FROM profiles"))
    turn = await AgentDriver(demo_services, llm.base_url).turn("Tell me about yourself")
    assert "hasn't written a profile" in turn.answer and OWNER["name"] not in turn.answer
    assert llm.requests == []


async def test_questions_about_items_are_not_taken_for_the_owner(demo_services, llm):
    from folio.services.profile_answers import profile_aspect
    assert profile_aspect("Tell me about Ferrox") is None
    assert profile_aspect("tell me about them") is None  # a follow-up about listed items
    assert profile_aspect("Which projects use Rust?") is None


async def test_the_demo_seed_creates_the_profile_once(demo_services):
    profile = await demo_services.profile.find()
    assert profile.name == OWNER["name"] and profile.links == OWNER["links"] and profile.open_to_work
    await demo_services.profile.update(_owner(), {"headline": "Changed by the owner"})
    counts = await seed_demo(demo_services)
    assert counts["profile"] == 0  # present: left alone
    assert (await demo_services.profile.find()).headline == "Changed by the owner"
    hits = await demo_services.search.search(_owner(), "Lisbon remote backend data platform roles", limit=5)
    assert any(h.type == "profile" and h.url == "/api/v1/profile" for h in hits)


def _owner():
    from folio.actor import Actor
    return Actor(email="owner@example.com", is_owner=True)


async def test_the_welcome_names_the_owner(demo_services):
    from folio import prompts
    welcome = await demo_services.profile.welcome(prompts.WELCOME_VISITOR)
    assert welcome == (f"This is the portfolio of **{OWNER['name']}**, {OWNER['headline']}.\n\n"
                       + prompts.WELCOME_VISITOR)
    async with demo_services.db.unit_of_work() as session:
        await session.execute(text("DELETE FROM profiles"))
    assert await demo_services.profile.welcome(prompts.WELCOME_VISITOR) == prompts.WELCOME_VISITOR
