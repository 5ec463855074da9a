"""Confirmed writes: nothing is written before confirm; confirm applies once; cancel writes nothing."""

import asyncio
import uuid
from datetime import timedelta

import pytest

from folio.actor import Actor
from folio.errors import ChangeSpent, NotFound, PermissionDenied, SlugConflict, StaleChange, ValidationFailed
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate, ProjectUpdate
from folio.services.changes import ChangeService


async def _titles(services, owner, kind):
    return sorted(i.slug for i in (await services.content(kind).list(owner, limit=100)).items)


async def test_create_is_previewed_with_all_fields_and_applied_only_on_confirm(services, owner):
    change = await services.changes.propose_create(
        owner, "project", {"title": "Tide Gauge", "tech_stack": ["Python", "TimescaleDB"],
                           "repo_url": "https://github.com/x/y"}, thread_id="t1")
    assert change.action == "create" and change.slug == "tide-gauge" and change.title == "Tide Gauge"
    # every field the project will have, defaults included
    assert set(change.fields) == set(ProjectCreate.model_fields)
    assert change.fields["tech_stack"] == ["Python", "TimescaleDB"]
    assert change.fields["published"] is True and change.fields["summary"] == ""
    assert await _titles(services, owner, "project") == []  # nothing written yet

    applied = await services.changes.confirm(owner, change.id, thread_id="t1")
    assert applied.item.slug == "tide-gauge"
    item = await services.projects.get(owner, "tide-gauge")
    assert item.tech_stack == ["Python", "TimescaleDB"] and item.repo_url == "https://github.com/x/y"


async def test_confirm_cannot_be_replayed(services, owner):
    change = await services.changes.propose_create(owner, "certification", {"name": "CKA", "issuer": "CNCF"})
    await services.changes.confirm(owner, change.id)
    with pytest.raises(ChangeSpent, match="already confirmed"):
        await services.changes.confirm(owner, change.id)
    with pytest.raises(ChangeSpent):
        await services.changes.cancel(owner, change.id)
    assert await _titles(services, owner, "certification") == ["cka"]


async def test_concurrent_confirms_apply_once(services, owner):
    change = await services.changes.propose_create(owner, "post", {"title": "Twice?", "body": "x"})
    results = await asyncio.gather(*(services.changes.confirm(owner, change.id) for _ in range(4)),
                                   return_exceptions=True)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, ChangeSpent) for r in results if isinstance(r, Exception))
    assert (await services.posts.list(owner)).total == 1


async def test_cancel_writes_nothing_and_closes_the_change(services, owner):
    await services.projects.create(owner, ProjectCreate(title="Ferrox", summary="A Rust tool"))
    before = await services.projects.get(owner, "ferrox")
    for change in [
        await services.changes.propose_create(owner, "project", {"title": "Glint"}),
        await services.changes.propose_update(owner, "project", "ferrox", {"summary": "Changed"}),
        await services.changes.propose_delete(owner, "project", "ferrox"),
    ]:
        await services.changes.cancel(owner, change.id)
        with pytest.raises(ChangeSpent, match="cancelled"):
            await services.changes.confirm(owner, change.id)
    after = await services.projects.get(owner, "ferrox")
    assert await _titles(services, owner, "project") == ["ferrox"]
    assert (after.summary, after.updated_at) == (before.summary, before.updated_at)


async def test_update_diff_lists_only_changed_fields_with_before_and_after(services, owner):
    await services.posts.create(owner, PostCreate(title="Postgres tunning", body="Vacuum.", tags=["db"]))
    change = await services.changes.propose_update(
        owner, "post", "postgres-tunning", {"title": "Postgres tuning", "tags": ["db"], "excerpt": "Vacuum tips"})
    assert change.action == "update"
    assert [(d.field, d.before, d.after) for d in change.diff] == [
        ("title", "Postgres tunning", "Postgres tuning"), ("excerpt", "", "Vacuum tips")]
    assert (await services.posts.get(owner, "postgres-tunning")).title == "Postgres tunning"
    await services.changes.confirm(owner, change.id)
    post = await services.posts.get(owner, "postgres-tunning")
    assert (post.title, post.excerpt, post.tags) == ("Postgres tuning", "Vacuum tips", ["db"])


