"""The answering pipeline (agent/answering) against a scripted model over HTTP, real PostgreSQL and the
real embedding model: the model only reads the question into a query (a grammar-constrained call);
code executes it over the data; another language is phrased by the model and checked. One test per
failure class of the word-rule answers it replaced."""

import json
from datetime import date, timedelta

import pytest
from testkit.portfolio import AUTHOR
from testkit.scripted_llm import failure, query, reply

from agent.answering import PassageFinder, Thread, make_answerer
from agent.answering.check import RepetitionGuard, check
from agent.answering.facts import Facts
from agent.answering.passages import supported
from agent.turn import Final, ToolStart
from folio.actor import VISITOR
from folio.services.catalogue import Record
from folio.llm import ChatEndpoint
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate, ProjectUpdate
from folio.schemas_experience import ExperienceCreate
from folio.schemas_profile import ProfileIn

TODAY = date.today()
LONG_BODY = "\n\n".join([
    "Vector search in PostgreSQL starts with choosing an index.",
    *(f"Paragraph {i} discusses unrelated background about storage engines and page layouts." for i in range(12)),
    "For HNSW we recommend setting ef_search to 120 for recall above 0.98 on our corpus.",
    "Finally, vacuum regularly.",
])


@pytest.fixture
async def rich(portfolio):
    """The sample portfolio plus two roles, a second certification (expired) and a long post."""
    s = portfolio
    await s.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Acme", title="Backend Engineer", started_on="2019-01-01", ended_on="2020-12-01",
        tech=["Python", "Django"]))
    await s.content("experience").create(AUTHOR, ExperienceCreate(
        organisation="Initech", title="Senior Engineer", started_on="2020-06-01", tech=["Rust", "Kafka"]))
    await s.certifications.create(AUTHOR, CertificationCreate(
        name="Old Cloud Cert", slug="old-cloud", issuer="Cloud Org", issued_on="2018-01-01",
        expires_on="2021-01-01"))
    await s.certifications.create(AUTHOR, CertificationCreate(
        name="Valid Data Cert", slug="valid-data", issuer="Data Org", issued_on=str(TODAY - timedelta(days=30)),
        expires_on=str(TODAY + timedelta(days=700))))
    await s.posts.create(AUTHOR, PostCreate(title="Tuning pgvector", slug="tuning-pgvector",
                                            excerpt="How to tune vector search.", body=LONG_BODY, status="published"))
    return s


async def _ask(services, llm, question, thread=None, actor=VISITOR):
    answerer = make_answerer(services, ChatEndpoint(llm.base_url, "scripted"), PassageFinder(services.answers.embedder))
    thread = thread if thread is not None else Thread()
    events = [e async for e in answerer.answer(actor, question, thread)]
    assert isinstance(events[0], ToolStart)  # visible feedback before any model call finished
    [final] = [e for e in events if isinstance(e, Final)]
    return final.text, thread


async def test_a_missing_technology_is_said_in_plain_grammar_with_what_is_closest(rich, llm):
    llm.script(query(intent="yes_no", unknown=["Angular"], search="Angular experience"))
    text, thread = await _ask(rich, llm, "what's her experience with angular for big frontends at scale?")
    assert text.startswith("The portfolio doesn't show Angular.")
    assert "at scale" not in text.split("\n")[0]  # nothing of the question pasted into a template
    assert not thread.answered


async def test_a_role_listing_the_technology_is_a_yes_whatever_else_the_question_says(rich, llm):
    llm.script(query(intent="yes_no", kinds=["experience"], terms=["django"], search="Django experience"))
    text, _ = await _ask(rich, llm, "Has she worked with Django in production for a client?")
    assert text.startswith("Yes: the portfolio shows Django in:")
    assert "Backend Engineer at Acme (role)" in text


async def test_a_or_b_is_any_and_a_and_b_is_all(rich, llm):
    llm.script(query(intent="list", kinds=["project"], terms=["python", "rust"], match="any"))
    text, _ = await _ask(rich, llm, "Which projects use Python or Rust?")
    assert "The portfolio shows 3 projects" in text
    assert all(t in text for t in ("Ferrox", "Glint", "Tide Gauge")) and "Secret Draft" not in text
    llm.script(query(intent="list", kinds=["project"], terms=["python", "rust"], match="all"))
    text, _ = await _ask(rich, llm, "Which projects use Python and Rust together?")
    assert text.startswith("The portfolio doesn't show any projects with Python and Rust.")
    # A kind the question never names is the model's guess: every kind with the term is listed.
    llm.script(query(intent="list", kinds=["experience"], terms=["rust"]))
    text, _ = await _ask(rich, llm, "walk me through her Rust work")
    assert all(t in text for t in ("Ferrox", "Glint", "Senior Engineer at Initech"))


