"""The owner's request pipeline (agent/requests) against a scripted model over HTTP and real PostgreSQL:
the model only reads the message under a grammar; code resolves the item, checks every value against the
message, merges lists, and proposes through the change service; Confirm writes exactly that. One test
per failure class of the word-rule routing it replaced."""

from testkit.portfolio import AUTHOR
import json
from datetime import date, timedelta

from testkit.scripted_llm import query, reply, request

from agent.answering import PassageFinder, Thread, make_answerer
from agent.requests import make_requests
from agent.requests.values import plus_months
from agent.turn import Final
from folio import prompts
from folio.llm import ChatEndpoint
from folio.schemas import CertificationCreate, PostCreate, ProjectUpdate
from folio.schemas_experience import ExperienceCreate
from folio.schemas_profile import ProfileIn


async def _handle(services, llm, owner, text, waiting=None):
    requests = make_requests(services, ChatEndpoint(llm.base_url, "scripted"))
    return await requests.handle(owner, text, waiting=waiting, thread_id="t")


async def _confirm(services, owner, outcome):
    assert outcome.change is not None, outcome
    return (await services.changes.confirm(owner, str(outcome.change.id), thread_id="t")).item


async def test_a_new_certification_announced_is_created_not_looked_up(portfolio, llm, owner):
    llm.script(request(operation="create", kind="certification", target="new",
                       fields={"name": "CKAD", "issuer": "CNCF", "issued_on": "3 March 2026"}))
    outcome = await _handle(portfolio, llm, owner, "I just passed the CKAD from CNCF, issued 3 March 2026!")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.name, item.issuer, str(item.issued_on), item.expires_on) == ("CKAD", "CNCF", "2026-03-03", None)


async def test_a_title_is_the_name_the_owner_gave_never_an_invented_one(portfolio, llm, owner):
    llm.script(request(operation="create", kind="project", target="new",
                       fields={"title": "Orbit: a satellite tracker for amateur radio fans", "summary": "Tracks"}))
    outcome = await _handle(portfolio, llm, owner, "add a project called Orbit")
    assert outcome.change is None and outcome.waiting is not None  # asked for the name, once
    assert "title" in outcome.text
    llm.script(request(operation="create", kind="project", target="new", fields={"title": "Orbit"}))
    outcome = await _handle(portfolio, llm, owner, "Orbit", waiting=outcome.waiting)
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.slug, item.summary, item.repo_url) == ("Orbit", "orbit", "", None)


async def test_adding_tags_keeps_the_ones_there(portfolio, llm, owner):
    llm.script(request(operation="add_values", kind="project", target="project:ferrox", list="tags",
                       values=["observability", "cli"]))
    outcome = await _handle(portfolio, llm, owner, "tag ferrox with observability and cli too")
    item = await _confirm(portfolio, owner, outcome)
    assert item.tags == ["logging", "rust", "observability", "cli"]


async def test_removing_a_tag_removes_only_it_and_a_missing_one_is_said(portfolio, llm, owner):
    llm.script(request(operation="remove_values", kind="project", target="project:glint", list="tags",
                       values=["web"]))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, "glint is not a web thing, untag it"))
    assert item.tags == ["rust"]
    llm.script(request(operation="remove_values", kind="project", target="project:glint", list="tags",
                       values=["python"]))
    outcome = await _handle(portfolio, llm, owner, "remove the python tag from glint")
    assert outcome.change is None and "has no python" in outcome.text


async def test_a_renewal_with_a_day_and_a_date_fix_named_in_passing(portfolio, llm, owner):
    llm.script(request(operation="set", kind="certification", target="certification:aws-saa",
                       fields={"expires_on": "30 June 2028"}))
    outcome = await _handle(portfolio, llm, owner, "renewed the AWS architect one, good until 30 June 2028 now")
    assert str((await _confirm(portfolio, owner, outcome)).expires_on) == "2028-06-30"
    llm.script(request(operation="set", kind="project", target="project:tide-gauge",
                       fields={"started_on": "March 2024", "repo_url": "github.com/invented/repo"}))
    outcome = await _handle(portfolio, llm, owner, "oh and tide gauge actually began in March 2024")
    item = await _confirm(portfolio, owner, outcome)
    assert (str(item.started_on), item.repo_url) == ("2024-03-01", None)  # the URL nobody said: dropped


