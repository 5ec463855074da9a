"""Drafting posts: streamed JSON read as it arrives, the text checks every draft passes (no metadata
lines, no repeats, no cut-off sentence, a title that is a title), claims marked for review, checked
edits against a scripted model (only the parts named change), and change previews."""

import json
import uuid

from testkit.scripted_llm import reply

from agent.drafting import make_drafter
from agent.drafting.clean import Seen, blocks, clean_paragraphs, clean_title, finish, has_metadata, looping
from agent.drafting.partial_json import partial_json
from agent.drafting.review import unsupported
from agent.drafting.revise import fit
from agent.drafting.view import draft_view
from agent.drafting.write import outline_text
from folio import prompts
from folio.llm import ChatEndpoint
from folio.services.changes import FieldChange, ProposedChange
from folio.services.drafts import Draft, Section
from tools.previews import render_change, summarize_change


def test_streamed_json_is_read_as_it_grows():
    text = json.dumps({"title": "Why I left", "tags": ["a", "b"], "paragraphs": ["One. Two \"quoted\".", "Three"]})
    seen = [partial_json(text[:n]) for n in range(len(text) + 1)]
    assert seen[0] is None and seen[-1] == json.loads(text)
    titles = [v.get("title", "") for v in seen if isinstance(v, dict)]
    assert all(b.startswith(a) for a, b in zip(titles, titles[1:]))  # a string only grows
    assert partial_json('{"paragraphs": ["Half a sent') == {"paragraphs": ["Half a sent"]}
    assert partial_json('{"title": "A\\') == {"title": "A"}  # an escape cut in half waits
    assert partial_json('{"title": "A", "ok": tr') == {"title": "A"}
    assert partial_json('```json\n{"a": [1, {"b": "c"') == {"a": [1, {"b": "c"}]}


def test_the_outline_streams_as_text_that_only_grows():
    final = {"title": "Why I left", "excerpt": "A move.", "tags": ["a"], "sections": ["Reasons", "Costs", "Tip"]}
    text = json.dumps(final)
    done = outline_text(final, complete=True)
    shown = [outline_text(v, complete=False) for v in (partial_json(text[:n]) for n in range(len(text)))
             if isinstance(v, dict)]
    assert done == "# Why I left\n\n" + prompts.DRAFT_OUTLINE_SHOWN.format(outline="Reasons · Costs · Tip")
    assert all(done.startswith(s) for s in shown) and shown[-1] != ""  # the chat can stream every state


def test_paragraphs_lose_metadata_repeats_and_cut_off_sentences():
    seen = Seen()
    first = clean_paragraphs(["Tags: postgres, search\nI moved my projects to Postgres. Joins were the reason.",
                              "## Excerpt: a post"], seen)
    assert first == ["I moved my projects to Postgres. Joins were the reason."]
    later = clean_paragraphs(["I moved my projects to Postgres. Joins were the reason.",  # said before
                              "Backups got simpler. Backups got simpler. One dump covers everything.",
                              "In conclusion, I've decided to move my side projects from"], seen, cut_off=True)
    assert later == ["Backups got simpler. One dump covers everything."]
    assert finish("A complete thought that lacks its stop", cut_off=False) == "A complete thought that lacks its stop."
    assert finish("- one\n- two\n- thr", cut_off=True) == "- one\n- two"
    assert finish("```sql\nSELECT 1;\n```", cut_off=False) == "```sql\nSELECT 1;\n```"
    assert has_metadata("Body.\n**Tags:** a, b") and not has_metadata("The tags: they matter.")
    assert looping("I like it a lot. It is fast. I like it a lot.")
    assert not looping("I like it a lot. It is fast and simple.")


def test_a_code_block_with_blank_lines_is_one_block():
    code = "```python\nimport oban\n\n# a comment, not a heading\nclass Check:\n    pass\n```"
    assert blocks(f"First paragraph.\n\n{code}\n\nLast one.") == ["First paragraph.", code, "Last one."]
    assert blocks("````md\n```\n\nnested\n```\n````") == ["````md\n```\n\nnested\n```\n````"]