async def test_a_list_by_a_property_is_complete_and_a_follow_up_keeps_to_the_list(rich, llm):
    llm.script(query(intent="list", kinds=["certification"]))
    text, thread = await _ask(rich, llm, "Which certifications does she hold?")
    assert "The portfolio shows 3 certifications" in text
    # "which of those are still valid?": over the earlier list, by date; the valid one is never "expired".
    llm.script(query(intent="list", kinds=["certification"], items=["certification:old-cloud"], property="valid_now"))
    text, thread = await _ask(rich, llm, "and which of those are still valid?", thread)
    assert "Valid Data Cert" in text and "Old Cloud Cert" not in text
    assert "expired" not in text.split("(Sources")[0]
    sent = llm.requests[-1]["messages"][-1]["content"]
    assert "certification:old-cloud (Old Cloud Cert)" in sent and "Designing distributed" not in sent
    # "what did she do there?" about the one item of the thread: a description, not a one-line list
    llm.script(query(intent="list", kinds=["certification"], items=["certification:valid-data"]),
               reply(json.dumps({"asks": "about_the_item"})))
    text, thread = await _ask(rich, llm, "what does that one cover?", thread)
    assert text.startswith("Valid Data Cert (certification)") and "The portfolio shows" not in text
    # "which project is most like Glint?" read as a list of Glint: asked again, answered by similarity
    llm.script(query(intent="list", kinds=["project"], items=["project:glint"]),
               reply(json.dumps({"asks": "items_like_it"})))
    text, _ = await _ask(rich, llm, "quel projet ressemble le plus à Glint ?")
    assert "Ferrox" in text and "Tide Gauge" not in text.split("(Sources")[0]


async def test_time_questions_are_answered_from_the_dates(rich, llm):
    llm.script(query(intent="when", year=2020))
    text, _ = await _ask(rich, llm, "What was she working on in 2020?")
    assert text.startswith("In 2020 the portfolio shows:")
    assert "Backend Engineer at Acme" in text and "Senior Engineer at Initech" in text
    llm.script(query(intent="duration", kinds=["experience"]))
    text, _ = await _ask(rich, llm, "How many years of experience does she have in total?")
    months = (TODAY.year - 2019) * 12 + TODAY.month - 1  # Jan 2019 to this month, the overlap counted once
    assert f"({months} months)" in text or f"{months // 12} years" in text


async def test_a_month_narrows_a_year_to_what_was_going_on_that_month(rich, llm):
    llm.script(query(intent="when", year=2020, month=9))
    text, _ = await _ask(rich, llm, "what was she doing in September 2020?")
    assert text.startswith("In September 2020 the portfolio shows:")
    assert "Senior Engineer at Initech" in text and "Backend Engineer at Acme" in text  # both ran then
    llm.script(query(intent="list", kinds=["experience"], year=2020, month=3))
    text, _ = await _ask(rich, llm, "which jobs did she hold in March 2020?")
    assert "Backend Engineer at Acme" in text and "Initech" not in text  # Initech began in June