async def test_back_to_draft_hide_and_a_casual_delete(portfolio, llm, owner):
    llm.script(request(operation="unpublish", kind="post", target="post:hnsw-in-pgvector"))
    outcome = await _handle(portfolio, llm, owner, "pull the HNSW post back into drafts for now")
    assert (await _confirm(portfolio, owner, outcome)).status == "draft"
    llm.script(request(operation="hide", kind="project", target="project:glint"))
    outcome = await _handle(portfolio, llm, owner, "hide glint but don't delete it")
    assert (await _confirm(portfolio, owner, outcome)).published is False
    llm.script(request(operation="remove_values", kind="project", target="project:tide-gauge", values=["tide gauge"]))
    outcome = await _handle(portfolio, llm, owner, "get rid of tide gauge from my projects")
    assert outcome.change.action == "delete" and outcome.change.slug == "tide-gauge"  # still only proposed
    assert (await portfolio.projects.get(owner, "tide-gauge")).slug == "tide-gauge"


async def test_a_role_said_as_title_at_organisation_and_ending_it_later(portfolio, llm, owner):
    llm.script(request(operation="create", kind="experience", target="new",
                       fields={"title": "Intern at Andela", "location": "Andela", "started_on": "June 2017",
                               "ended_on": "August 2017"}))
    outcome = await _handle(portfolio, llm, owner, "add my internship: Intern at Andela, June 2017 - August 2017")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.organisation, item.location) == ("Intern", "Andela", "")
    assert (str(item.started_on), str(item.ended_on)) == ("2017-06-01", "2017-08-01")


async def test_clearing_an_end_date(portfolio, llm, owner):
    await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Acme", title="Engineer", started_on="2020-01-01", ended_on="2021-01-01"))
    llm.script(request(operation="set", kind="experience", target="experience:engineer-acme",
                       fields={"ended_on": "null"}))
    outcome = await _handle(portfolio, llm, owner, "I'm back at Acme, clear the end date of that role")
    assert (await _confirm(portfolio, owner, outcome)).ended_on is None


async def test_an_owner_question_is_answered_from_the_data_never_as_a_tool_call(portfolio, llm, owner):
    llm.script(request(operation="question", kind="project"))
    outcome = await _handle(portfolio, llm, owner, "which of my projects are still hidden?")
    assert outcome.question and outcome.change is None
    llm.script(query(intent="list", kinds=["project"], property="hidden"))
    answerer = make_answerer(portfolio, ChatEndpoint(llm.base_url, "scripted"),
                             PassageFinder(portfolio.answers.embedder))
    [final] = [e.text async for e in answerer.answer(owner, "which of my projects are still hidden?", Thread())
               if isinstance(e, Final)]
    assert final.startswith("The portfolio shows 1 project not published") and "Secret Draft" in final
    assert "Ferrox" not in final and "{" not in final  # the owner's view, written in code


async def test_a_new_role_read_as_an_update_of_a_similar_one_is_read_again_as_a_create(portfolio, llm, owner):
    await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Northwind", title="Senior Backend Engineer", started_on="2021-01-01"))
    llm.script(request(operation="set", kind="experience", target="experience:senior-backend-engineer-northwind"),
               request(operation="create", kind="experience", target="new",
                       fields={"title": "Senior Engineer", "organisation": "Acme", "started_on": "March 2023"}))
    outcome = await _handle(portfolio, llm, owner, "new role: Senior Engineer at Acme since March 2023")
    assert llm.requests[1]["response_format"]["json_schema"]["schema"]["properties"]["operation"]["enum"] == ["create"]
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.organisation, str(item.started_on)) == ("Senior Engineer", "Acme", "2023-03-01")
    northwind = await portfolio.content("experience").get(owner, "senior-backend-engineer-northwind")
    assert northwind.ended_on is None  # the role it resembled is untouched


def _pick_reply(key):
    return reply(json.dumps({"item": key}))


def _fields_reply(**values):
    return reply(json.dumps({"fields": [{"field": k, "value": v} for k, v in values.items()]}))


async def test_a_change_read_with_no_value_is_read_again_for_that_kinds_fields_only(portfolio, llm, owner):
    badge = "https://images.example.org/badges/aws.png"
    llm.script(request(operation="set", kind="certification", target="certification:aws-saa"),  # no value
               request(operation="create", kind="certification", target="new"),  # not a new item either
               _fields_reply(badge_image_url=badge))
    outcome = await _handle(portfolio, llm, owner, f"badge image for my AWS cert: {badge}")
    grammar = llm.requests[2]["response_format"]["json_schema"]["schema"]["properties"]["fields"]
    names = grammar["items"]["properties"]["field"]["enum"]
    assert "badge_image_url" in names and "repo_url" not in names and "slug" not in names
    assert grammar["minItems"] == 1
    assert "AWS Certified Solutions Architect" in llm.requests[2]["messages"][0]["content"]  # its current values
    item = await _confirm(portfolio, owner, outcome)
    assert (item.badge_image_url, item.name) == (badge, "AWS Certified Solutions Architect")