async def test_shorter_keeps_a_code_example_whole(llm):
    draft = _draft()
    code = "```python\nimport oban\n\n# the overdue check\nclass Check:\n    pass\n```"
    long = ("The migration took two whole weekends of careful work. Dates broke in three places because the old "
            "store kept local times. Every report had to be checked again by hand before the switch.")
    draft.sections[1] = Section("What went wrong", f"{long}\n\n{code}")
    short = "The migration took two weekends, and dates broke."
    llm.script(_edits(("shorter", "What went wrong", "")), reply(json.dumps({"paragraphs": [short]})))
    revision = await _drafter(llm).revise(draft, "make the what went wrong part shorter")
    assert revision.draft.sections[1].text == f"{short}\n\n{code}"
    assert "# the overdue check" not in llm.requests[-1]["messages"][-1]["content"]  # code is not prose to rewrite


def test_a_title_is_never_the_instruction():
    assert clean_title("Draft a blog post about why I moved my side projects to Postgres") == \
        "Why I moved my side projects to Postgres"
    assert clean_title("**Title: Moving to Postgres.**") == "Moving to Postgres"
    assert clean_title("# Write a short post on exclusion constraints") == "Exclusion constraints"


def test_claims_the_owner_did_not_make_are_marked_for_review():
    draft = Draft("Leaving Mongo", [Section("Why", "I moved Heartbeat to PostgreSQL because joins hurt. "
                                                  "It supports Python, Java and Node.js. It cut costs by 30%. "
                                                  "Queries were 4 times faster.")],
                  facts="Owner's request: why I moved heartbeat to postgresql; joins hurt, queries 4 times faster")
    assert unsupported(draft) == ["It supports Python, Java and Node.js.", "It cut costs by 30%."]
    view = draft_view("banner", draft)
    assert prompts.DRAFT_CLAIMS_REVIEW.split("{")[0] in view and "> It cut costs by 30%." in view
    assert "Tags:" not in view.split("---", 1)[1].split("\n\n", 2)[2]  # the body under the fields line


def test_shorter_backstop_drops_whole_sentences_only():
    sections = [Section("A", "One two three. Four five six. Seven eight nine."), Section("B", "Ten eleven.")]
    fit(sections, [0, 1], 6)
    assert sections[0].text == "One two three." and sections[1].text == "Ten eleven."


def _draft() -> Draft:
    return Draft("Moving to Postgres", [
        Section("Why I moved", "Joins were the reason. I had three services."),
        Section("What went wrong", "The migration took two weekends. Dates broke."),
        Section("Wrapping up", "I would do it again.")], excerpt="Why I moved.", tags=["postgres"],
        facts="Owner's request: why I moved to postgres. Joins. A 10% pay cut. Two weekends.")


def _drafter(llm):
    return make_drafter(None, ChatEndpoint(llm.base_url, "scripted"))


def _edits(*edits):
    return reply(json.dumps({"edits": [dict(zip(("action", "section", "value"), e)) for e in edits]}))


async def test_a_title_change_is_set_in_code_and_nothing_else_moves(llm):
    draft = _draft()
    llm.script(_edits(("title", "whole post", "Postgres for everything")))
    revision = await _drafter(llm).revise(draft, 'change the title to "Postgres for everything"')
    assert revision.draft.title == "Postgres for everything" and revision.draft.version == 2
    assert revision.draft.sections == draft.sections and revision.done == [
        prompts.DRAFT_DONE_TITLE.format(title="Postgres for everything")]
    assert len(llm.requests) == 1 and llm.requests[0]["response_format"]["json_schema"]["name"] == "draft_edits"
    assert "What went wrong" in json.dumps(llm.requests[0]["response_format"])  # the headings are the grammar's


