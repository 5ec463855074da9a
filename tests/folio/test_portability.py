"""Import/export through folio.services.portability on the real PostgreSQL: exact round trips,
validation before any write, idempotent re-import, Hugo/Jekyll layouts."""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from folio.errors import PermissionDenied, ValidationFailed
from launch.composition import open_services
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate
from folio.schemas_experience import ExperienceCreate
from folio.services.portability import ImportRejected, PortabilityService

TRICKY_BODY = "## Heading\n\n---\n\nA rule above, `code`, a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nÜnïcødé ☕ — done."


async def _fill(services, owner):
    """Content that is hard to carry through YAML: look-alike scalars, blank and padded text,
    nulls, empty lists, dates, a non-UTC publication time, unicode, Markdown rules."""
    projects, posts, certs = services.projects, services.posts, services.certifications
    await projects.create(owner, ProjectCreate(
        title="2024-01-01", slug="date-looking-title", summary="yes", body=TRICKY_BODY,
        tags=["null", "true", "1.5"], tech_stack=["C++", "Rust: async", "#hash"],
        repo_url="https://github.com/maya/x?y=1&z=2", featured=True, started_on=date(2023, 2, 28),
        finished_on=date(2024, 2, 29)))
    await projects.create(owner, ProjectCreate(
        title="Padded", summary="multi\nline\nsummary\n", body="\n  indented first line\n\ntrailing spaces   \n",
        published=False))
    await projects.create(owner, ProjectCreate(title="Empty", body=""))
    await posts.create(owner, PostCreate(
        title="Published: with a colon", body="---\nstarts with a rule\n---", excerpt="'quoted' \"double\"",
        tags=["pg"], status="published",
        published_at=datetime(2025, 3, 1, 23, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))))
    await posts.create(owner, PostCreate(title="Draft", body="\tTabbed body", status="draft"))
    await certs.create(owner, CertificationCreate(
        name="CKA", issuer="CNCF", description="Kubernetes admin.\n\nTwo paragraphs.",
        issued_on=date(2024, 5, 1), expires_on=date(2027, 5, 1), credential_id="007",
        credential_url="https://cncf.io/c/007", featured=True))
    await certs.create(owner, CertificationCreate(name="No dates", issuer="Self", description=" "))
    await services.content("experience").create(owner, ExperienceCreate(
        organisation="Acme: Labs", title="Senior Engineer", started_on="2021-03", location="Berlin",
        summary="Led the team.\n\nTwo paragraphs.", highlights=["null", "Cut latency: 90%"], tech=["Python"]))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target", ["folder", "portfolio.json"])
async def test_export_import_export_is_exact(services, owner, pg, tmp_path, target):
    await _fill(services, owner)
    original = PortabilityService(services)
    first = tmp_path / "a" / target
    report = await original.export_path(owner, first)
    assert report.counts == {"projects": 3, "posts": 2, "certifications": 2, "experience": 1}

    name = pg.create()
    other = open_services(pg.url(name))
    try:
        copy = PortabilityService(other)
        imported = await copy.import_path(owner, first)
        assert len(imported.created) == 8 and not imported.updated and not imported.skipped
        # The database content is the same, field for field (publication time included).
        assert await copy.snapshot(owner) == await original.snapshot(owner)
        second_export = tmp_path / "b" / target
        await copy.export_path(owner, second_export)
        if target == "folder":
            assert _tree(second_export) == _tree(first) and len(_tree(first)) == 8
        else:
            assert second_export.read_bytes() == first.read_bytes()
        # Importing the same files again changes nothing.
        again = await copy.import_path(owner, first)
        assert len(again.unchanged) == 8 and not again.created and not again.updated
    finally:
        await other.db.dispose()
        pg.drop(name)


async def test_json_and_markdown_carry_the_same_content(services, owner, pg, tmp_path):
    await _fill(services, owner)
    await PortabilityService(services).export_path(owner, tmp_path / "all.json")
    name = pg.create()
    other = open_services(pg.url(name))
    try:
        await PortabilityService(other).import_path(owner, tmp_path / "all.json")
        await PortabilityService(services).export_path(owner, tmp_path / "md1")
        await PortabilityService(other).export_path(owner, tmp_path / "md2")
        assert _tree(tmp_path / "md1") == _tree(tmp_path / "md2")
    finally:
        await other.db.dispose()
        pg.drop(name)


