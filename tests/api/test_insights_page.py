"""/owner/insights: only the owner (Bearer token or the session cookie of /owner/login) sees it; its
figures are the database's; its charts are inline SVG with no script and no outside URL; its forms change
a lead's status and turn a gap into a brief for the owner's chat, same-origin only."""

import re

import pytest
from sqlalchemy import text
from testkit.api import MEMBER_EMAIL, MEMBER_PASSWORD, OWNER_EMAIL, OWNER_PASSWORD, client_for

from folio.services.inbox import Origin


@pytest.fixture
async def recorded(app):
    ins = app.state.services.insights
    for n, (q, outcome) in enumerate([("Do you write Rust?", "data"), ("Which Rust crates do you like?", "data"),
                                      ("¿Usas Rust?", "model"), ("Do you know Haskell?", "unanswered"),
                                      ("Have you written Haskell code?", "unanswered"), ("hi", "ignored")]):
        await ins.record(q, Origin(f"t{n % 3}", f"v{n % 2}"), outcome, ["project:glint"] if outcome != "unanswered" else [])
    lead = await app.state.services.inbox.leave_contact("Grace <b>H</b>", "grace@example.com", "Let's talk",
                                                        Origin("t1", "v1"))
    return lead


def _figure(html: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}"><b>(\d+)</b>', html).group(1))


async def test_visitors_and_other_accounts_are_refused(anon, member_client, recorded):
    r = await anon.get("/owner/insights")
    assert r.status_code == 401 and "Owner only" in r.text and "Do you know Haskell" not in r.text
    assert (await member_client.get("/owner/insights")).status_code == 403
    async with client_for(anon._transport.app, token="not-a-token") as forged:
        assert (await forged.get("/owner/insights")).status_code == 401
    assert (await anon.post(f"/owner/insights/leads/{recorded.id}", data={"status": "archived"})).status_code == 401
    assert (await anon.post("/owner/insights/gaps", data={"q": "1"})).status_code == 401
    r = await anon.post("/owner/login", data={"email": MEMBER_EMAIL, "password": MEMBER_PASSWORD})
    assert r.status_code == 403 and "folio_session" not in r.headers.get("set-cookie", "")


async def test_the_owner_sees_the_databases_figures_and_svg_charts(app, owner_client, recorded):
    r = await owner_client.get("/owner/insights")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    html = r.text
    async with app.state.services.db.read() as session:
        row = (await session.execute(text(
            "SELECT count(DISTINCT conversation), count(DISTINCT visitor), count(*), "
            "count(*) FILTER (WHERE outcome = 'data'), count(*) FILTER (WHERE outcome = 'model'), "
            "count(*) FILTER (WHERE outcome = 'unanswered') FROM visitor_questions"))).one()
    names = ("conversations", "visitors", "questions", "from_data", "by_model", "unanswered")
    assert tuple(_figure(html, n) for n in names) == tuple(row) == (3, 2, 6, 2, 1, 2)
    assert _figure(html, "new_leads") == 1
    assert html.count("<svg") == 3 and "<script" not in html
    assert set(re.findall(r'(?:src|href)="(https?:[^"]+)"', html)) == set()  # nothing loaded from outside
    assert "script-src" not in r.headers["content-security-policy"]
    assert "«Do you know Haskell?»" in html and "Draft an answer" in html
    assert "Grace &lt;b&gt;H&lt;/b&gt;" in html  # visitors' words escaped
    assert "t1" not in re.findall(r">([^<]+)<", html)  # no raw ids


async def test_a_leads_status_changes_from_the_page(app, owner_client, accounts, recorded):
    r = await owner_client.post(f"/owner/insights/leads/{recorded.id}", data={"status": "replied"})
    assert r.status_code == 303 and r.headers["location"] == "/owner/insights?notice=lead"
    page = (await owner_client.get(r.headers["location"])).text
    assert 'data-status="replied"' in page and "The lead&#x27;s status is changed." in page
    assert (await owner_client.post(f"/owner/insights/leads/{recorded.id}", data={"status": "bogus"})).status_code == 422
    assert (await owner_client.post("/owner/insights/leads/nope", data={"status": "archived"})).status_code == 404
    foreign = await owner_client.post(f"/owner/insights/leads/{recorded.id}", data={"status": "archived"},
                                      headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    leads = (await app.state.services.insights.insights(accounts.owner)).leads
    assert leads[0].status == "replied"


async def test_login_form_then_draft_an_answer_hands_a_brief_to_the_chat(app, anon, accounts, recorded):
    r = await anon.post("/owner/login", data={"email": OWNER_EMAIL, "password": "wrong"})
    assert r.status_code == 401 and "Owner login" in r.text
    r = await anon.post("/owner/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/owner/insights"
    page = (await anon.get("/owner/insights")).text  # the session cookie is kept by the client
    ids = re.findall(r'name="q" value="(\d+)"', page)
    assert len(ids) == 2
    r = await anon.post("/owner/insights/gaps", data={"q": ids})
    assert r.status_code == 303 and r.headers["location"] == "/login"  # the owner's chat
    assert "Draft an answer" not in (await anon.get("/owner/insights")).text  # the gap is being covered
    brief = await app.state.services.insights.take_brief(accounts.owner)
    assert brief is not None and "- Do you know Haskell?" in brief and "- Have you written Haskell code?" in brief
    assert (await anon.post("/owner/insights/gaps", data={"q": "x"})).status_code == 422