async def test_end_with_replaces_the_closing_section_and_is_checked(llm):
    draft = _draft()
    llm.script(_edits(("end_with", "new section", "one practical tip")),
               reply(json.dumps({"heading": "One practical tip", "paragraphs": [
                   "Move one service first. Keep the old database read-only for a week."]})))
    revision = await _drafter(llm).revise(draft, "end with one practical tip")
    new = revision.draft
    assert [s.heading for s in new.sections] == ["Why I moved", "What went wrong", "One practical tip"]
    assert new.sections[:2] == draft.sections[:2]  # only the named part changed
    assert "## One practical tip" in new.body and revision.failed == []


async def test_shorter_rewrites_each_section_to_its_share(llm):
    draft = _draft()
    long = " ".join(["Joins were the reason and the only reason that mattered to me."] * 1)
    draft.sections[0] = Section("Why I moved", f"{long} I had three services. Each had its own store. "
                                               "Keeping them in sync took hours every week.")
    before = sum(len(s.text.split()) for s in draft.sections)
    llm.script(_edits(("shorter", "whole post", "")),
               *[reply(json.dumps({"paragraphs": [text]})) for text in
                 ("Joins were the reason.", "The move took two weekends.", "I would do it again.")])
    revision = await _drafter(llm).revise(draft, "make it shorter")
    after = sum(len(s.text.split()) for s in revision.draft.sections)
    assert after <= int(before * 0.6) and revision.done[0].startswith("✓ Shorter")
    assert all(r["response_format"]["json_schema"]["name"] == "post_section" for r in llm.requests[1:])
    assert "Joins were the reason and the only reason" in llm.requests[1]["messages"][-1]["content"]


async def test_leave_out_drops_every_sentence_that_says_it_and_the_fact_behind_it(llm):
    draft = _draft()
    draft.sections[1] = Section("What went wrong", "I took a 10% pay cut. The migration took two weekends.")
    llm.script(_edits(("leave_out", "whole post", "the pay cut")))
    revision = await _drafter(llm).revise(draft, "don't mention the pay cut")
    assert revision.draft.sections[1].text == "The migration took two weekends."
    assert "10%" not in revision.draft.facts and "pay cut" not in revision.draft.facts
    assert revision.draft.sections[0] == draft.sections[0]


async def test_shorter_read_beside_an_addition_is_done_last_against_the_version_revised(llm):
    long = "This sentence carries ten words about the move we made. " * 3
    headings = ("Why I moved", "What broke", "Wrapping up")
    draft = Draft("Moving to Postgres", [Section(h, long.strip()) for h in headings],
                  excerpt="Why I moved.", tags=["postgres"], facts="Owner's request: why I moved to postgres.")
    before = sum(len(s.text.split()) for s in draft.sections)
    llm.script(_edits(("shorter", "whole post", ""), ("add_section", "new section", "a tip")),
               reply(json.dumps({"heading": "A tip", "paragraphs": [
                   "Move one service first, and keep the old database read-only for a whole week after."]})),
               *[reply(json.dumps({"paragraphs": [text]})) for text in
                 ("Joins across three stores were the reason I moved.", "Dates broke twice during the move itself.",
                  "Move one service first and keep the old one readable.", "I would make the same move again.")])
    revision = await _drafter(llm).revise(draft, "trim it and add a tip")
    assert [s.heading for s in revision.draft.sections][-2] == "A tip"
    assert sum(len(s.text.split()) for s in revision.draft.sections) <= int(before * 0.6)


async def test_an_edit_read_twice_is_done_once(llm):
    code = {"language": "sql", "code": "SELECT add_compression_policy('readings', INTERVAL '30 days');"}
    llm.script(_edits(("add_code", "What went wrong", "the policy"), ("add_code", "What went wrong", "the policy")),
               reply(json.dumps(code)), reply(json.dumps(code)))
    revision = await _drafter(llm).revise(_draft(), "add a code block with the compression policy")
    assert revision.draft.body.count("add_compression_policy") == 1 and len(llm.requests) == 2


