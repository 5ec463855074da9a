"""GitHub repositories -> projects, against a fake GitHub API on 127.0.0.1 (documented response shapes):
a preview writes nothing, Confirm writes drafts (forks and archived repositories left unselected), the
README becomes Markdown with absolute links; a re-import keeps the owner's edits and shows the
conflict; an unchanged source costs one 304; rate limits are waited out; errors are clear and keep
what was imported before."""

from __future__ import annotations

import pytest
from testkit.fake_github import Repo

from folio import schemas
from folio.errors import NotFound, RateLimited, Unavailable, ValidationFailed
from folio.services.importing import GitHubConfig, ImportService
from folio.services.importing.github import GitHubSource


async def _import(imports, owner, source="github:octocat", **kw):
    preview = await imports.preview(owner, source)
    return preview, await imports.apply(owner, preview.id, **kw)


async def test_first_import_previews_then_writes_drafts_on_confirm(imports, services, github, owner, visitor):
    preview = await imports.preview(owner, "github:octocat")
    by_title = {p.candidate.title: p for p in preview.planned}
    assert set(by_title) == {"tide-gauge", "left-pad-fork", "old-crawler"}  # the private one is not listed
    assert [p.action for p in preview.planned] == ["create"] * 3
    assert by_title["tide-gauge"].selected
    assert not by_title["left-pad-fork"].selected and by_title["left-pad-fork"].candidate.notes == ("fork",)
    assert not by_title["old-crawler"].selected and by_title["old-crawler"].candidate.notes == ("archived",)
    assert await services.projects.count() == 0, "a preview writes nothing"

    report = await imports.apply(owner, preview.id)
    assert report.created == [("project", "tide-gauge", "tide-gauge")]
    assert sorted(report.skipped) == ["left-pad-fork", "old-crawler"]
    project = await services.projects.get(owner, "tide-gauge")
    assert project.published is False, "imported items are drafts"
    with pytest.raises(NotFound):
        await services.projects.get(visitor, "tide-gauge")
    assert project.summary == "Coastal water-level sensors."
    assert project.tech_stack == ["Python", "TimescaleDB"]
    assert project.tags == ["iot", "timescaledb", "python"]
    assert project.repo_url == "https://github.com/octocat/tide-gauge"
    assert project.live_url == "https://tide.example.dev"
    assert str(project.started_on) == "2023-02-01" and project.finished_on is None
    body = project.body
    assert "[the setup guide](https://github.com/octocat/tide-gauge/blob/main/docs/setup.md)" in body
    assert "[changelog](https://github.com/octocat/tide-gauge/blob/main/CHANGELOG.md)" in body
    assert "[usage](#usage)" in body and "[LoRaWAN spec](https://lora-alliance.org/)" in body
    assert "[architecture diagram](https://raw.githubusercontent.com/octocat/tide-gauge/main/docs/arch.png)" in body
    assert "[Tide Gauge logo](https://raw.githubusercontent.com/octocat/tide-gauge/main/docs/logo.png)" in body
    assert "![" not in body and "<img" not in body and "<p" not in body
    assert "[license]: https://github.com/octocat/tide-gauge/blob/main/LICENSE" in body

    # Searchable at once (embedded on write, through the content service): the owner finds the draft.
    hits = await services.search.search(owner, "sea level sensors on piers", limit=3)
    assert hits and hits[0].slug == "tide-gauge" and "vector" in hits[0].legs


async def test_chosen_items_published_and_archived_dates(imports, services, github, owner, visitor):
    preview = await imports.preview(owner, "github:octocat")
    ids = {p.candidate.title: p.candidate.external_id for p in preview.planned}
    report = await imports.apply(owner, preview.id, selected={ids["old-crawler"]}, publish=True)
    assert report.created == [("project", "old-crawler", "old-crawler")]
    crawler = await services.projects.get(visitor, "old-crawler")  # published: the owner chose so
    assert str(crawler.finished_on) == "2022-11-30" and crawler.tech_stack == ["Go"]