async def test_a_bare_how_many_is_asked_again_and_a_number_in_a_text_is_quoted(rich, llm):
    llm.script(query(intent="count", kinds=["post"], search="recommended ef_search value"),
               reply(json.dumps({"asks": "number_in_text"})))
    text, _ = await _ask(rich, llm, "how many ef_search does Tuning pgvector recommend?")
    assert "ef_search to 120" in text and "The portfolio shows" not in text
    assert llm.requests[1]["response_format"]["json_schema"]["schema"]["properties"]["asks"]["enum"][:3] == [
        "how_many_items", "number_in_text", "length_of_time"]
    llm.script(query(intent="count", kinds=["experience"]), reply(json.dumps({"asks": "length_of_time"})))
    text, _ = await _ask(rich, llm, "how many years has she worked?")
    assert text.startswith("In total about")
    llm.script(query(intent="count", kinds=["certification"]), reply(json.dumps({"asks": "how_many_items"})))
    text, _ = await _ask(rich, llm, "how many certs?")
    assert text.startswith("The portfolio shows 3 certifications.")
    llm.script(query(intent="count", kinds=["certification"]), reply(json.dumps({"asks": "oldest"})))
    text, _ = await _ask(rich, llm, "which cert came first?")
    assert text.startswith("By start date, the oldest is Old Cloud Cert (certification)")
    llm.script(query(intent="count", kinds=["certification"], property="valid_now"),
               reply(json.dumps({"asks": "how_many_items"})))  # a filtered count is settled too
    text, _ = await _ask(rich, llm, "how many valid certs?")
    assert text.startswith("The portfolio shows 2 certifications valid today.")
    llm.script(query(intent="count", kinds=["certification"], property="valid_now"),
               reply(json.dumps({"asks": "oldest"})))
    text, _ = await _ask(rich, llm, "of the valid certs, which did she get first?")
    assert text.startswith("By start date, the oldest is") and "Old Cloud Cert" not in text.split("\n")[0]


async def test_how_long_about_an_item_is_its_dates_or_a_time_in_its_text(rich, llm):
    await rich.projects.create(AUTHOR, ProjectCreate(
        title="Nightly Ledger", slug="nightly-ledger", summary="Reconciles payments.", started_on="2023-03-01",
        finished_on="2023-08-01", body="Built over a summer.\n\nThe nightly reconciliation run takes 12 minutes "
                                      "on a single worker."))
    llm.script(query(intent="duration", items=["project:nightly-ledger"], search="nightly run time"),
               reply(json.dumps({"asks": "time_in_text"})))
    text, _ = await _ask(rich, llm, "how long does the Nightly Ledger nightly run take?")
    assert "12 minutes" in text
    llm.script(query(intent="duration", items=["project:nightly-ledger"]),
               reply(json.dumps({"asks": "how_long_it_lasted"})))
    text, _ = await _ask(rich, llm, "how long did Nightly Ledger take to build?")
    assert text.startswith("Nightly Ledger (project): 1 March 2023 to 1 August 2023 (5 months)")


async def test_finished_items_are_those_whose_end_has_come(rich, llm):
    await rich.projects.create(AUTHOR, ProjectCreate(
        title="Nightly Ledger", slug="nightly-ledger", summary="Reconciles payments.", started_on="2023-03-01",
        finished_on="2023-08-01"))
    await rich.projects.create(AUTHOR, ProjectCreate(
        title="Kelp Monitor", slug="kelp-monitor", summary="Watches kelp forests.", started_on="2024-03-01"))
    llm.script(query(intent="list", kinds=["project"], property="finished"))
    text, _ = await _ask(rich, llm, "which projects has she wrapped up?")
    assert "Nightly Ledger" in text and "Kelp Monitor" not in text
    llm.script(query(intent="list", kinds=["project"], property="current"))
    text, _ = await _ask(rich, llm, "and which are still going?")
    assert "Kelp Monitor" in text and "Nightly Ledger" not in text


async def test_an_order_read_with_one_guessed_item_is_a_superlative(rich, llm):
    llm.script(query(intent="describe", kinds=["certification"], items=["certification:old-cloud"], order="newest"))
    text, _ = await _ask(rich, llm, "what's the latest cert she got?")
    assert text.startswith("By start date, the newest is") and "Old Cloud Cert" not in text.split("\n")[0]


async def test_comparisons_and_superlatives_name_the_winner_with_its_value(rich, llm):
    llm.script(query(intent="compare", items=["experience:backend-engineer-acme", "experience:senior-engineer-initech"],
                     order="longest"))
    text, _ = await _ask(rich, llm, "Which job lasted longer, Acme or Initech?")
    assert text.startswith("By length, the longest is Senior Engineer at Initech (role)")
    llm.script(query(intent="compare", kinds=["certification"], order="oldest"))
    text, _ = await _ask(rich, llm, "what's her oldest cert?")
    assert text.startswith("By start date, the oldest is Old Cloud Cert (certification)")


