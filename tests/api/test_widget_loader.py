"""/widget.js carries where citations should open: the owner's site pages when FOLIO_SITE_URL is set."""

from testkit.api import client_for, running_app


async def test_the_loader_knows_the_owners_site(settings, api_db_url):
    configured = settings.model_copy(update={"site_url": "https://maya.dev", "site_path_pattern": "/{kind}/{slug}/"})
    async with running_app(configured, api_db_url) as app:
        async with client_for(app) as client:
            response = await client.get("/widget.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    assert '({"site":"https://maya.dev","pattern":"/{kind}/{slug}/"});' in response.text
    assert "/copilot/index.js" in response.text and "/auth/header" in response.text


async def test_without_a_site_citations_open_at_folio(anon):
    response = await anon.get("/widget.js")
    assert '({"site":null,"pattern":"/{plural}/{slug}/"});' in response.text