async def test_the_second_reading_is_held_to_the_message_like_the_first(portfolio, llm, owner):
    llm.script(request(operation="set", kind="project", target="project:glint"),
               request(operation="create", kind="project", target="new"),
               _fields_reply(live_url="https://glint.invented.example"))  # a URL the owner never wrote
    outcome = await _handle(portfolio, llm, owner, "glint should have a live link")
    assert outcome.change is None and outcome.waiting is not None  # asked for the value, nothing proposed


async def test_a_create_missing_a_required_field_reads_the_kinds_fields_before_asking(portfolio, llm, owner):
    llm.script(request(operation="create", kind="project", target="new", fields={"tech": "rust, cli"}),
               _fields_reply(title="Wegweiser", tags="rust, cli"))
    outcome = await _handle(portfolio, llm, owner, "Neues Projekt: 'Wegweiser', Tags: rust, cli")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.tags, item.tech_stack) == ("Wegweiser", ["rust", "cli"], [])  # the tags, once


async def test_an_item_named_by_name_is_the_target_whatever_the_reading_says(portfolio, llm, owner):
    llm.script(request(operation="feature", kind="profile", target="none"))
    outcome = await _handle(portfolio, llm, owner, "feature glint on my homepage")
    assert (await _confirm(portfolio, owner, outcome)).featured is True
    assert (await portfolio.projects.get(owner, "glint")).slug == "glint"
    llm.script(request(operation="set", kind="post", target="post:hnsw-in-pgvector", fields={"started_on": "May 2024"}))
    outcome = await _handle(portfolio, llm, owner, "tide gauge actually started in May 2024")
    assert str((await _confirm(portfolio, owner, outcome)).started_on) == "2024-05-01"


async def test_words_to_replace_that_the_message_lacks_mean_another_reading(portfolio, llm, owner):
    llm.script(request(operation="replace_text", kind="post", target="post:hnsw-in-pgvector",
                       find="post:hnsw-in-pgvector", replace="draft"),
               request(operation="unpublish", kind="post", target="post:hnsw-in-pgvector"))
    outcome = await _handle(portfolio, llm, owner, "hnsw post -> draft please")
    ops = llm.requests[1]["response_format"]["json_schema"]["schema"]["properties"]["operation"]["enum"]
    assert "replace_text" not in ops and "unpublish" in ops
    assert (await _confirm(portfolio, owner, outcome)).status == "draft"


async def test_a_link_added_to_any_item_is_a_profile_link(portfolio, llm, owner):
    await portfolio.profile.put(owner, ProfileIn(name="Maya", headline="Backend engineer"))
    llm.script(request(operation="add_values", kind="post", target="post:hnsw-in-pgvector", list="links",
                       values=["label: Blog", "https://blog.example.org"]))
    outcome = await _handle(portfolio, llm, owner, "add my blog to my links: label Blog, https://blog.example.org")
    assert outcome.change is not None
    await portfolio.changes.confirm(owner, str(outcome.change.id), thread_id="t")
    profile = await portfolio.profile.find()
    assert {"label": "Blog", "url": "https://blog.example.org"} in [dict(link) for link in profile.links]


async def test_a_profile_link_is_removed_by_its_label(portfolio, llm, owner):
    await portfolio.profile.put(owner, ProfileIn(name="Maya", links=[
        {"label": "LinkedIn", "url": "https://linkedin.example/in/maya"}, {"label": "Blog", "url": "https://b.example"}]))
    llm.script(request(operation="set", kind="profile", find="LinkedIn"))
    outcome = await _handle(portfolio, llm, owner, "remove the LinkedIn link from my profile")
    await portfolio.changes.confirm(owner, str(outcome.change.id), thread_id="t")
    assert [link["label"] for link in (await portfolio.profile.find()).links] == ["Blog"]


async def test_values_that_dont_hold_together_are_read_again_for_the_items_fields(portfolio, llm, owner):
    await portfolio.certifications.create(AUTHOR, CertificationCreate(
        name="Data Cert", slug="data-cert", issuer="Data Org", issued_on="2020-01-01", expires_on="2023-01-01"))
    llm.script(request(operation="set", kind="certification", target="certification:data-cert",
                       fields={"expires_on": "25 March 2019"}),  # before its issue date: refused by the service
               _fields_reply(issued_on="2019-03-25"))  # the date rewritten: still the day the owner wrote
    outcome = await _handle(portfolio, llm, owner, "the data cert was actually issued on 25 March 2019")
    assert str((await _confirm(portfolio, owner, outcome)).issued_on) == "2019-03-25"


