"""Which item the owner means, found by folio (title and slug, search, contained text), on the demo
portfolio in real PostgreSQL with the real embedding model."""

import pytest

from folio.errors import PermissionDenied
from folio.services.resolver import decide, title_score, words


async def test_descriptions_resolve_to_the_one_item_meant(demo_services, owner):
    resolve = demo_services.resolver.resolve
    cases = {
        ("my Postgres post", "post"): "postgres-index-tuning-explain-analyze",
        ("the AWS cert", "certification"): "aws-solutions-architect-associate",
        ("Glint", None): "glint",
        ("the DuckDB notes", "post"): "duckdb-local-analytics-notes",
        ("pocket transit", "project"): "pocket-transit",
        ("my Kubernetes admin cert", "certification"): "certified-kubernetes-administrator",
        ("the Heartbeat project", None): "heartbeat",  # hidden from visitors, still the owner's
    }
    for (description, kind), slug in cases.items():
        found = await resolve(owner, description, kind)
        assert found.match is not None and found.match.slug == slug, (description, found)


async def test_an_unclear_description_offers_the_closest_items_and_nothing_is_picked(demo_services, owner):
    found = await demo_services.resolver.resolve(owner, "my Rust project", "project")
    assert found.match is None
    assert 2 <= len(found.candidates) <= 3
    assert {"ferrox", "glint"} & {c.slug for c in found.candidates}
    nothing = await demo_services.resolver.resolve(owner, "the", "project")
    assert nothing.match is None and nothing.candidates == []


async def test_a_typo_is_found_by_the_text_that_contains_it(demo_services, owner):
    found = await demo_services.resolver.containing(owner, "Postgress", "post")
    assert found.match is not None
    assert (found.match.slug, found.match.field) == ("postgres-index-tuning-explain-analyze", "body")
    assert (await demo_services.resolver.containing(owner, "Postgress", "project")).candidates == []
    # A word in several items: the owner's description decides, else all are offered.
    several = await demo_services.resolver.containing(owner, "PostgreSQL", None)
    assert several.match is None and len(several.candidates) == 3
    narrowed = await demo_services.resolver.containing(owner, "PostgreSQL", "project", description="pgdrift")
    assert narrowed.match is not None and narrowed.match.slug == "pgdrift"


async def test_a_typo_typed_in_another_case_is_found_and_the_portfolio_knows_its_spelling(demo_services, owner):
    found = await demo_services.resolver.containing(owner, "postgress", "post")
    assert found.match is not None and found.match.found == "Postgress"
    assert await demo_services.resolver.spelling(owner, "Postgress") == "Postgres"
    assert await demo_services.resolver.spelling(owner, "Kubernetez") == "Kubernetes"
    assert await demo_services.resolver.spelling(owner, "xqzzyv") == ""


async def test_an_item_named_in_a_statement_is_found_by_its_whole_name(demo_services, owner):
    named = await demo_services.resolver.named_in(owner, "Tidewater should be featured on the front page")
    assert named is not None and named.slug == "tidewater"
    assert await demo_services.resolver.named_in(owner, "my projects should be featured") is None


async def test_only_the_owner_may_resolve(demo_services, visitor):
    with pytest.raises(PermissionDenied):
        await demo_services.resolver.resolve(visitor, "Glint")


def test_scores_prefer_whole_names_and_tolerate_near_spellings():
    assert title_score("Harbour Watch", "Harbour Watch", "harbour-watch") == 1.0
    assert title_score("postgres", "Practical Postgres Index Tuning", "x") == 1.0
    assert 0.7 < title_score("postgresql", "Practical Postgres Index Tuning", "x") < 1.0
    assert 0.6 < title_score("Lookalik", "Lookalike", "lookalike") < 1.0
    assert title_score("kafka", "Glint", "glint") == 0.0
    assert words("delete the Harbour Watch project") == ["harbour", "watch"]
    assert decide([]).match is None