async def test_update_that_changes_nothing_is_refused(services, owner):
    await services.projects.create(owner, ProjectCreate(title="Ferrox", summary="same"))
    with pytest.raises(ValidationFailed, match="nothing would change"):
        await services.changes.propose_update(owner, "project", "ferrox", {"summary": "same"})
    with pytest.raises(ValidationFailed, match="no fields"):
        await services.changes.propose_update(owner, "project", "ferrox", {})


async def test_delete_preview_shows_what_is_lost(services, owner):
    await services.certifications.create(owner, CertificationCreate(
        name="AWS SAA", issuer="Amazon Web Services", credential_id="SAA-1"))
    change = await services.changes.propose_delete(owner, "certification", "aws-saa")
    assert change.fields["credential_id"] == "SAA-1" and change.fields["issuer"] == "Amazon Web Services"
    assert await _titles(services, owner, "certification") == ["aws-saa"]
    await services.changes.confirm(owner, change.id)
    assert await _titles(services, owner, "certification") == []


async def test_publish_post_and_project(services, owner, visitor):
    await services.posts.create(owner, PostCreate(title="HNSW notes", body="Graphs all the way down."))
    await services.projects.create(owner, ProjectCreate(title="Hidden", published=False))
    post_change = await services.changes.propose_publish(owner, "post", "hnsw-notes")
    assert [(d.field, d.before, d.after) for d in post_change.diff] == [("status", "draft", "published")]
    project_change = await services.changes.propose_publish(owner, "project", "hidden")
    with pytest.raises(NotFound):
        await services.posts.get(visitor, "hnsw-notes")
    await services.changes.confirm(owner, post_change.id)
    await services.changes.confirm(owner, project_change.id)
    post = await services.posts.get(visitor, "hnsw-notes")
    assert post.status == "published" and post.published_at is not None
    assert (await services.projects.get(visitor, "hidden")).published is True
    with pytest.raises(ValidationFailed, match="already published"):
        await services.changes.propose_publish(owner, "post", "hnsw-notes")
    await services.certifications.create(owner, CertificationCreate(name="CKA", issuer="CNCF"))
    with pytest.raises(ValidationFailed, match="no draft state"):
        await services.changes.propose_publish(owner, "certification", "cka")


async def test_publish_rules_checked_at_proposal(services, owner):
    await services.posts.create(owner, PostCreate(title="Empty"))
    with pytest.raises(ValidationFailed, match="needs a body"):
        await services.changes.propose_publish(owner, "post", "empty")
    with pytest.raises(ValidationFailed, match="needs a body"):
        await services.changes.propose_create(owner, "post", {"title": "Blank", "status": "published"})
    assert await services.changes.pending(owner) == []


async def test_missing_and_invalid_fields_are_reported_at_proposal(services, owner):
    with pytest.raises(ValidationFailed) as exc:
        await services.changes.propose_create(owner, "certification", {"name": "CKA"})
    assert exc.value.details["missing"] == ["issuer"]
    assert "issuer" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        await services.changes.propose_create(owner, "project", {"title": "X", "repo_url": "not a url",
                                                                  "colour": "red"})
    assert exc.value.details["unknown"] == ["colour"]
    assert [i["field"] for i in exc.value.details["invalid"]] == ["repo_url"]
    with pytest.raises(ValidationFailed, match="unknown kind"):
        await services.changes.propose_create(owner, "recipe", {"title": "Soup"})
    with pytest.raises(ValidationFailed, match="slug is needed"):
        await services.changes.propose(owner, "delete", "project")
    assert await services.changes.pending(owner) == []


