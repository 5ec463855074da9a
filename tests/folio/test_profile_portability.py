"""The owner's profile in import/export: profile.md (front matter, the bio as Markdown text) in a
folder export, "profile" in a JSON export; exact round trips on the real PostgreSQL."""

from pathlib import Path

import pytest

from launch.composition import open_services
from folio.schemas import ProjectCreate
from folio.schemas_profile import ProfileIn
from folio.services.portability import ImportRejected, PortabilityService

PROFILE = ProfileIn(name="Maya Okafor", headline="Backend engineer", bio="## About\n\nI build *fast* things.",
                    location="Lisbon", links=[{"label": "GitHub", "url": "https://github.com/maya"},
                                              {"label": "Mail", "url": "mailto:maya@example.com"}],
                    open_to_work=True, availability="from March", contact="email first")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target", ["folder", "portfolio.json"])
async def test_profile_round_trip(services, owner, pg, tmp_path, target):
    await services.profile.put(owner, PROFILE)
    await services.projects.create(owner, ProjectCreate(title="Glint", body="A linter."))
    first = tmp_path / "a" / target
    report = await PortabilityService(services).export_path(owner, first)
    assert report.counts == {"projects": 1, "posts": 0, "certifications": 0, "experience": 0, "profile": 1}
    if target == "folder":
        text = (first / "profile.md").read_text()
        assert text.startswith("---\nname: Maya Okafor\n") and text.endswith("## About\n\nI build *fast* things.\n")
    name = pg.create()
    other = open_services(pg.url(name))
    try:
        copy = PortabilityService(other)
        imported = await copy.import_path(owner, first)
        assert sorted(imported.created) == ["profile/me", "project/glint"]
        got = await other.profile.find()
        assert ProfileIn.model_validate({k: getattr(got, k) for k in ProfileIn.model_fields}) == PROFILE
        second = tmp_path / "b" / target
        await copy.export_path(owner, second)
        if target == "folder":
            assert _tree(second) == _tree(first)
        else:
            assert second.read_bytes() == first.read_bytes()
        again = await copy.import_path(owner, first)
        assert "profile/me" in again.unchanged and not again.updated
    finally:
        await other.db.dispose()
        pg.drop(name)


async def test_a_hand_written_profile_md_is_imported_and_a_bad_one_rejected(services, owner, tmp_path):
    source = tmp_path / "site"
    source.mkdir()
    (source / "profile.md").write_text("---\nname: Ada\nlocation: Berlin\nopen_to_work: true\n---\n\nHello, I'm Ada.\n")
    report = await PortabilityService(services).import_path(owner, source)
    assert report.created == ["profile/me"]
    profile = await services.profile.find()
    assert (profile.name, profile.location, profile.bio, profile.open_to_work) == ("Ada", "Berlin", "Hello, I'm Ada.",
                                                                                   True)
    (source / "profile.md").write_text("---\nname: Ada\nlinks:\n- label: x\n  url: javascript:alert(1)\n---\n")
    with pytest.raises(ImportRejected) as rejected:
        await PortabilityService(services).import_path(owner, source)
    assert "links.0.url" in rejected.value.details["problems"][0]["reason"]
    assert (await services.profile.find()).location == "Berlin"  # nothing written