CANONICAL = {
    "projects/tide-gauge.md": """---
title: Tide Gauge
slug: tide-gauge
summary: Coastal water-level sensors.
tags:
- iot
- timeseries
tech_stack:
- Python
- TimescaleDB
repo_url: https://github.com/maya/tide-gauge
live_url: null
image_url: null
featured: true
published: true
started_on: 2024-03-01
finished_on: null
---

Sensors on three piers report every minute.

- LoRaWAN uplink
- TimescaleDB continuous aggregates
""",
    "posts/hnsw-notes.md": """---
title: HNSW notes
slug: hnsw-notes
excerpt: |-
  Two lines
  of excerpt.
tags: []
cover_image_url: null
canonical_url: null
status: published
published_at: 2025-01-21 09:00:00+00:00
---

## Why HNSW

Because exact scans stop scaling.
""",
    "certifications/cka.md": """---
name: Certified Kubernetes Administrator
slug: cka
issuer: CNCF
issued_on: 2024-05-01
expires_on: 2027-05-01
credential_id: LF-123
credential_url: null
badge_image_url: null
featured: false
---

Cluster administration.
""",
}


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


async def test_import_then_export_gives_back_the_same_files(services, owner, tmp_path):
    source = _write(tmp_path / "site", CANONICAL)
    portability = PortabilityService(services)
    report = await portability.import_path(owner, source)
    assert sorted(report.created) == ["certification/cka", "post/hnsw-notes", "project/tide-gauge"]
    post = await services.posts.get(owner, "hnsw-notes")
    assert post.published_at == datetime(2025, 1, 21, 9, tzinfo=UTC) and post.excerpt == "Two lines\nof excerpt."
    assert (await services.projects.get(owner, "tide-gauge")).started_on == date(2024, 3, 1)
    await portability.export_path(owner, tmp_path / "out")
    assert _tree(tmp_path / "out") == {k: v.encode() for k, v in CANONICAL.items()}


async def test_every_bad_file_is_reported_and_nothing_is_written(services, owner, tmp_path):
    good = CANONICAL["projects/tide-gauge.md"]
    source = _write(tmp_path / "site", {
        "projects/tide-gauge.md": good,
        "projects/broken-yaml.md": "---\ntitle: [unclosed\n---\nbody\n",
        "projects/unknown-field.md": "---\ntitle: X\ncolour: blue\n---\n",
        "projects/no-title.md": "---\nsummary: nameless\n---\n",
        "projects/bad-date.md": "---\ntitle: Bad date\nstarted_on: 2024-02-30\n---\n",
        "projects/ends-before-start.md": "---\ntitle: Time travel\nstarted_on: 2024-02-01\nfinished_on: 2023-01-01\n---\n",
        "projects/bad-url.md": "---\ntitle: Bad URL\nrepo_url: ftp://example.com\n---\n",
        "projects/no-front-matter.md": "# Just Markdown\n",
        "projects/latin1.md": "---\ntitle: Caf\xe9\n---\n".encode("latin-1"),
        "posts/empty-published.md": "---\ntitle: Empty\nstatus: published\n---\n",
        "misc/where.md": "---\ntitle: Somewhere\n---\n",
        "misc/typed.md": "---\ntype: recipe\ntitle: Soup\n---\n",
        "posts/a.md": "---\ntitle: Same\nslug: same\n---\none\n",
        "posts/b.md": "---\ntitle: Same again\nslug: same\n---\ntwo\n",
    })
    portability = PortabilityService(services)
    with pytest.raises(ImportRejected) as exc:
        await portability.import_path(owner, source)
    reasons = {Path(p["source"]).name: p["reason"] for p in exc.value.details["problems"]}
    assert sorted(reasons) == sorted(["broken-yaml.md", "unknown-field.md", "no-title.md", "bad-date.md",
                                      "ends-before-start.md", "bad-url.md", "no-front-matter.md", "latin1.md",
                                      "empty-published.md", "where.md", "typed.md", "a.md", "b.md"])
    assert "not valid YAML" in reasons["broken-yaml.md"]
    assert "colour" in reasons["unknown-field.md"] and "Extra inputs are not permitted" in reasons["unknown-field.md"]
    assert reasons["no-title.md"].startswith("title: Field required")
    assert "impossible date" in reasons["bad-date.md"] and "day is out of range" in reasons["bad-date.md"]
    assert "finished_on must not be before started_on" in reasons["ends-before-start.md"]
    assert "repo_url: must be an http:// or https:// URL" in reasons["bad-url.md"]
    assert "no YAML front matter" in reasons["no-front-matter.md"]
    assert "not UTF-8" in reasons["latin1.md"]
    assert "needs a body before it can be published" in reasons["empty-published.md"]
    assert "cannot tell the kind" in reasons["where.md"]
    assert "unknown type 'recipe'" in reasons["typed.md"]
    assert "'same' appears more than once" in reasons["a.md"] and "more than once" in reasons["b.md"]
    # Validation came first: not even the good file was written.
    assert await services.projects.count() == 0 and await services.posts.count() == 0

    report = await portability.import_path(owner, source, skip_invalid=True)
    assert report.created == ["project/tide-gauge"]
    assert len(report.skipped) == 13
    assert await services.projects.count() == 1 and await services.posts.count() == 0


