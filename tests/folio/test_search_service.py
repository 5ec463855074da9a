import pytest

from folio.errors import ValidationFailed
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate


async def test_search_finds_by_exact_word_and_hides_drafts(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(
        title="Ferrox", summary="A Rust HTTP load tester", tech_stack=["Rust", "tokio"]))
    await services.posts.create(owner, PostCreate(title="Tokio internals", body="How the tokio scheduler works"))
    await services.certifications.create(owner, CertificationCreate(
        name="AWS Solutions Architect", issuer="Amazon", credential_id="SAA-C03"))

    hits = await services.search.search(visitor, "tokio")
    assert [(h.type, h.slug) for h in hits] == [("project", "ferrox")]  # the draft post is hidden
    assert hits[0].url == "/api/v1/projects/ferrox" and "text" in hits[0].legs
    owner_hits = await services.search.search(owner, "tokio")
    assert {h.slug for h in owner_hits} == {"ferrox", "tokio-internals"}
    assert [h.slug for h in await services.search.search(owner, "tokio", kind="post")] == ["tokio-internals"]
    assert [h.slug for h in await services.search.search(visitor, "SAA-C03")] == ["aws-solutions-architect"]


@pytest.mark.parametrize("query, limit, kind", [
    ("", 5, None), ("   ", 5, None), ("rust", 0, None), ("rust", 51, None), ("rust", 5, "video"),
    ("a\x00b", 5, None), ("x" * 1001, 5, None),
])
async def test_bad_search_input_is_a_validation_error(services, visitor, query, limit, kind):
    with pytest.raises(ValidationFailed):
        await services.search.search(visitor, query, limit=limit, kind=kind)