async def test_a_change_to_no_item_named_may_be_a_new_item(portfolio, llm, owner):
    llm.script(request(operation="set", kind="project", target="project:glint", fields={"repo_url": "x"}),
               _pick_reply("none"),  # shown glint beside the closest items: the message is about none of them
               request(operation="create", kind="project", target="new",
                       fields={"title": "Orbit", "repo_url": "https://github.com/me/orbit"}))
    outcome = await _handle(portfolio, llm, owner, "add Orbit to my projects, repo is https://github.com/me/orbit")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.repo_url) == ("Orbit", "https://github.com/me/orbit")
    assert (await portfolio.projects.get(owner, "glint")).repo_url is None


async def test_a_link_never_becomes_a_tag(portfolio, llm, owner):
    llm.script(request(operation="add_values", kind="project", target="project:glint",
                       values=["live_link", "https://glint.example.org"]),
               _fields_reply(live_url="https://glint.example.org"))
    outcome = await _handle(portfolio, llm, owner, "put a live link on glint: https://glint.example.org")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.live_url, item.tags) == ("https://glint.example.org", ["web", "rust"])


async def test_a_common_word_of_another_title_never_moves_a_change(portfolio, llm, owner):
    await portfolio.posts.create(AUTHOR, PostCreate(title="What the Guarantee Actually Covers", slug="guarantee",
                                                    excerpt="Kafka.", body="Kafka.", status="published"))
    llm.script(request(operation="set", kind="certification", target="certification:aws-saa",
                       fields={"issued_on": "25 March 2025"}))
    outcome = await _handle(portfolio, llm, owner, "the AWS cert was actually issued on 25 March 2025")
    assert (outcome.change.kind, outcome.change.slug) == ("certification", "aws-saa")
    llm.script(request(operation="set", kind="profile", fields={"availability": "contract work from March"}))
    outcome = await _handle(portfolio, llm, owner, "set my availability to contract work from March, glint aside")
    assert outcome.change is None or outcome.change.kind == "profile"


async def test_a_length_of_time_is_no_date_and_an_end_counts_from_the_start(portfolio, llm, owner):
    llm.script(request(operation="create", kind="certification", target="new",
                       fields={"name": "Vault Associate", "issuer": "HashiCorp", "issued_on": "yesterday",
                               "expires_on": "3 years"}))
    outcome = await _handle(portfolio, llm, owner,
                            "add my Vault Associate cert from HashiCorp, got it yesterday, good for 3 years")
    item = await _confirm(portfolio, owner, outcome)
    issued = date.today() - timedelta(days=1)
    assert (item.issued_on, item.expires_on) == (issued, plus_months(issued, 36))


async def test_a_relative_day_is_read_from_today(portfolio, llm, owner):
    llm.script(request(operation="set", kind="project", target="project:tide-gauge",
                       fields={"finished_on": "today"}))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, "tide gauge is done as of today"))
    assert item.finished_on == date.today()


async def test_a_value_inside_a_quote_is_the_whole_quote(portfolio, llm, owner):
    llm.script(request(operation="set", kind="project", target="project:glint", fields={"summary": "Markdown"}))
    outcome = await _handle(portfolio, llm, owner, 'glint summary: "Markdown in, fast static sites out"')
    assert (await _confirm(portfolio, owner, outcome)).summary == "Markdown in, fast static sites out"


async def test_a_number_fix_read_backwards_or_wider_than_the_text_still_edits_the_number(portfolio, llm, owner):
    await portfolio.projects.update(owner, "ferrox", ProjectUpdate(body="Ferrox ships 9,000 lines per second."))
    llm.script(request(operation="replace_text", kind="project", target="project:ferrox",
                       find="12,000 lines/s", replace="9,000 lines/s"))  # the two swapped, and not the text's words
    outcome = await _handle(portfolio, llm, owner, "ferrox does 12,000 lines/s these days, not 9,000 lines/s")
    assert (await _confirm(portfolio, owner, outcome)).body == "Ferrox ships 12,000 lines per second."
    llm.script(request(operation="set", kind="project", target="project:ferrox", fields={"started_on": "2020-01-01"},
                       find="12,000", replace="15,000"))  # a set with an invented date and the edit beside it
    outcome = await _handle(portfolio, llm, owner, "the ferrox text says 12,000, make it 15,000")
    assert (await _confirm(portfolio, owner, outcome)).body == "Ferrox ships 15,000 lines per second."


async def test_deleting_words_that_are_a_tag_removes_the_tag(portfolio, llm, owner):
    llm.script(request(operation="replace_text", kind="post", target="post:hnsw-in-pgvector", find="timeseries"))
    outcome = await _handle(portfolio, llm, owner, "take timeseries off the sensors project")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.slug, item.tags) == ("tide-gauge", ["iot"])


async def test_a_question_read_as_a_change_with_no_value_is_answered(portfolio, llm, owner):
    llm.script(request(operation="set", kind="certification", target="certification:aws-saa",
                       fields={"expires_on": "2024-03-01"}))  # a date the message does not hold
    outcome = await _handle(portfolio, llm, owner, "when does the AWS one lapse?")
    assert outcome.question and outcome.change is None