async def test_reimport_updates_by_slug_and_never_duplicates(services, owner, tmp_path):
    source = _write(tmp_path / "site", CANONICAL)
    portability = PortabilityService(services)
    await portability.import_path(owner, source)
    changed = CANONICAL["projects/tide-gauge.md"].replace("title: Tide Gauge", "title: Tide Gauge v2").replace(
        "repo_url: https://github.com/maya/tide-gauge\n", "")
    _write(source, {"projects/tide-gauge.md": changed})
    report = await portability.import_path(owner, source)
    assert report.updated == ["project/tide-gauge"]
    assert sorted(report.unchanged) == ["certification/cka", "post/hnsw-notes"] and not report.created
    item = await services.projects.get(owner, "tide-gauge")
    # The file is the whole truth: a field left out goes back to its default.
    assert item.title == "Tide Gauge v2" and item.repo_url is None
    assert await services.projects.count() == 1


async def test_hugo_and_jekyll_layouts(services, owner, tmp_path):
    source = _write(tmp_path / "content", {
        "_posts/2024-01-15-hello-world.md": "---\nlayout: post\ntitle: Hello\ndate: 2024-01-15T10:00:00Z\n"
                                             "description: First post.\n---\nHi there.\n",
        "posts/bundle-name/index.md": "---\ntitle: Bundle\ndraft: true\n---\nText.\n",
        "posts/_index.md": "---\ntitle: Posts section page\n---\n",
        "notes/typed.md": "---\ntype: certification\nname: OSCP\nissuer: OffSec\n---\nHands-on.\n",
    })
    report = await PortabilityService(services).import_path(owner, source)
    assert sorted(report.created) == ["certification/typed", "post/bundle-name", "post/hello-world"]
    hello = await services.posts.get(owner, "hello-world")
    assert hello.status == "published" and hello.published_at == datetime(2024, 1, 15, 10, tzinfo=UTC)
    assert hello.excerpt == "First post." and hello.body == "Hi there."
    assert (await services.posts.get(owner, "bundle-name")).status == "draft"
    assert (await services.certifications.get(owner, "typed")).description == "Hands-on."


async def test_only_the_owner_moves_content_and_exports_do_not_clobber(services, owner, visitor, tmp_path):
    portability = PortabilityService(services)
    source = _write(tmp_path / "site", CANONICAL)
    with pytest.raises(PermissionDenied):
        await portability.import_path(visitor, source)
    with pytest.raises(PermissionDenied):
        await portability.export_path(visitor, tmp_path / "out")
    assert await services.projects.count() == 0
    with pytest.raises(ValidationFailed, match="not empty"):
        await portability.export_path(owner, source)
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(ValidationFailed, match="exists"):
        await portability.export_path(owner, tmp_path / "x.json")
    await portability.export_path(owner, tmp_path / "x.json", overwrite=True)
    assert (tmp_path / "x.json").read_text().startswith('{\n  "projects": []')


async def test_json_problems_name_the_entry(services, owner, tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"projects": [{"title": "Ok"}, {"summary": "no title"}, 3], "posts": {}, "extra": []}')
    with pytest.raises(ImportRejected) as exc:
        await PortabilityService(services).import_path(owner, path)
    problems = {p["source"].split("#")[1]: p["reason"] for p in exc.value.details["problems"]}
    assert set(problems) == {"/projects/1", "/projects/2", "/posts", "/extra"}
    assert problems["/projects/1"].startswith("title: Field required")
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(ImportRejected, match="1 problem in"):
        await PortabilityService(services).import_path(owner, tmp_path / "bad.json")
