"""LinkedIn's Profile.csv: parsed (folio.linkedin) and merged into the owner's profile on PostgreSQL."""

import pytest

from folio.errors import PermissionDenied, ValidationFailed
from folio.linkedin import parse_profile_csv
from folio.schemas_profile import ProfileIn

CSV = ('\ufeff"First Name","Last Name","Maiden Name","Address","Birth Date","Headline","Summary","Industry",'
       '"Zip Code","Geo Location","Twitter Handles","Websites","Instant Messengers"\r\n'
       '"Maya","Okafor","","12 Secret Street","Jan 1, 1990","Backend engineer at Example",'
       '"I build backends.\r\nAnd I mentor.","Software Development","1000-001","Lisbon, Portugal",'
       '"[maya_dev]","[PORTFOLIO:https://maya.dev,COMPANY:https://example.com,OTHER:javascript:alert(1)]",'
       '"[SKYPE:maya.o]"\r\n')


def test_parse_reads_public_fields_only():
    fields = parse_profile_csv(CSV)
    assert fields == {
        "name": "Maya Okafor", "headline": "Backend engineer at Example", "bio": "I build backends.\nAnd I mentor.",
        "location": "Lisbon, Portugal",
        "links": [{"label": "Portfolio", "url": "https://maya.dev"}, {"label": "Company", "url": "https://example.com"},
                  {"label": "Twitter", "url": "https://twitter.com/maya_dev"}]}
    assert "Secret" not in str(fields) and "1990" not in str(fields) and "SKYPE" not in str(fields)


def test_not_a_profile_csv_is_refused():
    for text in ("", "Company Name,Title\nAcme,Engineer\n", '"First Name","Last Name"\n'):
        with pytest.raises(ValidationFailed):
            parse_profile_csv(text)


async def test_import_merges_into_the_profile(services, owner, visitor):
    await services.profile.put(owner, ProfileIn(name="Maya", location="Porto", open_to_work=True,
                                                availability="from March",
                                                links=[{"label": "Site", "url": "https://maya.dev"}]))
    with pytest.raises(PermissionDenied):
        await services.profile.import_linkedin(visitor, CSV)
    profile = await services.profile.import_linkedin(owner, CSV)
    assert (profile.name, profile.headline, profile.location) == ("Maya Okafor", "Backend engineer at Example",
                                                                  "Lisbon, Portugal")
    assert profile.open_to_work and profile.availability == "from March"  # LinkedIn does not say: kept
    assert [link["url"] for link in profile.links] == ["https://maya.dev", "https://example.com",
                                                       "https://twitter.com/maya_dev"]  # no duplicate
    hits = await services.search.search(owner, "Okafor mentor backends", limit=3)
    assert hits and hits[0].type == "profile"