async def test_a_detail_is_quoted_from_the_whole_text_not_the_excerpt(rich, llm):
    llm.script(query(intent="detail", items=["post:tuning-pgvector"], search="recommended ef_search"),
               reply(json.dumps({"asks": "written_in_its_text"})))
    text, _ = await _ask(rich, llm, "What ef_search value does the tuning post recommend?")
    assert "ef_search to 120" in text  # the 15th paragraph, far past any excerpt
    assert "[Tuning pgvector](/p/post/tuning-pgvector)" in text
    # a detail the item's text never speaks of: not answered with its unrelated passages
    llm.script(query(intent="detail", items=["post:tuning-pgvector"], search="GitHub stars of the tuning post"),
               reply(json.dumps({"asks": "written_in_its_text"})))
    text, thread = await _ask(rich, llm, "How many GitHub stars does the tuning post have?")
    assert text.startswith("The portfolio doesn't show that.") and "ef_search" not in text
    assert not thread.answered


async def test_another_language_is_phrased_by_the_model_and_checked_not_replaced_by_english(rich, llm):
    spanish = "Los proyectos en Rust son Ferrox y Glint. Además tiene 7 proyectos secretos en Go."
    llm.script(query(intent="list", kinds=["project"], terms=["rust"], language="es"), reply(spanish))
    text, _ = await _ask(rich, llm, "¿Qué proyectos usan Rust?")
    assert text.startswith("Los proyectos en Rust son Ferrox y Glint.")
    assert "7 proyectos" not in text  # a number the facts don't hold: the sentence is dropped
    assert "Spanish" in llm.requests[-1]["messages"][0]["content"]


async def test_a_phrased_detail_answer_without_the_value_is_followed_by_the_passage(rich, llm):
    await rich.projects.create(AUTHOR, ProjectCreate(
        title="Nightly Ledger", slug="nightly-ledger", summary="Reconciles payments.",
        body="Built over a summer.\n\nThe nightly reconciliation run takes 12 minutes on a single worker."))
    vague = "La ejecución nocturna de Nightly Ledger tarda poco en un solo worker."
    llm.script(query(intent="detail", items=["project:nightly-ledger"], language="es", search="nightly run time"),
               reply(json.dumps({"asks": "written_in_its_text"})), reply(vague))
    text, _ = await _ask(rich, llm, "¿Cuánto tarda la ejecución nocturna de Nightly Ledger?")
    assert text.startswith(vague) and "> The nightly reconciliation run takes 12 minutes" in text
    said = "La ejecución nocturna de Nightly Ledger tarda 12 minutos."
    llm.script(query(intent="detail", items=["project:nightly-ledger"], language="es", search="nightly run time"),
               reply(json.dumps({"asks": "written_in_its_text"})), reply(said))
    text, _ = await _ask(rich, llm, "¿Cuánto tarda la ejecución nocturna de Nightly Ledger?")
    assert text.startswith(said) and "> " not in text  # the value stated: nothing added


async def test_a_looping_model_is_stopped_and_the_answer_keeps_every_listed_item(rich, llm):
    loop = "Ferrox es un proyecto. " + "Es muy rápido y es muy bueno y es muy rápido. " * 40
    llm.script(query(intent="list", kinds=["project"], terms=["rust"], language="es"), reply(loop, chunk_size=2))
    text, _ = await _ask(rich, llm, "¿Qué proyectos usan Rust?")
    assert text.count("muy rápido") <= 3
    assert "Glint" in text  # a listed item the model dropped is added back


async def test_a_name_the_portfolio_never_writes_is_not_shown_never_everything(rich, llm):
    llm.script(query(intent="list", kinds=["project"], search="Tell about Halcyon, the offline weather tool"))
    text, thread = await _ask(rich, llm, "What can you tell me about Halcyon, her offline weather tool?")
    first = text.split("\n")[0]
    assert first.startswith("The portfolio doesn't show") and "Halcyon" in first and not thread.answered
    assert "Secret Draft" not in text and text.count("(project)") <= 3  # the closest few, not every project


async def test_an_unknown_subject_the_profile_holds_is_answered_from_the_profile(rich, llm):
    await rich.profile.put(AUTHOR, ProfileIn(name="Maya Okafor", links=[
        {"label": "LinkedIn", "url": "https://www.linkedin.com/in/maya-demo"}]))
    llm.script(query(intent="yes_no", unknown=["linkedin"], search="linkedin"))
    text, _ = await _ask(rich, llm, "linkedin?")
    assert "https://www.linkedin.com/in/maya-demo" in text and "doesn't show" not in text
    # The developer's own name is no unknown subject: "what did Maya build?" lists the projects.
    llm.script(query(intent="list", kinds=["project"], search="What Maya built"))
    text, _ = await _ask(rich, llm, "what did Maya build?")
    assert "Ferrox" in text and "doesn't show" not in text