async def test_reimport_keeps_the_owners_title_updates_the_rest_and_shows_the_conflict(imports, services, github,
                                                                                      owner):
    await _import(imports, owner)
    await services.projects.update(owner, "tide-gauge", schemas.ProjectUpdate(title="Tide Gauge network"))
    repo = github.find("tide-gauge")
    repo.name, repo.description, repo.updated_at = "tide-gauge-v2", "Sea-level sensors, now on five piers.", \
        "2024-07-01T10:00:00Z"
    repo.topics = ["iot", "timescaledb", "python", "lorawan"]

    preview = await imports.preview(owner, "github:octocat")
    plan = next(p for p in preview.planned if p.slug == "tide-gauge")
    assert plan.action == "conflict" and plan.conflicts == {"title": "tide-gauge-v2"}
    assert plan.updates["summary"] == "Sea-level sensors, now on five piers."
    report = await imports.apply(owner, preview.id)

    project = await services.projects.get(owner, "tide-gauge")
    assert project.title == "Tide Gauge network", "the owner's edit is kept"
    assert project.summary == "Sea-level sensors, now on five piers."
    assert project.tags == ["iot", "timescaledb", "python", "lorawan"]
    assert project.repo_url == "https://github.com/octocat/tide-gauge-v2"
    assert ("project", "tide-gauge", ["repo_url", "summary", "tags"]) in report.updated
    [conflict] = report.conflicts
    assert (conflict.field, conflict.ours, conflict.theirs) == ("title", "Tide Gauge network", "tide-gauge-v2")
    assert [(c.slug, c.field) for c in await imports.conflicts(owner)] == [("tide-gauge", "title")]

    # Ignored: the owner's title stays, and the same change of the source is not raised again.
    await imports.resolve(owner, conflict.record_id, "title", accept=False)
    assert await imports.conflicts(owner) == []
    repo.updated_at = "2024-07-02T10:00:00Z"
    again = await imports.preview(owner, "github:octocat")
    assert next(p for p in again.planned if p.slug == "tide-gauge").action == "unchanged"


async def test_accepting_a_conflict_writes_the_sources_value(imports, services, github, owner):
    await _import(imports, owner)
    await services.projects.update(owner, "tide-gauge", schemas.ProjectUpdate(summary="My own words."))
    repo = github.find("tide-gauge")
    repo.description, repo.updated_at = "Their new words.", "2024-07-01T10:00:00Z"
    _, report = await _import(imports, owner)
    [conflict] = report.conflicts
    assert (conflict.ours, conflict.theirs) == ("My own words.", "Their new words.")
    await imports.resolve(owner, conflict.record_id, "summary", accept=True)
    assert (await services.projects.get(owner, "tide-gauge")).summary == "Their new words."
    assert await imports.conflicts(owner) == []


async def test_an_unchanged_source_costs_one_304(imports, github, owner):
    await _import(imports, owner)
    github.reset_counts()
    preview = await imports.preview(owner, "github:octocat")
    assert preview.not_modified and preview.planned == []
    assert [(r.path, r.status) for r in github.requests] == [("/users/octocat/repos", 304)]
    assert preview.requests == 1


async def test_a_changed_description_costs_no_readme_requests(imports, github, owner):
    await _import(imports, owner)
    github.find("tide-gauge").description, github.find("tide-gauge").updated_at = "New.", "2024-08-01T00:00:00Z"
    github.reset_counts()
    preview = await imports.preview(owner, "github:octocat")
    # The imported repository was not pushed to: its README is not read again. The two left out last time
    # are read in full (they may be chosen now, and nothing of theirs is stored).
    assert github.paths() == ["/users/octocat/repos", "/repos/octocat/left-pad-fork/readme",
                              "/repos/octocat/old-crawler/readme"]
    plan = next(p for p in preview.planned if p.slug == "tide-gauge")
    assert plan.updates == {"summary": "New."}


