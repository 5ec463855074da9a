"""/cv and /cv.pdf: the CV from the profile, the published roles, the featured projects and the valid
certifications; the PDF's text (extracted here with pypdf) holds the name, every current role and every
valid certification and nothing unpublished; the owner turns it off; booking_url is https only."""

import io

import pypdf
import pytest

from folio.schemas import CertificationCreate, ProjectCreate
from folio.schemas_experience import ExperienceCreate
from folio.schemas_profile import ProfileIn

PROFILE = ProfileIn(name="Ada Quokkawright", headline="Backend engineer: Python, PostgreSQL",
                    location="Lisbon", contact="email first", booking_url="https://cal.com/ada/30min",
                    links=[{"label": "GitHub", "url": "https://github.com/ada"}])
ROLES = [
    ExperienceCreate(organisation="Northwind", title="Staff Engineer", started_on="2024-02-01",
                     summary="Leads the search platform.", highlights=["Cut p99 latency by 40%"]),
    ExperienceCreate(organisation="Tailspin", title="Platform Lead", started_on="2025-01-01",
                     summary="Part-time platform work."),
    ExperienceCreate(organisation="Contoso", title="Backend Engineer", started_on="2019-01-01", ended_on="2023-12-01"),
    ExperienceCreate(organisation="Zanzibar Labs", title="Secret Advisor", started_on="2024-06-01", published=False),
]
CERTS = [
    CertificationCreate(name="Google Professional Data Engineer", issuer="Google", issued_on="2025-01-10",
                        expires_on="2099-01-10"),
    CertificationCreate(name="Oracle Expired Thing", issuer="Oracle", issued_on="2015-01-10", expires_on="2018-01-10"),
]


@pytest.fixture
async def cv_owner(app, accounts):
    services, owner = app.state.services, accounts.owner
    await services.profile.put(owner, PROFILE)
    for role in ROLES:
        await services.content("experience").create(owner, role)
    for cert in CERTS:
        await services.content("certification").create(owner, cert)
    await services.content("project").create(owner, ProjectCreate(
        title="Hidden Gem", summary="Not yet.", tech_stack=["Go"], featured=True, published=False))
    return owner


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


async def test_the_pdf_holds_the_name_current_roles_valid_certifications_and_nothing_unpublished(anon, cv_owner):
    r = await anon.get("/cv.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    text = _pdf_text(r.content)
    for expected in ("Ada Quokkawright", "Staff Engineer", "Northwind", "Platform Lead", "Tailspin",
                     "Backend Engineer", "Google Professional Data Engineer", "AWS Solutions Architect",
                     "Certified Kubernetes Administrator", "Glint"):
        assert expected in text, expected
    for hidden in ("Secret Advisor", "Zanzibar", "Oracle Expired Thing", "Hidden Gem", "Secret Lab", "Tide Gauge"):
        assert hidden not in text, hidden  # unpublished, expired, not featured


async def test_the_html_cv_matches_and_escapes(anon, app, cv_owner):
    await app.state.services.profile.update(cv_owner, {"headline": "<script>alert(1)</script> engineer"})
    r = await anon.get("/cv")
    assert r.status_code == 200 and "<h1>Ada Quokkawright</h1>" in r.text
    assert "Staff Engineer · Northwind" in r.text and "Feb 2024 – present" in r.text
    assert "Google Professional Data Engineer" in r.text and "Secret Advisor" not in r.text
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text
    assert 'href="/cv.pdf"' in r.text


async def test_the_owner_turns_the_cv_off(anon, app, cv_owner):
    await app.state.services.profile.update(cv_owner, {"cv_enabled": False})
    for path in ("/cv", "/cv.pdf"):
        r = await anon.get(path)
        assert r.status_code == 404 and "turned the CV off" in r.text


async def test_no_profile_no_cv(anon):
    assert (await anon.get("/cv.pdf")).status_code == 404


@pytest.mark.parametrize("url", ["http://cal.com/ada", "javascript:alert(1)", "https://", "ftp://x.org",
                                 "https://cal.com/a b"])
async def test_booking_url_is_https_only(owner_client, url):
    r = await owner_client.put("/api/v1/profile", json={"name": "Ada", "booking_url": url})
    assert r.status_code == 422 and "booking_url" in r.text


async def test_booking_url_is_kept(owner_client):
    r = await owner_client.put("/api/v1/profile", json={"name": "Ada", "booking_url": "https://cal.com/ada/30min"})
    assert r.status_code == 200 and r.json()["booking_url"] == "https://cal.com/ada/30min"
    assert r.json()["cv_enabled"] is True
