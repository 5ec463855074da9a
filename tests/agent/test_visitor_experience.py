"""Visitors' work-history questions are answered from the roles, in code, citing their pages; the real
agent, tools, search and PostgreSQL run against a scripted model that is never asked."""

import re
from datetime import date

from testkit.agent import AgentDriver

from folio.services.seed import load_demo

LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
ROLES = load_demo()["experience"]
PAGES = {f"/p/experience/{r['slug']}" for r in ROLES}
CURRENT = next(r for r in ROLES if r["ended_on"] is None)


def pages(answer: str) -> set[str]:
    return {url for _, url in LINK.findall(answer)}


async def test_where_have_you_worked_lists_every_role(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    for question in ("Where have you worked?", "What's your work history?"):
        turn = await driver.turn(question)
        assert turn.answer.startswith("The work history shows 3 roles:"), turn.answer
        assert pages(turn.answer) == PAGES
        assert turn.answer.index(CURRENT["organisation"]) < turn.answer.index("Kanso Labs")  # current first
    now = await driver.turn("Where does she work now?")
    assert now.answer.startswith(f"Currently: [{CURRENT['title']} at {CURRENT['organisation']}]")
    assert pages(now.answer) == {f"/p/experience/{CURRENT['slug']}"}
    assert llm.requests == []  # answered from the data: the model was never asked


async def test_years_of_a_technology_are_counted_in_code(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    python = await driver.turn("How many years of Python?")
    years = (date.today().year * 12 + date.today().month - (2018 * 12 + 9) + 1) / 12  # Sep 2018 - now, no gaps
    assert python.answer.startswith(f"About {int(years + 0.5)} years of Python (2018–now, at "), python.answer
    assert pages(python.answer) == PAGES
    rust = await driver.turn("How long has he worked with Rust?")
    assert "(2023–now, at Northwind Freight)" in rust.answer
    assert pages(rust.answer) == {f"/p/experience/{CURRENT['slug']}"}
    cobol = await driver.turn("How many years of COBOL?")
    assert cobol.answer == "The work history doesn't show COBOL." and not pages(cobol.answer)
    assert llm.requests == []


async def test_worked_at_yes_and_no(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    yes = await driver.turn("Have you worked at Bluefin Analytics?")
    assert yes.answer.startswith("Yes: the work history shows Bluefin Analytics:")
    assert pages(yes.answer) == {"/p/experience/data-engineer-bluefin"}
    no = await driver.turn("Has she worked at Google?")
    assert no.answer == "The work history doesn't show Google."
    assert llm.requests == []


async def test_the_demo_seed_creates_the_roles_once(demo_services, visitor):
    from folio.services.seed import seed_demo

    listed = await demo_services.content("experience").list(visitor)
    assert [r.slug for r in listed.items] == [r["slug"] for r in ROLES]  # current first, then newest
    assert listed.items[0].ended_on is None and listed.items[0].started_on == date.fromisoformat(CURRENT["started_on"])
    again = await seed_demo(demo_services)
    assert again["experience"] == 0 and (await demo_services.content("experience").list(visitor)).total == 3


async def test_roles_are_called_roles_in_lists_and_yes_no_answers(demo_services, llm):
    driver = AgentDriver(demo_services, llm.base_url)
    listed = await driver.turn("List the roles")
    assert listed.answer.startswith("The portfolio shows 3 roles:"), listed.answer
    assert "- the role [Senior Backend Engineer at Northwind Freight](/p/experience/" in listed.answer
    kafka = await driver.turn("Have you worked with Kafka Streams?")
    assert "- the role [Data Engineer at Bluefin Analytics](/p/experience/data-engineer-bluefin)" in kafka.answer
    assert llm.requests == []


async def test_reindex_keeps_the_roles_chunks(demo_services, visitor):
    """`folio reindex` removes chunks of items that no longer exist: the roles' table is one it checks."""
    report = await demo_services.indexer.reindex(demo_services.db)
    assert report.orphans_removed == 0 and report.items == 30  # 29 demo items and the profile
    found = await demo_services.search.search(visitor, "exactly-once Kafka Streams point-of-sale", kind="experience")
    assert found and found[0].slug == "data-engineer-bluefin"
