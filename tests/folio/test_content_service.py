import pytest

from folio.errors import NotFound, PermissionDenied, SlugConflict, ValidationFailed
from folio.schemas import CertificationCreate, PostCreate, PostUpdate, ProjectCreate, ProjectUpdate


async def test_create_generates_slug_from_title(services, owner):
    item = await services.projects.create(owner, ProjectCreate(title="Tide Gauge: Coastal Sensors!"))
    assert item.slug == "tide-gauge-coastal-sensors"
    assert (await services.projects.get(owner, item.slug)).title == "Tide Gauge: Coastal Sensors!"


async def test_unicode_title_slug_is_ascii(services, owner):
    item = await services.certifications.create(
        owner, CertificationCreate(name="Zürich Señor Café ☕", issuer="ÉTH"))
    assert item.slug == "zurich-senor-cafe"


async def test_taken_slug_is_a_conflict_not_an_integrity_error(services, owner):
    await services.projects.create(owner, ProjectCreate(title="Glint"))
    with pytest.raises(SlugConflict) as exc:
        await services.projects.create(owner, ProjectCreate(title="Other", slug="glint"))
    assert exc.value.details == {"slug": "glint"}
    other = await services.projects.create(owner, ProjectCreate(title="Other"))
    with pytest.raises(SlugConflict):
        await services.projects.update(owner, other.slug, ProjectUpdate(slug="glint"))
    assert (await services.projects.list(owner)).total == 2


async def test_visitors_cannot_write_and_nothing_changes(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(title="Ferrox"))
    with pytest.raises(PermissionDenied):
        await services.projects.create(visitor, ProjectCreate(title="Evil"))
    with pytest.raises(PermissionDenied):
        await services.projects.update(visitor, "ferrox", ProjectUpdate(title="Hacked"))
    with pytest.raises(PermissionDenied):
        await services.projects.delete(visitor, "ferrox")
    item = await services.projects.get(visitor, "ferrox")
    assert item.title == "Ferrox"
    assert (await services.projects.list(owner)).total == 1


async def test_visitors_see_published_only(services, owner, visitor):
    await services.projects.create(owner, ProjectCreate(title="Public"))
    await services.projects.create(owner, ProjectCreate(title="Secret", published=False))
    await services.posts.create(owner, PostCreate(title="Draft post", body="wip"))
    assert [p.slug for p in (await services.projects.list(visitor)).items] == ["public"]
    assert (await services.projects.list(owner)).total == 2
    with pytest.raises(NotFound):
        await services.projects.get(visitor, "secret")
    with pytest.raises(NotFound):
        await services.posts.get(visitor, "draft-post")
    assert (await services.posts.get(owner, "draft-post")).status == "draft"


async def test_publish_rules(services, owner, visitor):
    with pytest.raises(ValidationFailed):
        await services.posts.create(owner, PostCreate(title="Empty", status="published"))
    post = await services.posts.create(owner, PostCreate(title="Notes", body="word " * 500))
    assert post.status == "draft" and post.published_at is None
    assert post.reading_time == 3
    published = await services.posts.update(owner, "notes", PostUpdate(status="published"))
    first = published.published_at
    assert first is not None
    again = await services.posts.update(owner, "notes", PostUpdate(title="Notes, revised"))
    assert again.published_at == first and again.status == "published"
    assert (await services.posts.get(visitor, "notes")).title == "Notes, revised"
    back = await services.posts.update(owner, "notes", PostUpdate(status="draft"))
    assert back.published_at is None


async def test_partial_update_keeps_untouched_fields(services, owner):
    await services.projects.create(owner, ProjectCreate(
        title="Glint", summary="Log viewer", tech_stack=["Rust"], repo_url="https://github.com/m/glint"))
    item = await services.projects.update(owner, "glint", ProjectUpdate(summary="A terminal log viewer"))
    assert item.summary == "A terminal log viewer"
    assert item.tech_stack == ["Rust"] and item.repo_url == "https://github.com/m/glint"


async def test_required_fields_cannot_be_cleared(services, owner):
    await services.projects.create(owner, ProjectCreate(title="Glint"))
    with pytest.raises(ValidationFailed):
        await services.projects.update(owner, "glint", ProjectUpdate(title=None))
    assert (await services.projects.get(owner, "glint")).title == "Glint"


async def test_filters_and_pagination(services, owner, visitor):
    for i, stack in enumerate([["Rust"], ["rust", "Go"], ["Python"]]):
        await services.projects.create(owner, ProjectCreate(
            title=f"P{i}", tech_stack=stack, tags=["cli"] if i else ["web"], featured=i == 2))
    rust = await services.projects.list(visitor, contains={"tech_stack": "RUST"})
    assert sorted(p.slug for p in rust.items) == ["p0", "p1"]
    assert (await services.projects.list(visitor, tag="cli")).total == 2
    featured = await services.projects.list(visitor, equals={"featured": True})
    assert [p.slug for p in featured.items] == ["p2"]
    page = await services.projects.list(visitor, limit=2, offset=2)
    assert page.total == 3 and len(page.items) == 1
    with pytest.raises(ValidationFailed):
        await services.projects.list(visitor, limit=0)
    with pytest.raises(ValidationFailed):
        await services.projects.list(visitor, offset=-1)


async def test_delete(services, owner):
    await services.certifications.create(owner, CertificationCreate(name="CKA", issuer="CNCF"))
    await services.certifications.delete(owner, "cka")
    with pytest.raises(NotFound):
        await services.certifications.get(owner, "cka")
    with pytest.raises(NotFound):
        await services.certifications.delete(owner, "cka")
