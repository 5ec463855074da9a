"""Reading a visitor's question in code, and checking a model's sentences against portfolio items."""

import pytest

from folio import prompts
from folio.services.answer_text import check_answer, third_person
from folio.services.evidence import Evidence
from folio.services.questions import read_intent, standalone

VOCABULARY = ["rust", "tokio", "python", "postgresql", "go", "cli", "kafka", "terraform", "search"]
TITLES = ["Ferrox", "Glint", "pgdrift"]


@pytest.mark.parametrize(("question", "kind", "listing", "terms", "experience"), [
    ("Which projects use Rust?", "project", True, ("rust",), None),
    ("What has this developer built with Rust?", "project", True, ("rust",), None),
    ("What certifications do you hold?", "certification", True, (), None),
    ("What posts has the developer written?", "post", True, (), None),
    ("What has been written about PostgreSQL?", "post", True, ("postgresql",), None),
    ("Do you have experience with Kubernetes operators written in Go?", "post", False, (),
     "Kubernetes operators written in Go"),
    ("Any work on querying catalogs of satellite imagery?", None, False, (), "querying catalogs of satellite imagery"),
    ("Tell me about Ferrox", None, False, (), None),
    ("Which project streams clickstream events?", "project", False, (), None),  # a topic: searched
    ("What did you learn about hiring?", None, False, (), None),
    ("Is she AWS certified?", "certification", False, (), "AWS"),
    ("Is Maya a certified Kubernetes administrator?", "certification", False, (), "Kubernetes administrator"),
    ("are you certified in terraform?", "certification", False, (), "terraform"),
    ("has she done anything with kubernetes", None, False, (), "kubernetes"),
])
def test_intent(question, kind, listing, terms, experience):
    intent = read_intent(question, VOCABULARY, TITLES)
    assert (intent.kind, intent.listing, intent.terms, intent.experience) == (kind, listing, terms, experience)
    assert not intent.contact


def test_contact_links_and_greetings():
    assert read_intent("How can I contact the developer?", VOCABULARY, TITLES).contact
    assert read_intent("Where is the code of Ferrox?", VOCABULARY, TITLES).links
    assert read_intent("hi there!", VOCABULARY, TITLES).greeting


@pytest.mark.parametrize(("question", "previous", "items", "expected"), [
    ("What is it written in?", "Tell me about Ferrox", [("project", "Ferrox")], "What is the project Ferrox written in?"),
    ("what about Go?", "Which projects use Rust?", [], "Which projects use Go?"),
    ("Tell me more about the second one", "Which projects use Rust?", [("project", "Ferrox"), ("project", "Glint")],
     "Tell me more about the project Glint"),
    ("Tell me more", "Tell me about Glint", [("project", "Glint")], "Tell me more about the project Glint"),
    ("Which posts use Python?", "Which projects use Rust?", [("project", "Ferrox")], "Which posts use Python?"),
    ("and is it open source?", "what is ferrox written in?", [("project", "Ferrox")],
     "and is the project Ferrox open source?"),
    ("and Go?", "Which projects use Rust?", [], "Which projects use Go?"),
])
def test_follow_ups_become_standalone(question, previous, items, expected):
    assert standalone(question, previous, items) == expected


def _item(kind, slug, title, summary, text=""):
    return Evidence(kind, slug, title, f"/p/{kind}/{slug}", f"/api/v1/{kind}s/{slug}", summary, (), (), (),
                    f"{title} {summary} {text}")


FERROX = _item("project", "ferrox", "Ferrox", "A Rust HTTP load tester.", "built with Rust, Tokio, hyper")
HNSW = _item("post", "hnsw", "HNSW in pgvector", "How HNSW indexes work.")


def test_sentences_are_checked_against_the_items_they_name():
    assert check_answer("I built Ferrox, a Rust HTTP load tester with Tokio.", [FERROX]) == \
        "The developer built Ferrox, a Rust HTTP load tester with Tokio."
    # a description of something else is replaced by the item's own line
    assert check_answer("Ferrox analyses brain scans with deep learning.", [FERROX]) == \
        "The project Ferrox: A Rust HTTP load tester."
    # an item that does not answer is not named; an unsupported claim is dropped
    assert check_answer("Ferrox is a Rust load tester. HNSW in pgvector is also relevant. "
                        "The developer knows Kubernetes operators.", [FERROX], [HNSW]) == "Ferrox is a Rust load tester."
    # items are called by their kind
    assert check_answer("The project HNSW in pgvector explains how HNSW indexes work.", [HNSW]) == \
        "The post HNSW in pgvector explains how HNSW indexes work."
    # nothing said that the items support: the items themselves
    assert check_answer("I don't know.", [FERROX]).startswith(prompts.FOUND_HEAD)
    assert check_answer("I don't know.", []) == prompts.NOT_SHOWN


def test_one_voice():
    assert third_person("I have built two tools. My favourite is Ferrox.") == \
        "The developer has built two tools. The developer's favourite is Ferrox."
    assert third_person("It is the first tool I reach for. I piped a log through it and I'd do it again.") == \
        "It is the first tool the developer reaches for. The developer piped a log through it and the developer " \
        "would do it again."
    assert third_person("I don't know.") == "I don't know."
    assert check_answer("The project `Ferrox` is a Rust HTTP load tester.", [FERROX]) == \
        "The project Ferrox is a Rust HTTP load tester."


def test_a_topic_with_a_tag_word_is_searched_not_listed():
    intent = read_intent("Which project monitors a community greenhouse?", [*VOCABULARY, "community"], TITLES)
    assert not intent.listing
    assert read_intent("Which projects are about geospatial data?", ["geospatial"], TITLES).listing