async def test_a_phrased_yes_names_what_it_rests_on(rich, llm):
    llm.script(query(intent="yes_no", terms=["kafka"], language="fr", search="Kafka experience"),
               reply("Oui, elle a déjà travaillé avec Kafka."))
    text, _ = await _ask(rich, llm, "A-t-elle déjà travaillé avec Kafka ?")
    assert text.startswith("Oui, elle a déjà travaillé avec Kafka.") and "Initech" in text.split("(Sources")[0]


async def test_how_many_about_one_named_item_is_a_number_in_its_text(rich, llm):
    llm.script(query(intent="count", items=["project:glint"], terms=["rust"], search="GitHub stars of Glint"))
    text, _ = await _ask(rich, llm, "how many github stars does Glint have?")
    assert text.startswith("The portfolio doesn't show that.") and "The portfolio shows" not in text


def test_passages_support_a_question_when_they_speak_of_its_subject():
    canopy = Record(kind="project", slug="canopy", title="Canopy", values={"summary": "Greenhouse sensors."})
    alert = ["Growers get an alert when any bed stays below 4 °C for ten minutes."]
    assert supported("temperature alert for the growers", canopy, alert)  # the answer in other words
    assert not supported("GitHub stars", canopy, alert)  # nothing of what is asked
    assert supported("Canopy", canopy, alert)  # the item itself: its passages are about it


def test_the_repetition_guard_and_the_check_alone():
    guard = RepetitionGuard()
    assert not any(guard.feed(w + " ") for w in "one two three four five six seven".split())
    assert any(guard.feed(w + " ") for w in ("a b c d e f " * 3).split())
    facts = Facts(["The portfolio shows 2 projects:"], extra_terms=[])
    kept, dropped = check("Hay 2 proyectos. Costó 500 dólares.", facts, [], [])
    assert kept == "Hay 2 proyectos." and dropped == 1
    facts = Facts(["- Data Engineer at Bluefin (role): Bluefin, June 2021 to February 2023"])
    kept, dropped = check("Dejó Bluefin en junio de 2023. Trabajó allí desde junio de 2021 hasta febrero de 2023.",
                          facts, [], [])
    assert kept == "Trabajó allí desde junio de 2021 hasta febrero de 2023." and dropped == 1  # a date it mixed up


async def test_a_long_recruiter_message_gets_facts_not_its_last_words(rich, llm):
    message = ("Hi! I'm hiring for a platform team. We run Rust services on Kafka, lots of event streaming, "
               "some Python tooling, and we care about on-call culture and mentoring juniors. "
               "Would she be a fit for that kind of environment and team?")
    llm.script(query(intent="yes_no", terms=["rust", "kafka"], match="any", search="Rust Kafka experience"))
    text, _ = await _ask(rich, llm, message)
    assert text.startswith("Yes: the portfolio shows Rust or Kafka or Python in:")  # each named in it
    assert "Senior Engineer at Initech" in text and "mentoring juniors" not in text


async def test_model_items_and_terms_the_question_does_not_point_at_are_dropped(rich, llm):
    # A small model under a grammar fills arrays with whatever the enum offers.
    llm.script(query(intent="list", kinds=["project"], items=["project:glint", "post:hnsw-in-pgvector"],
                     terms=["python", "logging", "web"], property="valid_now"))
    text, _ = await _ask(rich, llm, "Which projects use Python?")
    assert text.startswith("The portfolio shows 1 project with Python:") and "Tide Gauge" in text
    understood = json.loads(json.dumps(llm.requests[-1]["response_format"]))  # the grammar was sent
    assert understood["type"] == "json_schema"


async def test_without_the_model_the_question_is_answered_by_search(rich, llm):
    llm.script(failure(503))
    text, _ = await _ask(rich, llm, "Tell me about Tide Gauge")
    assert text.startswith("Tide Gauge (project): Coastal water-level sensors.")