async def test_a_target_not_named_stands_only_when_two_signals_agree(portfolio, llm, owner):
    # Not named, but search ranks the item read first: the reading and search agree, no second look.
    llm.script(request(operation="feature", kind="project", target="project:tide-gauge"))
    outcome = await _handle(portfolio, llm, owner, "pon en portada el de los sensores costeros")
    assert (await _confirm(portfolio, owner, outcome)).featured is True
    assert len(llm.requests) == 1
    # Search ranks another item first and the second look picks neither: asked.
    llm.script(request(operation="delete", kind="project", target="project:glint"), _pick_reply("none"))
    outcome = await _handle(portfolio, llm, owner, "bin the log shipping thing")
    assert outcome.change is None and outcome.choices  # the two readings disagree: asked, nothing proposed
    assert (await portfolio.projects.get(owner, "glint")).title == "Glint"


async def test_a_second_look_that_agrees_with_search_moves_the_target(portfolio, llm, owner):
    # Read as Glint; shown Glint beside search's closest, the model picks Ferrox, which search ranks first
    # for a log shipper: two readings agree on Ferrox, so that is the change proposed (still confirmed).
    llm.script(request(operation="unfeature", kind="project", target="project:glint"), _pick_reply("project:ferrox"))
    outcome = await _handle(portfolio, llm, owner, "take the log shipping thing off my homepage")
    assert outcome.change is not None, outcome
    assert (outcome.change.slug, (await _confirm(portfolio, owner, outcome)).featured) == ("ferrox", False)
    # Nothing read as the target: the same agreement settles it; a pick that is not search's first is asked.
    llm.script(request(operation="hide", kind="project", target="none"), _pick_reply("project:ferrox"))
    outcome = await _handle(portfolio, llm, owner, "hide the log shipping thing for now")
    assert outcome.change is not None and outcome.change.slug == "ferrox"
    llm.script(request(operation="hide", kind="project", target="none"), _pick_reply("project:tide-gauge"))
    outcome = await _handle(portfolio, llm, owner, "hide the log shipping thing for now")
    assert outcome.change is None and outcome.choices


async def test_a_name_alone_is_no_new_item(portfolio, llm, owner):
    llm.script(request(operation="feature", kind="project", target="project:glint"), _pick_reply("none"),
               request(operation="create", kind="project", target="new", fields={"title": "Kelp Monitor"}))
    outcome = await _handle(portfolio, llm, owner, "I'd like the Kelp Monitor thing on my homepage")
    assert outcome.change is None
    assert [p.slug for p in (await portfolio.projects.list(owner)).items if p.slug == "kelp-monitor"] == []


async def test_a_profile_link_whose_address_was_not_read(portfolio, llm, owner):
    await portfolio.profile.put(owner, ProfileIn(name="Maya", links=[{"label": "Blog", "url": "https://b.example"}]))
    llm.script(request(operation="add_values", kind="profile", list="tags", values=["Codeberg"]))
    outcome = await _handle(portfolio, llm, owner, "add my codeberg too: https://codeberg.org/me (label Codeberg)")
    await portfolio.changes.confirm(owner, str(outcome.change.id), thread_id="t")
    assert (await portfolio.profile.find()).links == [{"label": "Blog", "url": "https://b.example"},
                                                      {"label": "Codeberg", "url": "https://codeberg.org/me"}]


async def test_replacing_a_whole_title_is_a_rename_not_a_body_edit(portfolio, llm, owner):
    llm.script(request(operation="set", kind="project", target="project:glint", find="Glint", replace="Glint Pages"))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, 'call glint "Glint Pages" from now on'))
    assert (item.title, item.body) == ("Glint Pages", "Glint renders Markdown into static sites. Rust, with incremental builds.")


async def test_list_values_that_are_sentences_mean_a_new_item(portfolio, llm, owner):
    await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Northwind", title="Senior Backend Engineer", started_on="2021-01-01", tech=["Go"]))
    llm.script(request(operation="add_values", kind="experience", target="experience:senior-backend-engineer-northwind",
                       values=["Contract Data Engineer for Helio Labs, May 2019 to June 2020", "Spark"]),
               request(operation="create", kind="experience", target="new",
                       fields={"title": "Contract Data Engineer", "organisation": "Helio Labs", "started_on": "May 2019",
                               "ended_on": "June 2020", "tech": "Spark"}))
    outcome = await _handle(portfolio, llm, owner, "before Northwind I was a Contract Data Engineer for Helio Labs, "
                                                   "May 2019 to June 2020, on Spark")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.organisation, str(item.started_on), str(item.ended_on), item.tech) == (
        "Helio Labs", "2019-05-01", "2020-06-01", ["Spark"])
    northwind = await portfolio.content("experience").get(owner, "senior-backend-engineer-northwind")
    assert northwind.tech == ["Go"]


