"""The owner's request classifier: the structured call it makes, and a labelled set of messages where
the model's answer (right or, as small models do, wrong) is made consistent with the conversation's
state and the owner's own verbs."""

import pytest
from testkit.scripted_llm import ScriptedLLM, reply

from agent import intent
from folio.llm import ChatEndpoint, chat_model

# (owner's message, what the model answered, is a draft open?) -> the intent that runs
LABELLED = [
    ("Delete the Harbour Watch project", {"intent": "discard_draft", "kind": "project", "item": "Harbour Watch"},
     True, "delete"),  # the misroute: a published project is not "the draft"
    ("Delete the Harbour Watch project", {"intent": "delete", "kind": "project", "item": "Harbour Watch"}, False,
     "delete"),
    ("remove my post about interviews", {"intent": "question", "kind": "post", "item": "interviews"}, False, "delete"),
    ("delete this draft", {"intent": "discard_draft", "kind": "post", "item": ""}, True, "discard_draft"),
    ("Fix the typo Postgress in my posts", {"intent": "update", "kind": "post", "item": ""}, False, "text_edit"),
    ("there is a misspelling in the Canopy summary", {"intent": "question", "kind": "project", "item": "Canopy"},
     False, "text_edit"),
    ("Add a project called Harbour Watch", {"intent": "create", "kind": "project", "item": ""}, False, "create"),
    ("Add a project called Harbour Watch: a Rust service that tracks ship positions in PostGIS",
     {"intent": "new_draft", "kind": "project", "item": ""}, False, "create"),  # seen from the embedded model
    ("I built something new, it's called Beacon. It's an uptime checker in Go",
     {"intent": "text_edit", "kind": "project", "item": "Beacon"}, False, "create"),  # seen too
    ("I passed the Azure Fundamentals exam (AZ-900) from Microsoft, please add it as a certification",
     {"intent": "question", "kind": "certification", "item": ""}, False, "create"),
    ("make it shorter and add a code example", {"intent": "revise_draft", "kind": "post", "item": ""}, True,
     "revise_draft"),
    ("make it shorter", {"intent": "revise_draft", "kind": "post", "item": ""}, False, "question"),  # no draft
    ("save it as a draft", {"intent": "save_draft", "kind": "post", "item": ""}, True, "save_draft"),
    ("publish it", {"intent": "publish", "kind": "post", "item": ""}, True, "publish_draft"),
    ("Publish my post about DuckDB", {"intent": "publish_draft", "kind": "post", "item": "DuckDB"}, False, "publish"),
    ("Draft a post about pgvector in production", {"intent": "create", "kind": "post", "item": ""}, False,
     "new_draft"),
    ("forget it", {"intent": "discard_draft", "kind": "none", "item": ""}, True, "discard_draft"),
    ("stop editing and delete the Glint project", {"intent": "discard_draft", "kind": "project", "item": "Glint"},
     True, "delete"),
    ("What did visitors ask?", {"intent": "question", "kind": "none", "item": ""}, False, "inbox"),
    ("Which projects use Rust?", {"intent": "question", "kind": "project", "item": ""}, False, "question"),
    ("My AWS cert now expires on 2028-05-14", {"intent": "update", "kind": "certification", "item": "AWS"}, False,
     "update"),
    ("Hide the Ledgerline project from visitors", {"intent": "delete", "kind": "project", "item": "Ledgerline"},
     False, "update"),  # seen from the embedded model
    ("gibberish", {"intent": "launch_rockets", "kind": "moon", "item": 3}, False, "question"),
]


@pytest.mark.parametrize(("text", "answer", "has_draft", "expected"), LABELLED,
                         ids=[f"{i}-{t[3]}" for i, t in enumerate(LABELLED)])
def test_labelled_requests_route_to_the_right_intent(text, answer, has_draft, expected):
    assert intent.settle(answer, text, has_draft).intent == expected


def test_statements_about_a_field_may_be_updates_and_questions_are_not():
    assert intent.may_be_update("Tidewater should be featured on the front page")
    assert intent.may_be_update("Keystone started on 2023-04-01")
    assert intent.may_be_update("The repo for Tidewater is github.com/mayaokafor/tidewater")
    assert not intent.may_be_update("Which projects are featured?")
    assert not intent.may_be_update("Tell me about Glint")


def test_a_new_item_with_no_post_words_is_a_project():
    request = intent.settle({"intent": "text_edit", "kind": "post", "item": "Beacon"},
                            "I built something new, it's called Beacon. It's an uptime checker in Go", False)
    assert (request.intent, request.kind) == ("create", "project")


def test_the_kind_named_in_the_message_wins_and_items_are_kept():
    request = intent.settle({"intent": "delete", "kind": "post", "item": " Harbour Watch "},
                            "Delete the Harbour Watch project", False)
    assert (request.kind, request.item) == ("project", "Harbour Watch")
    assert intent.kind_in("my AWS cert") == "certification"
    assert intent.kind_in("the project and the post") is None


async def test_the_classifier_sends_the_state_and_asks_for_json_schema():
    with ScriptedLLM() as llm:
        llm.script(reply('```json\n{"intent": "delete", "kind": "project", "item": "Glint"}\n```'), reply("no idea"))
        model = chat_model(ChatEndpoint(llm.base_url, "scripted"), streaming=False)
        assert await intent.classify(model, "delete Glint", "HNSW notes") == intent.Request("delete", "project",
                                                                                             "Glint")
        assert (await intent.classify(model, "hello there", None)).intent == "question"
    sent = llm.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"]["properties"]["intent"]["enum"] == list(intent.INTENTS)
    assert "Draft being edited: “HNSW notes”" in sent["messages"][-1]["content"]
    assert "Draft being edited: none" in llm.requests[1]["messages"][-1]["content"]
