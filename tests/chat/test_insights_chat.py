"""The chat's side of the insights, with the real app, real Chainlit handlers, the demo portfolio and a
scripted chat model: visitors' turns are recorded (hashed ids); the CV and a call are answered in code
(no model call), cited; "how did this week go?" shows the figures with an SVG chart and the new leads
with status buttons; "Draft an answer" on a gap opens drafting in the owner's chat, and once the draft is
published the same visitor question is answered from the data, cited."""

import json

import chainlit as cl
from sqlalchemy import text
from testkit.chainlit_log import no_chainlit_errors  # noqa: F401
from testkit.chainlit_session import chainlit_session
from testkit.owner_app import app, owner  # noqa: F401  (fixtures)
from testkit.scripted_llm import query, reply, request

from chat import handlers as chat, owner_chat
from chat.identity import visitor_user
from folio import prompts

BOOKING = "https://cal.com/maya-okafor/30min"
QUOKKA_Q = "Have you ever worked with Quokkalang?"
QUOKKA_ANSWER = "Yes: two years of Quokkalang, scripting data pipelines."


async def _ask(ui, question: str) -> str:
    await chat.on_message(cl.Message(content=question))
    return ui.messages()[-1]["output"]


async def _recorded(app) -> list[tuple]:
    async with app.state.services.db.read() as session:
        return list((await session.execute(text(
            "SELECT question, outcome, items, visitor FROM visitor_questions ORDER BY id"))).all())


async def test_cv_and_call_questions_are_answered_in_code_and_cited(app, owner, llm):
    actor, _ = owner
    await app.state.services.profile.update(actor, {"booking_url": BOOKING, "contact": "email first"})
    ui = chainlit_session(visitor_user("v-cv"))
    llm.reset()
    cv = await _ask(ui, "Can I get your résumé?")
    assert "[Maya Okafor · CV](/cv)" in cv and "(/cv.pdf)" in cv
    assert "(Sources: [Maya Okafor · CV](/cv), [Maya Okafor](/p/profile/me))" in cv
    for question in ("Can we talk?", "I'd like to schedule a call", "Are you available for a chat next week?"):
        answer = await _ask(ui, question)
        assert f"[Maya Okafor's booking page]({BOOKING})" in answer, question
        assert prompts.BOOKING_CONTACT.format(name="Maya Okafor") in answer  # the contact capture
        assert "(Sources: [Maya Okafor](/p/profile/me))" in answer
    assert llm.requests == []  # no model call at all
    rows = await _recorded(app)
    assert [(q, o) for q, o, _, _ in rows] == [("Can I get your résumé?", "data"), ("Can we talk?", "data"),
                                                ("I'd like to schedule a call", "data"),
                                                ("Are you available for a chat next week?", "data")]
    assert {v for *_, v in rows} == {app.state.services.insights.anonymous("v-cv")}  # hashed, never "v-cv"

    await app.state.services.profile.update(actor, {"cv_enabled": False, "booking_url": ""})
    llm.script(query(intent="contact"))
    off = await _ask(ui, "Can I see your CV?")
    assert "/cv" not in off and len(llm.requests) == 1  # no CV: the usual pipeline answered