async def test_a_number_fix_on_the_wrong_item_goes_to_the_one_whose_text_has_it(portfolio, llm, owner):
    await portfolio.projects.update(owner, "tide-gauge", ProjectUpdate(body="Tide Gauge reads 14 sensors."))
    llm.script(request(operation="set", kind="project", target="project:glint", find="16 sensors", replace="14 sensors"))
    outcome = await _handle(portfolio, llm, owner, "the coastal thing has 16 sensors now, not 14 sensors")
    item = await _confirm(portfolio, owner, outcome)
    assert (item.slug, item.body) == ("tide-gauge", "Tide Gauge reads 16 sensors.")


async def test_an_add_read_onto_an_item_with_words_for_no_list_writes_nothing(portfolio, llm, owner):
    # A new item told in passing, read as values for an item that has no such list (and not a new item on a
    # second reading): nothing is proposed, where reading it as fields to set would overwrite the item.
    llm.script(request(operation="add_values", kind="certification", target="certification:aws-saa",
                       values=["Kubernetes Application Developer, Linux Foundation"]),
               request(operation="create", kind="certification", target="new", fields={"name": "CKAD"}))
    outcome = await _handle(portfolio, llm, owner, "next to my AWS cert I also passed the Kubernetes Application "
                                                   "Developer exam (Linux Foundation) last week")
    assert outcome.change is None and outcome.text == prompts.OWNER_NOT_UNDERSTOOD
    assert (await portfolio.certifications.get(owner, "aws-saa")).name == "AWS Certified Solutions Architect"


async def test_a_draft_post_whose_fields_the_owner_wrote_is_created_as_a_draft(portfolio, llm, owner):
    llm.script(request(operation="draft_new", kind="post", target="new",
                       fields={"title": "Notes on VACUUM", "excerpt": "What autovacuum does.", "tags": "postgresql"}))
    outcome = await _handle(portfolio, llm, owner, 'new draft post "Notes on VACUUM", excerpt "What autovacuum '
                                                   'does.", tagged postgresql; keep it unpublished')
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.excerpt, item.tags, item.status) == (
        "Notes on VACUUM", "What autovacuum does.", ["postgresql"], "draft")
    # A topic alone is drafting's work: no item is proposed.
    llm.script(request(operation="draft_new", kind="post", target="new", fields={"title": "pgvector"}))
    outcome = await _handle(portfolio, llm, owner, "draft a post about pgvector")
    assert outcome.change is None and outcome.drafting == "draft_new"


async def test_a_new_items_dates_left_out_by_the_reading_are_read_again(portfolio, llm, owner):
    llm.script(request(operation="create", kind="certification", target="new",
                       fields={"name": "Certified Kubernetes Application Developer", "issuer": "CNCF",
                               "description": "Certified Kubernetes Application Developer"}),  # the name twice
               _fields_reply(issued_on="yesterday", expires_on="valid for 2 years", credential_url="https://x.invented"))
    outcome = await _handle(portfolio, llm, owner, "passed the Certified Kubernetes Application Developer exam "
                                                   "yesterday, issuer CNCF, valid for 2 years")
    item = await _confirm(portfolio, owner, outcome)
    issued = date.today() - timedelta(days=1)
    assert (item.issued_on, item.expires_on) == (issued, plus_months(issued, 24))
    assert item.credential_url is None and item.description in (None, "")  # never written / the name again


async def test_a_job_pointed_at_by_time_is_found_from_the_dates(portfolio, llm, owner):
    """"The job I have now" names no job: the relation is read under a grammar and the job found in code
    (the one without an end date; the earliest; the last one that ended), whatever the first reading said."""
    for org, title, start, end in (("Kelpworks", "Developer", "2015-01-01", "2018-06-01"),
                                   ("Harbour", "Data Engineer", "2018-07-01", "2022-02-01"),
                                   ("Lumen", "Staff Engineer", "2022-03-01", None)):
        await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
            organisation=org, title=title, started_on=start, ended_on=end))
    for relation, slug in (("current_job", "staff-engineer-lumen"), ("first_job", "developer-kelpworks"),
                           ("previous_job", "data-engineer-harbour")):
        llm.script(request(operation="add_values", kind="experience", target="experience:developer-kelpworks",
                           list="tech", values=["Grafana"]),
                   request(operation="create", kind="experience", target="new"),  # no new role in it
                   reply(json.dumps({"which": relation})))
        outcome = await _handle(portfolio, llm, owner, "add Grafana to the tech of that job")
        assert outcome.change is not None and outcome.change.slug == slug, (relation, outcome)
        assert llm.requests[-1]["response_format"]["json_schema"]["name"] == "owner_which_role"
        await portfolio.changes.cancel(owner, outcome.change.id)
    # Named by its company: the reading stands, nothing more is asked.
    llm.script(request(operation="add_values", kind="experience", target="experience:data-engineer-harbour",
                       list="tech", values=["Grafana"]))
    n = len(llm.requests)
    outcome = await _handle(portfolio, llm, owner, "add Grafana to the tech of my Harbour job")
    assert outcome.change.slug == "data-engineer-harbour" and len(llm.requests) == n + 1