async def test_pagination_and_rate_limit_backoff(github):
    for n in range(5):
        github.add(Repo(f"tool-{n}", f"Tool {n}", "Rust", readme=f"# Tool {n}"))
    github.rate_limit_next(seconds=1)
    source = GitHubSource(github.url)
    source_per_page = 2
    import folio.services.importing.github as gh

    old, gh.PER_PAGE = gh.PER_PAGE, source_per_page
    try:
        fetched = await source.fetch("octocat", {})
    finally:
        gh.PER_PAGE = old
    assert len(fetched.candidates) == 8  # 3 public standard repositories + 5, over 4 pages
    lists = [r for r in github.requests if r.path == "/users/octocat/repos"]
    assert [r.status for r in lists] == [403, 200, 200, 200, 200], "the rate limit was waited out, then resumed"
    assert [r.query.get("page") for r in lists[1:]] == [["1"], ["2"], ["3"], ["4"]]


async def test_a_rate_limit_longer_than_the_wait_is_a_clear_error(github, services, owner):
    github.rate_limit_next(seconds=3600)
    source = GitHubSource(github.url, max_wait_s=5)
    with pytest.raises(RateLimited, match="rate limit is spent until .* FOLIO_GITHUB_TOKEN"):
        await source.fetch("octocat", {})


async def test_clear_errors_keep_what_was_imported(imports, services, github, owner):
    await _import(imports, owner)
    with pytest.raises(NotFound, match="secret-sauce .*private .*FOLIO_GITHUB_TOKEN"):
        await imports.preview(owner, "github:octocat/secret-sauce")
    with pytest.raises(NotFound, match="no user or organisation “nobody-here”"):
        await imports.preview(owner, "github:nobody-here")
    with pytest.raises(ValidationFailed, match="not an import source"):
        await imports.preview(owner, "gitlab:octocat")
    with pytest.raises(ValidationFailed, match="not a GitHub user"):
        await imports.preview(owner, "github:not a user!")
    github.stop()
    with pytest.raises(Unavailable, match="GitHub cannot be reached"):
        await imports.preview(owner, "github:octocat")
    assert (await services.projects.get(owner, "tide-gauge")).title == "tide-gauge", "earlier imports are kept"


async def test_one_repository_and_a_removed_repository(imports, services, github, owner):
    _, report = await _import(imports, owner, "github:octocat/old-crawler")
    assert report.created == [("project", "old-crawler", "old-crawler")]  # named on purpose: selected
    _, report = await _import(imports, owner)
    assert report.created == [("project", "tide-gauge", "tide-gauge")], "one source: no second old-crawler"
    github.repos.remove(github.find("tide-gauge"))
    preview, report = await _import(imports, owner)
    assert [(r.slug, r.title) for r in report.removed] == [("tide-gauge", "tide-gauge")]
    assert await services.projects.exists("tide-gauge"), "a removed repository is reported, never deleted"


async def test_a_preview_is_confirmed_once_and_by_its_owner(imports, github, owner):
    from folio.actor import Actor
    from folio.errors import PermissionDenied

    preview = await imports.preview(owner, "github:octocat")
    with pytest.raises(PermissionDenied):
        await imports.apply(Actor(email="other@example.com", is_owner=True), preview.id)
    await imports.apply(owner, preview.id)
    with pytest.raises(NotFound, match="expired or was already confirmed"):
        await imports.apply(owner, preview.id)


async def test_humanised_titles_only_when_asked(services, github, owner):
    imports = ImportService(services.db, services.content, GitHubConfig(github.url))
    preview = await imports.preview(owner, "github:octocat", humanise=True)
    assert {p.candidate.title for p in preview.planned} == {"Tide gauge", "Left pad fork", "Old crawler"}