async def test_the_owner_sees_hidden_items_a_visitor_never_does(rich, llm, owner):
    llm.script(query(intent="list", kinds=["project"], terms=["rust"]))
    text, _ = await _ask(rich, llm, "Which projects use Rust?", actor=owner)
    assert "Secret Draft" in text
    llm.script(query(intent="list", kinds=["project"], terms=["rust"], items=["project:secret-draft"]))
    text, _ = await _ask(rich, llm, "Which projects use Rust? Secret Draft too?")
    assert "Secret Draft" not in text


async def test_what_the_portfolio_cannot_answer_goes_to_the_owners_inbox_off_topic_does_not(rich, llm, owner):
    llm.script(query(intent="yes_no", unknown=["Haskell"]), query(intent="off_topic"),
               query(intent="yes_no", unknown=["Haskell"]))
    await _ask(rich, llm, "Do you know Haskell?")
    text, thread = await _ask(rich, llm, "What is the capital of France?")
    assert text.startswith("Sorry, I can only answer questions about this developer's portfolio")
    await _ask(rich, llm, "Do I know Haskell?", actor=owner)  # the owner's own questions are not logged
    assert [q.question for q in (await rich.inbox.questions(owner)).items] == ["Do you know Haskell?"]


async def test_what_the_portfolio_doesnt_show_is_said_in_the_visitors_language_without_the_model(rich, llm):
    llm.script(query(intent="yes_no", unknown=["Haskell"], language="es", search="Haskell experience"))
    text, thread = await _ask(rich, llm, "¿Sabe programar en Haskell?")
    assert text.startswith("El portafolio no muestra eso.") and not thread.answered
    assert len(llm.requests) == 1  # the reading call only: nothing for a model to make up


async def test_a_name_the_facts_dont_hold_is_dropped_in_any_language(rich, llm):
    written = "Ferrox es un proyecto en Rust. Ella estudió en la Universidad de California, San Diego."
    llm.script(query(intent="describe", items=["project:ferrox"], language="es"), reply(written))
    text, _ = await _ask(rich, llm, "¿Qué es Ferrox?")
    assert text.startswith("Ferrox es un proyecto en Rust.") and "California" not in text


async def test_a_profile_reading_that_names_a_kind_lists_that_kind(rich, llm):
    llm.script(query(intent="profile", kinds=["experience"]))
    text, _ = await _ask(rich, llm, "Where has she been employed?")
    assert text.startswith("The portfolio shows 2 roles"), text
    assert "Acme" in text and "Initech" in text


async def test_the_first_to_end_is_the_next_expiry_and_the_last_the_latest_end(rich, llm):
    llm.script(query(intent="compare", kinds=["certification"], order="ends_first"))
    text, _ = await _ask(rich, llm, "which of her certifications runs out soonest?")
    assert text.startswith("By end date, the first to end is Valid Data Cert (certification)"), text
    llm.script(query(intent="compare", kinds=["certification"], property="expired", order="ends_first"))
    text, _ = await _ask(rich, llm, "which cert lapses soonest?")  # "expire" echoed as a property
    assert text.startswith("By end date, the first to end is Valid Data Cert (certification)"), text
    llm.script(query(intent="compare", kinds=["experience"], order="ends_last"))
    text, _ = await _ask(rich, llm, "which of her jobs finished most recently?")
    assert text.startswith("By end date, the last to end is Backend Engineer at Acme (role)"), text


async def test_a_first_or_last_read_with_no_order_is_asked_by_what(rich, llm):
    llm.script(query(intent="compare", kinds=["certification"]),
               reply(json.dumps({"decided_by": "the end", "asks": "ends_first"})))
    text, _ = await _ask(rich, llm, "which cert is next to lapse?")
    assert llm.requests[-1]["response_format"]["json_schema"]["name"] == "visitor_settle"
    assert text.startswith("By end date, the first to end is Valid Data Cert (certification)"), text
    # A certification's first or last read by length is asked again too (validity, or what runs out first?).
    llm.script(query(intent="compare", kinds=["certification"], order="shortest"),
               reply(json.dumps({"decided_by": "the expiry", "asks": "ends_first"})))
    text, _ = await _ask(rich, llm, "which cert runs out soonest?")
    assert llm.requests[-1]["response_format"]["json_schema"]["name"] == "visitor_settle"
    assert text.startswith("By end date, the first to end is Valid Data Cert (certification)"), text