async def test_a_post_to_write_is_drafted_not_created_from_a_made_up_title(portfolio, llm, owner):
    # Read as a create with no title the message gives: the owner asks for writing.
    llm.script(request(operation="create", kind="post", target="new"))
    outcome = await _handle(portfolio, llm, owner, "I dropped Redis from my stack last year, help me write that up")
    assert outcome.drafting == "draft_new" and outcome.change is None
    # A title the model made up from a long message (most of its words are in it) is not a title given.
    llm.script(request(operation="draft_new", kind="post", target="new",
                       fields={"title": "Dropping Redis From My Stack", "excerpt": "Why I dropped Redis last year"}))
    outcome = await _handle(portfolio, llm, owner, "Last year I dropped Redis from my stack: the cache was one more "
                                                   "thing to run. Write a post about why I dropped Redis last year?")
    assert outcome.drafting == "draft_new" and outcome.change is None
    # A title written as such, with an excerpt: that post is created (as a draft, confirmed first).
    llm.script(request(operation="draft_new", kind="post", target="new",
                       fields={"title": "Dropping Redis", "excerpt": "One less thing to run."}))
    outcome = await _handle(portfolio, llm, owner, 'new draft post "Dropping Redis", excerpt: One less thing to run.')
    assert outcome.change is not None and (await _confirm(portfolio, owner, outcome)).title == "Dropping Redis"


async def test_two_lists_read_the_same_are_read_again_apart(portfolio, llm, owner):
    message = "new project Pier: tags cli, aws. Stack Rust, clap"
    llm.script(request(operation="create", kind="project", target="new",
                       fields={"title": "Pier", "tags": "cli, aws", "tech": "cli, aws"}),  # the tags copied
               _fields_reply(tags="cli, aws", tech_stack="Rust, clap"))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, message))
    assert (item.tags, item.tech_stack) == (["cli", "aws"], ["Rust", "clap"])
    # Read the same again: kept as read (nothing better to go on), never emptied.
    llm.script(request(operation="create", kind="project", target="new",
                       fields={"title": "Quay", "tags": "cli", "tech": "cli"}), _fields_reply(tags="cli"))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, "new project Quay, cli"))
    assert (item.tags, item.tech_stack) == (["cli"], ["cli"])


async def test_a_whole_new_role_read_as_a_change_of_an_unnamed_one_is_created(portfolio, llm, owner):
    await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Lumen", title="Staff Engineer", started_on="2022-03-01", summary="Platform work."))
    message = ("next to my job I taught in the evenings: add Guest Lecturer at Tallinn University, "
               "February to May 2024, summary: a course on stream processing")
    llm.script(request(operation="set", kind="experience", target="experience:staff-engineer-lumen",
                       fields={"summary": "a course on stream processing"}),
               request(operation="create", kind="experience", target="new",
                       fields={"title": "Guest Lecturer", "organisation": "Tallinn University",
                               "started_on": "February 2024", "ended_on": "May 2024",
                               "summary": "a course on stream processing"}))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, message))
    assert (item.title, item.organisation, str(item.started_on), str(item.ended_on)) == (
        "Guest Lecturer", "Tallinn University", "2024-02-01", "2024-05-01")
    assert (await portfolio.content("experience").get(owner, "staff-engineer-lumen")).summary == "Platform work."


async def test_a_new_role_told_beside_a_named_one_is_created_not_added_to_it(portfolio, llm, owner):
    await portfolio.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Lumen", title="Staff Engineer", started_on="2022-03-01", tech=["Go"]))
    message = ("before Lumen I contracted for a while: Contract Developer at Brightside, March to "
               "October 2021, mostly Go and gRPC. Please put that in my work history")
    llm.script(request(operation="add_values", kind="experience", target="experience:staff-engineer-lumen",
                       list="tech", values=["Go", "gRPC"]),
               request(operation="create", kind="experience", target="new",
                       fields={"title": "Contract Developer", "organisation": "Brightside",
                               "started_on": "March 2021", "ended_on": "October 2021"},
                       list="tech", values=["Go", "gRPC"]))
    item = await _confirm(portfolio, owner, await _handle(portfolio, llm, owner, message))
    assert (item.title, item.organisation, str(item.started_on), str(item.ended_on), item.tech) == (
        "Contract Developer", "Brightside", "2021-03-01", "2021-10-01", ["Go", "gRPC"])
    assert (await portfolio.content("experience").get(owner, "staff-engineer-lumen")).tech == ["Go"]
    # Values added to a named role with no dates in the message: no second reading, the values are added.
    llm.script(request(operation="add_values", kind="experience", target="experience:staff-engineer-lumen",
                       list="tech", values=["gRPC"]))
    n = len(llm.requests)
    outcome = await _handle(portfolio, llm, owner, "add gRPC to the tech of my Lumen role")
    assert outcome.change is not None and outcome.change.slug == "staff-engineer-lumen" and len(llm.requests) == n + 1