async def test_a_reading_cut_at_its_token_budget_is_no_reading(llm):
    llm.script(reply('{"edits": [{"action": "shor', finish_reason="length"),
               *[reply(json.dumps({"paragraphs": [text]})) for text in
                 ("Joins were the reason.", "The move took two weekends.", "I would do it again.")])
    revision = await _drafter(llm).revise(_draft(), "tighten it up")  # read as a rewrite of the whole post
    assert revision.draft is not None and revision.draft.version == 2


async def test_a_section_cut_at_its_token_budget_keeps_its_finished_sentences(llm):
    draft = _draft()
    cut = '{"paragraphs": ["Joins were the reason. I had three services and each had its own sto'
    llm.script(_edits(("simpler", "Why I moved", "")), reply(cut, finish_reason="length"))
    revision = await _drafter(llm).revise(draft, "make the first part simpler")
    assert revision.draft.sections[0].text == "Joins were the reason."  # the cut sentence is dropped
    assert revision.draft.sections[1:] == draft.sections[1:]


async def test_undo_is_read_without_writing_anything(llm):
    revision = await _drafter(llm).revise(_draft(), "undo")
    assert revision.undo and llm.requests == []


def _change(**kw) -> ProposedChange:
    return ProposedChange(id=uuid.uuid4(), kind=kw.pop("kind", "post"), action=kw.pop("action"),
                          slug=kw.pop("slug", "hnsw"), title=kw.pop("title", "HNSW"), **kw)


def test_preview_shows_every_field_of_a_create_and_what_a_delete_loses():
    create = render_change(_change(action="create", kind="project", slug="tide-gauge", title="Tide Gauge",
                                   fields={"title": "Tide Gauge", "tech_stack": ["Python", "TimescaleDB"],
                                           "repo_url": None, "featured": False, "body": "line1\nline2"}))
    assert "**Create project** “Tide Gauge” · `tide-gauge`" in create
    assert "| tech_stack | Python, TimescaleDB |" in create and "| repo_url | — |" in create
    assert "| featured | no |" in create and "```markdown\nline1\nline2\n```" in create
    delete = render_change(_change(action="delete", fields={"title": "HNSW", "tags": ["a|b"]}))
    assert "cannot be undone" in delete and "| tags | a\\|b |" in delete


def test_preview_of_an_update_is_a_field_by_field_diff():
    change = _change(action="update", diff=[FieldChange("title", "Postgres tunning", "Postgres tuning"),
                                            FieldChange("body", "a\nb\nc", "a\nB\nc")])
    text = render_change(change)
    assert "2 fields change" in text
    assert "| title | Postgres tunning | Postgres tuning |" in text
    assert "> a ~~b~~ **B** c" in text  # changed words highlighted in context, as text that wraps
    summary = summarize_change(change)
    assert "NOT saved yet" in summary and "Confirm" in summary


def test_a_draft_round_trips_through_the_session_and_old_drafts_still_load():
    draft = _draft()
    assert Draft.from_dict(draft.to_dict()) == draft
    old = Draft.from_dict({"title": "Old", "body": "Body text.", "version": 3})
    assert (old.body, old.version) == ("Body text.", 3)
    assert Draft.from_dict(None) is None and Draft.from_dict({"title": ""}) is None


async def test_an_outline_with_no_sections_is_asked_for_once_more(llm):
    from agent.drafting.write import write_post

    writer = _drafter(llm).writer
    llm.script(reply(json.dumps({"title": "Why I moved", "excerpt": "", "tags": [], "sections": []})),
               reply(json.dumps({"title": "Why I moved", "excerpt": "One database was enough for my projects.",
                                 "tags": ["postgres"], "sections": ["The reason"]})),
               reply(json.dumps({"paragraphs": ["Joins were the reason I moved."]})))
    draft = await write_post(writer, "a post about why I moved", "", [])
    assert draft is not None and draft.title == "Why I moved"
    assert draft.body == "## The reason\n\nJoins were the reason I moved."
    # Twice nothing usable: no draft (the chat says so and keeps the owner's answers).
    llm.script(reply("not json"), reply(json.dumps({"title": "", "excerpt": "", "tags": [], "sections": ["A"]})))
    assert await write_post(writer, "a post about why I moved", "", []) is None