async def test_unknown_slug_and_taken_slug_are_reported_at_proposal(services, owner):
    with pytest.raises(NotFound):
        await services.changes.propose_update(owner, "post", "no-such-post", {"title": "X"})
    with pytest.raises(NotFound):
        await services.changes.propose_delete(owner, "project", "no-such-project")
    await services.projects.create(owner, ProjectCreate(title="Glint"))
    with pytest.raises(SlugConflict):
        await services.changes.propose_create(owner, "project", {"title": "Glint"})


async def test_stale_preview_is_refused(services, owner):
    await services.projects.create(owner, ProjectCreate(title="Ferrox", summary="v1"))
    change = await services.changes.propose_update(owner, "project", "ferrox", {"summary": "v2 from chat"})
    await services.projects.update(owner, "ferrox", ProjectUpdate(summary="v2 from REST"))
    with pytest.raises(StaleChange):
        await services.changes.confirm(owner, change.id)
    assert (await services.projects.get(owner, "ferrox")).summary == "v2 from REST"
    with pytest.raises(ChangeSpent):
        await services.changes.confirm(owner, change.id)


async def test_changes_are_bound_to_owner_and_thread(services, owner, visitor):
    change = await services.changes.propose_create(owner, "project", {"title": "Mine"}, thread_id="t1")
    other_owner = Actor(user_id=uuid.uuid4(), email="other@example.com", is_owner=True)
    with pytest.raises(NotFound):
        await services.changes.confirm(other_owner, change.id)
    with pytest.raises(NotFound):
        await services.changes.confirm(owner, change.id, thread_id="t2")
    with pytest.raises(PermissionDenied):
        await services.changes.confirm(visitor, change.id)
    with pytest.raises(PermissionDenied):
        await services.changes.propose_create(visitor, "project", {"title": "Evil"})
    with pytest.raises(NotFound):
        await services.changes.confirm(owner, "not-a-uuid")
    assert [c.id for c in await services.changes.pending(owner, "t1")] == [change.id]
    assert await services.changes.pending(owner, "t2") == []
    assert await _titles(services, owner, "project") == []


async def test_expired_change_cannot_be_confirmed(services, owner):
    changes = ChangeService(services.db, services.content, ttl=timedelta(seconds=0))
    change = await changes.propose_create(owner, "project", {"title": "Late"})
    with pytest.raises(ChangeSpent, match="expired"):
        await changes.confirm(owner, change.id)
    assert await _titles(services, owner, "project") == []


async def test_failed_apply_closes_the_change(services, owner):
    change = await services.changes.propose_create(owner, "project", {"title": "Race"})
    await services.projects.create(owner, ProjectCreate(title="Race"))  # REST took the slug meanwhile
    with pytest.raises(SlugConflict):
        await services.changes.confirm(owner, change.id)
    with pytest.raises(ChangeSpent, match="could not be applied"):
        await services.changes.confirm(owner, change.id)


async def test_typed_shorthands_are_normalised_and_shown(services, owner):
    change = await services.changes.propose_create(
        owner, "project", {"title": "Tide Gauge", "tech_stack": "Python, TimescaleDB",
                           "repo_url": "github.com/x/y"})
    assert change.fields["tech_stack"] == ["Python", "TimescaleDB"]
    assert change.fields["repo_url"] == "https://github.com/x/y"
    with pytest.raises(ValidationFailed):
        await services.changes.propose_create(owner, "project", {"title": "X", "repo_url": "not a url"})


async def test_drafts_save_then_publish_through_confirmed_changes(services, owner, visitor):
    from folio.services.drafts import Draft, Section

    draft = Draft(title="HNSW in pgvector", sections=[Section("", "Graphs.")], excerpt="Why HNSW", tags=["postgres"])
    save = await services.drafts.propose_save(owner, draft, thread_id="t1")
    assert save.action == "create" and save.fields["status"] == "draft"
    assert (await services.posts.list(owner)).total == 0
    applied = await services.changes.confirm(owner, save.id)
    draft.slug = applied.item.slug
    revised = draft.next_version(sections=[Section("", "Graphs, shorter.")])
    publish = await services.drafts.propose_publish(owner, revised, thread_id="t1")
    assert publish.action == "publish"
    assert [(d.field, d.after) for d in publish.diff] == [("body", "Graphs, shorter."), ("status", "published")]
    with pytest.raises(NotFound):
        await services.posts.get(visitor, "hnsw-in-pgvector")
    await services.changes.confirm(owner, publish.id)
    post = await services.posts.get(visitor, "hnsw-in-pgvector")
    assert (post.status, post.body, post.tags) == ("published", "Graphs, shorter.", ["postgres"])
    with pytest.raises(ValidationFailed, match="already published"):
        await services.drafts.propose_publish(owner, revised)