def test_a_rewritten_date_counts_when_the_message_names_it_or_its_month_for_a_role():
    from agent.requests.values import as_date

    today = date(2026, 12, 7)
    message = "Harbour job: finished end of November, please close that role"
    assert as_date("end of November", message, today, month=True) == date(2026, 11, 1)
    assert as_date("2026-11-30", message, today, month=True) == date(2026, 11, 1)  # that month, rewritten
    assert as_date("2026-10-31", message, today, month=True) is None  # a month the message doesn't name
    assert as_date("2026-11-30", message, today) is None  # a day: only one the message names
    assert as_date("2029-03-03", "renewed it, valid till 3 March 2029 now", today) == date(2029, 3, 3)
    # A short word a date parser reads as a day ("to") is no date the owner wrote.
    assert as_date("2026-12-03", "Add a new role to my history: Engineer at Acme, since March 2021", today,
                   month=True) is None


async def test_a_new_post_is_published_at_once_only_when_the_status_reading_says_so(portfolio, llm, owner):
    message = 'new post "Hello again", body: Back to writing after a year. Put it live today'
    fields = {"title": "Hello again", "body": "Back to writing after a year."}
    llm.script(request(operation="create", kind="post", target="new", fields=fields),
               _fields_reply(),  # the links and dates the reading left out: none
               reply(json.dumps({"asks": "a post, public now", "status": "publish_now"})))
    outcome = await _handle(portfolio, llm, owner, message)
    assert llm.requests[-1]["response_format"]["json_schema"]["name"] == "post_status"
    item = await _confirm(portfolio, owner, outcome)
    assert (item.title, item.status) == ("Hello again", "published") and item.published_at is not None
    # Not asked (or the reading fails): a draft.
    llm.script(request(operation="create", kind="post", target="new", fields={**fields, "title": "Quiet one"}),
               _fields_reply(), reply("not json"))
    outcome = await _handle(portfolio, llm, owner, 'new post "Quiet one", body: Back to writing after a year.')
    assert (await _confirm(portfolio, owner, outcome)).status == "draft"

    # Read as "publish" a new post whose fields the message gives: that post is created, then published.
    llm.script(request(operation="publish", kind="post", target="new", fields={**fields, "title": "Third"}),
               _fields_reply(), reply(json.dumps({"asks": "a post, published now", "status": "publish_now"})))
    outcome = await _handle(portfolio, llm, owner, 'publish a new post "Third", body: Back to writing after a year.')
    assert (await _confirm(portfolio, owner, outcome)).status == "published"


def test_a_role_said_with_its_organisation_in_the_title_is_split_in_any_language():
    from agent.requests.pipeline import _split_role

    for title, split in (("Senior Engineer at Acme", ("Senior Engineer", "Acme")),
                         ("Contract Developer for Brightside", ("Contract Developer", "Brightside")),
                         ("Head of Data for Payments at Acme", ("Head of Data for Payments", "Acme")),
                         ("Ingeniera de datos en Mercado Libre", ("Ingeniera de datos", "Mercado Libre")),
                         ("Entwicklerin bei Zalando", ("Entwicklerin", "Zalando"))):
        fields = _split_role("experience", {"title": title})
        assert (fields["title"], fields["organisation"]) == split
    assert _split_role("experience", {"title": "Backend Developer"}) == {"title": "Backend Developer"}
    assert _split_role("experience", {"title": "Dev at X", "organisation": "Y"})["title"] == "Dev at X"  # given


def test_list_values_written_only_inside_a_quoted_text_are_not_taken():
    from agent.requests.values import as_list

    message = 'add Mentor at Codebar, 2024, summary "Ran weekly evening sessions on Django and htmx."'
    assert as_list(["Django", "htmx"], message) == []  # words of the quoted summary
    assert as_list(["rust", "cli"], 'new project Pier, tags "rust" and "cli"') == ["rust", "cli"]  # quoted values
    assert as_list(["Django"], 'stack: Django. summary "Built it with Django and care."') == ["Django"]