async def test_the_owner_asks_how_the_week_went_and_marks_a_lead(app, owner, llm):
    actor, user = owner
    services = app.state.services
    visitor = chainlit_session(visitor_user("v-week"))
    llm.script(query(intent="greeting"))
    await _ask(visitor, "hello")
    await _ask(visitor, "Can I see your CV?")
    llm.script(query(intent="contact", name="Grace"))
    await _ask(visitor, "I'm Grace, write me at grace@example.com about a role")

    ui = chainlit_session(user)
    llm.script(request(operation="inbox"))
    await chat.on_message(cl.Message(content="how did this week go?"))
    shown = [m["output"] for m in ui.messages()]
    summary = next(m for m in shown if m.startswith("**The last 7 days**"))
    assert ("1 conversation(s) from 1 visitor(s), 3 question(s): 2 answered from the data, 0 by the model, "
            "0 not answered. Leads: 1 new, 0 replied, 0 archived.") in summary
    elements = await ui.elements(1)
    assert [(e["mime"], e["display"]) for e in elements] == [("image/svg+xml", "inline")]
    assert elements[0]["chainlitKey"]  # the chart's SVG is kept in the session's files
    lead_buttons = [a for a in ui.actions() if a["name"] == owner_chat.LEAD_STATUS]
    assert [a["label"] for a in lead_buttons] == ["Mark replied", "Mark archived"]

    await chat.change_lead(cl.Action(**lead_buttons[0]))
    assert ui.messages()[-1]["output"] == "Grace's lead is now replied."
    assert (await services.insights.insights(actor)).lead_counts["replied"] == 1
    visitor_ui = chainlit_session(visitor_user("v-forger"))  # a visitor replaying the button changes nothing
    await chat.change_lead(cl.Action(**{**lead_buttons[1]}))
    assert (await services.insights.insights(actor)).lead_counts == {"new": 0, "replied": 1, "archived": 0}
    assert not visitor_ui.messages()


async def test_a_drafted_answer_to_a_gap_makes_the_same_question_answered_and_cited(app, owner, llm):
    actor, user = owner
    services = app.state.services
    first = chainlit_session(visitor_user("v-gap"))
    llm.script(query(intent="yes_no", unknown=["Quokkalang"], search="worked with Quokkalang"))
    unanswered = await _ask(first, QUOKKA_Q)
    assert "Quokkalang" in unanswered and "/p/post/" not in unanswered
    assert (await _recorded(app))[-1][1] == "unanswered"
    gap = (await services.insights.insights(actor)).gaps[0]
    assert gap.questions == [QUOKKA_Q]

    await services.insights.brief_for(actor, gap.ids)  # the page's "Draft an answer"
    ui = chainlit_session(user)
    llm.script(reply(json.dumps({"own_experience": True, "reasons": "", "numbers": "", "problems": "", "audience": "",
                                 "skip": ""})))
    await chat.start()  # the owner's chat opens: drafting starts from the brief, by asking the owner first
    assert QUOKKA_Q in llm.requests[-1]["messages"][-1]["content"]  # the questions are the drafting's brief
    assert any("Drafting an answer to what visitors asked" in m["output"] for m in ui.messages())
    assert prompts.DRAFT_QUESTIONS["reasons"] in ui.messages()[-1]["output"]  # only the owner knows the answer
    llm.script(reply(json.dumps({"title": "Quokkalang in practice", "excerpt": "What I built with Quokkalang.",
                                 "tags": ["quokkalang"], "sections": ["Two years of Quokkalang"]})),
               reply(json.dumps({"paragraphs": ["I used Quokkalang for two years to script data pipelines."]})))
    await chat.on_message(cl.Message(content=QUOKKA_ANSWER))
    assert QUOKKA_Q in llm.requests[-2]["messages"][-1]["content"]  # the outline is written from the brief
    assert QUOKKA_ANSWER in llm.requests[-2]["messages"][-1]["content"]  # and the owner's answer
    assert owner_chat.current_draft().title == "Quokkalang in practice"
    await chat.propose_draft(cl.Action(name=owner_chat.PUBLISH_DRAFT, payload={}))
    confirm = [a for a in ui.actions() if a["name"] == owner_chat.CONFIRM][-1]
    await chat.answer_change(cl.Action(**confirm))
    post = await services.posts.get(actor, "quokkalang-in-practice")
    assert post.status == "published"
    assert not (await services.insights.insights(actor)).gaps  # covered

    later = chainlit_session(visitor_user("v-later"))
    llm.script(query(intent="yes_no", terms=["quokkalang"], search="worked with Quokkalang"))
    answered = await _ask(later, QUOKKA_Q)
    assert "[Quokkalang in practice](/p/post/quokkalang-in-practice)" in answered
    assert (await _recorded(app))[-1][1:3] == ("data", ["post:quokkalang-in-practice"])