async def test_saving_an_unchanged_draft_is_refused_and_deleted_post_is_recreated(services, owner):
    from folio.services.drafts import Draft, Section

    draft = Draft(title="Notes", sections=[Section("", "Text")])
    draft.slug = (await services.changes.confirm(owner, (await services.drafts.propose_save(owner, draft)).id)).item.slug
    with pytest.raises(ValidationFailed, match="nothing would change"):
        await services.drafts.propose_save(owner, draft)
    await services.posts.delete(owner, draft.slug)
    again = await services.drafts.propose_save(owner, draft)
    assert again.action == "create" and draft.slug is None


async def test_empty_strings_mean_none_for_optional_fields(services, owner):
    change = await services.changes.propose_create(owner, "project", {"title": "Blank", "live_url": "",
                                                                       "finished_on": " "})
    assert change.fields["live_url"] is None and change.fields["finished_on"] is None
    await services.changes.confirm(owner, change.id)
    await services.projects.update(owner, "blank", ProjectUpdate(live_url="https://blank.example"))
    clear = await services.changes.propose_update(owner, "project", "blank", {"live_url": ""})
    assert [(d.field, d.before, d.after) for d in clear.diff] == [("live_url", "https://blank.example", None)]
    with pytest.raises(ValidationFailed):  # a required field is not "none"
        await services.changes.propose_create(owner, "project", {"title": ""})


async def test_a_wrong_slug_is_refused_with_the_closest_items(demo_services, owner):
    with pytest.raises(NotFound) as exc:
        await demo_services.changes.propose_update(owner, "certification", "aws-solutions-architect-certification",
                                                   {"expires_on": "2028-05-14"})
    slugs = [s["slug"] for s in exc.value.details["suggestions"]]
    assert slugs[0] == "aws-solutions-architect-associate" and len(slugs) <= 3
    with pytest.raises(NotFound) as exc:
        await demo_services.changes.propose_delete(owner, "project", "look-alike")
    assert "lookalike" in [s["slug"] for s in exc.value.details["suggestions"]]
    assert await demo_services.changes.pending(owner) == []


async def test_a_text_edit_changes_only_the_words_named_and_keeps_the_rest(services, owner):
    body = "## Plans\n\n" + "Index tunning matters. " + "Filler sentence. " * 400
    await services.posts.create(owner, PostCreate(title="Postgres tuning", body=body))
    change = await services.changes.propose_replace(owner, "post", "postgres-tuning", "body", "tunning", "tuning")
    [diff] = change.diff
    assert diff.field == "body" and diff.after == body.replace("tunning", "tuning") and len(diff.after) > 6000
    await services.changes.confirm(owner, change.id)
    assert (await services.posts.get(owner, "postgres-tuning")).body == body.replace("tunning", "tuning")
    with pytest.raises(ValidationFailed, match="does not occur"):
        await services.changes.propose_replace(owner, "post", "postgres-tuning", "body", "tunning", "x")
    with pytest.raises(ValidationFailed, match="not a text field"):
        await services.changes.propose_replace(owner, "post", "postgres-tuning", "status", "draft", "published")
    with pytest.raises(ValidationFailed, match="propose an update with fields"):
        await services.changes.propose_replace(owner, "post", "postgres-tuning", "status", "draft", "published")


async def test_preview_fields_keep_the_schema_order(services, owner):
    change = await services.changes.propose_create(owner, "project", {"tags": ["a"], "title": "Ordered"})
    assert list(change.fields) == list(ProjectCreate.model_fields)
