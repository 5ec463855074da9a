"""LinkedIn's Positions.csv: parsed (folio.linkedin_positions) and imported as roles on PostgreSQL, by
the service and through `folio import <export folder>` (PortabilityService.import_path)."""

from datetime import date

import pytest

from folio.errors import PermissionDenied, ValidationFailed
from folio.linkedin_positions import month_of, parse_positions_csv
from folio.services.linkedin_import import LinkedInImport
from folio.services.portability import PortabilityService

CSV = ('\ufeff"Company Name","Title","Description","Location","Started On","Finished On"\r\n'
       '"Acme","Senior Engineer","Leads the data platform.\r\n- Cut ingestion latency to seconds\r\n'
       '• Mentored four engineers","Berlin, Germany","Mar 2021",""\r\n'
       '"Globex","Engineer","Billing services in Go.","","2018","Feb 2021"\r\n'
       '"Broken Co","Intern","","","sometime",""\r\n')
TODAY = date(2025, 3, 15)
PROFILE_CSV = ('"First Name","Last Name","Headline","Summary","Geo Location","Websites"\r\n'
               '"Maya","Okafor","Backend engineer","I build backends.","Lisbon, Portugal",""\r\n')


@pytest.mark.parametrize("text, end, expected", [
    ("Mar 2021", False, date(2021, 3, 1)), ("March 2021", False, date(2021, 3, 1)),
    ("2021", False, date(2021, 1, 1)), ("2021", True, date(2021, 12, 1)), ("2025", True, date(2025, 3, 1)),
    ("03/2021", False, date(2021, 3, 1)), ("2021-03", False, date(2021, 3, 1)), ("", True, None)])
def test_months(text, end, expected):
    assert month_of(text, end=end, today=TODAY) == expected


def test_parse_roles_highlights_and_problems():
    roles, problems = parse_positions_csv(CSV, today=TODAY)
    assert roles == [
        {"organisation": "Acme", "title": "Senior Engineer", "started_on": date(2021, 3, 1), "ended_on": None,
         "location": "Berlin, Germany", "summary": "Leads the data platform.",
         "highlights": ["Cut ingestion latency to seconds", "Mentored four engineers"]},
        {"organisation": "Globex", "title": "Engineer", "started_on": date(2018, 1, 1), "ended_on": date(2021, 2, 1),
         "location": "", "summary": "Billing services in Go.", "highlights": []}]
    assert problems == ["row 4: not a month: 'sometime'"]
    for text in ("", '"First Name","Last Name"\nMaya,Okafor\n'):
        with pytest.raises(ValidationFailed):
            parse_positions_csv(text)


async def test_import_creates_roles_once_and_updates_what_linkedin_carries(services, owner, visitor):
    importer = LinkedInImport(services)
    first = await importer.import_positions(owner, CSV)
    assert first.created == ["experience/senior-engineer-acme", "experience/engineer-globex"]
    assert [p.reason for p in first.skipped] == ["row 4: not a month: 'sometime'"]
    roles = services.content("experience")
    await roles.update(owner, "senior-engineer-acme", roles.spec.update(tech=["Python"]))  # the owner's own
    again = await importer.import_positions(owner, CSV)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 2
    left = CSV.replace('"Mar 2021",""', '"Mar 2021","Jun 2024"')
    third = await importer.import_positions(owner, left)
    assert third.updated == ["experience/senior-engineer-acme"]
    acme = await roles.get(visitor, "senior-engineer-acme")
    assert acme.ended_on == date(2024, 6, 1) and acme.tech == ["Python"]  # kept: LinkedIn has no tech column
    assert (await roles.list(visitor)).total == 2
    with pytest.raises(PermissionDenied):
        await importer.import_positions(visitor, CSV)


async def test_folio_import_of_an_export_folder(services, owner, visitor, tmp_path):
    (tmp_path / "Positions.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "Profile.csv").write_text(PROFILE_CSV, encoding="utf-8")
    (tmp_path / "Connections.csv").write_text("First Name,Last Name\nA,B\n", encoding="utf-8")  # not read
    report = await PortabilityService(services).import_path(owner, tmp_path)
    assert report.created == ["profile/me", "experience/senior-engineer-acme", "experience/engineer-globex"]
    assert (await services.profile.find()).name == "Maya Okafor"
    found = await services.search.search(visitor, "ingestion latency")
    assert found[0].slug == "senior-engineer-acme"