async def test_a_list_about_one_named_item_may_ask_about_that_item(rich, llm):
    llm.script(query(intent="list", kinds=["project"], items=["project:glint"], terms=["web"]),
               reply(json.dumps({"asks": "about_the_item"})))
    text, _ = await _ask(rich, llm, "what labels has Glint got, web stuff?")
    assert text.startswith("Glint (project): A static site generator in Rust.") and "- tags: web, rust" in text, text
    # An item the question doesn't name (search's guess): the list stands, nothing is asked again.
    llm.script(query(intent="list", kinds=["project"], items=["project:ferrox"], terms=["rust"]))
    n = len(llm.requests)
    text, _ = await _ask(rich, llm, "anything written in rust?")
    assert len(llm.requests) == n + 1 and "Ferrox" in text and "Glint" in text, text


async def test_a_subject_read_as_unknown_that_an_item_is_tagged_with_is_a_term(rich, llm):
    llm.script(query(intent="list", kinds=["project"], unknown=["timeseries"]))
    text, _ = await _ask(rich, llm, "any timeseries things?")
    assert "Tide Gauge" in text and "doesn't show" not in text, text
    llm.script(query(intent="yes_no", unknown=["cobol", "COBOL"]))  # one subject, twice: said once
    text, _ = await _ask(rich, llm, "any COBOL?")
    assert "COBOL or" not in text and "cobol or" not in text, text


async def test_a_property_asked_of_a_named_item_is_answered_from_its_fields(portfolio, llm):
    await portfolio.projects.update(AUTHOR, "glint", ProjectUpdate(repo_url="https://code.example/glint"))
    llm.script(query(intent="detail", kinds=["project"], items=["project:glint"], property="has_repo"))
    text, _ = await _ask(portfolio, llm, "where can I see Glint's code?")
    assert text.startswith("Yes: Glint (project)") and "https://code.example/glint" in text, text



async def test_a_detail_that_is_one_of_the_items_fields_is_answered_from_its_fields(rich, llm):
    llm.script(query(intent="detail", kinds=["project"], items=["project:tide-gauge"], search="Tide Gauge stack"),
               reply(json.dumps({"asks": "the_items_facts"})))
    text, _ = await _ask(rich, llm, "what is Tide Gauge built with?")
    assert text.startswith("Tide Gauge (project): Coastal water-level sensors.") and "Python, TimescaleDB" in text, text


async def test_a_phrased_superlative_that_names_another_item_first_is_not_shown(rich, llm):
    wrong = "El primero fue Valid Data Cert. "
    right = "El primero que obtuvo fue Old Cloud Cert, de Cloud Org."
    llm.script(query(intent="compare", kinds=["certification"], order="oldest", language="es"),
               reply(json.dumps({"decided_by": "la fecha", "asks": "started_first"})), reply(wrong + right))
    text, _ = await _ask(rich, llm, "¿Qué certificado obtuvo primero?")
    assert text.startswith(right) and "Valid Data Cert." not in text.split("\n")[0], text


async def test_a_name_that_leads_the_paraphrase_and_no_item_writes_is_not_everything(rich, llm):
    llm.script(query(intent="list", kinds=["project"], search="Zephyr mobile game"))
    text, _ = await _ask(rich, llm, "what is her project Zephyr, the mobile game?")
    assert text.startswith("The portfolio doesn't show") and "Zephyr" in text.split("\n")[0], text
    assert "3 projects" not in text


async def test_similar_with_nothing_of_the_asked_kind_looks_at_every_kind(rich, llm):
    llm.script(query(intent="similar", kinds=["project"], items=["project:tide-gauge"]))
    text, _ = await _ask(rich, llm, "something related to Tide Gauge?")
    assert text.startswith("Most like Tide Gauge") and "Backend Engineer at Acme (role): shares python" in text, text


async def test_a_yes_no_about_the_developer_is_answered_from_the_profile(rich, llm):
    await rich.profile.put(AUTHOR, ProfileIn(
        name="Maya Okafor", headline="Backend engineer", open_to_work=True,
        availability="open to backend roles from March",
        bio="I'm a backend engineer looking for my next role. I'm available for new roles from March."))
    llm.script(query(intent="yes_no", kinds=["experience"], language="pt", search="is she available for new roles"),
               reply("Sim, procura um novo emprego de backend a partir de março."))
    text, _ = await _ask(rich, llm, "Está disponível para novos desafios?")
    assert text.startswith("Sim, procura um novo emprego") and "/p/profile/me" in text, text
