"""/api/v1/experience: the work history over REST (built from its spec only), the public rule, its
order, search and its readable page and JSON-LD."""

ACME = {"organisation": "Acme", "title": "Senior Engineer", "started_on": "2021-03", "location": "Berlin",
        "summary": "Led the ingestion team.", "highlights": ["Cut ingestion latency to seconds"],
        "tech": ["Python", "Kafka"]}
GLOBEX = {"organisation": "Globex", "title": "Engineer", "started_on": "2018-01-15", "ended_on": "2021-02-28",
          "summary": "Built billing services.", "tech": ["Go"]}
SECRET = {"organisation": "Initech", "title": "Contractor", "started_on": "2017-01", "ended_on": "2017-06",
          "summary": "Quiet work on zeppelin telemetry.", "published": False}


async def _add_all(client):
    slugs = []
    for role in (GLOBEX, ACME, SECRET):
        made = await client.post("/api/v1/experience", json=role)
        assert made.status_code == 201, made.text
        slugs.append(made.json()["slug"])
    return slugs


async def test_crud_months_and_order(owner_client, anon):
    slugs = await _add_all(owner_client)
    assert slugs == ["engineer-globex", "senior-engineer-acme", "contractor-initech"]
    acme = (await owner_client.get("/api/v1/experience/senior-engineer-acme")).json()
    assert acme["started_on"] == "2021-03-01" and acme["ended_on"] is None and acme["current"] is True
    globex = (await owner_client.get("/api/v1/experience/engineer-globex")).json()
    assert globex["started_on"] == "2018-01-01" and globex["ended_on"] == "2021-02-01"  # months
    listed = (await owner_client.get("/api/v1/experience")).json()
    assert [i["slug"] for i in listed["items"]] == slugs[1:2] + slugs[:1] + slugs[2:]  # current first, then newest
    left = await owner_client.patch("/api/v1/experience/senior-engineer-acme", json={"ended_on": "2024-06"})
    assert left.status_code == 200 and left.json()["current"] is False and left.json()["ended_on"] == "2024-06-01"
    bad = await owner_client.post("/api/v1/experience", json={**ACME, "slug": "x", "ended_on": "2020-01"})
    assert bad.status_code == 422
    early = await owner_client.patch("/api/v1/experience/senior-engineer-acme", json={"ended_on": "2020-01"})
    assert early.status_code == 422 and "ended_on must not be before started_on" in early.text  # the stored start
    cleared = await owner_client.patch("/api/v1/experience/engineer-globex", json={"organisation": None})
    assert cleared.status_code == 422
    assert (await anon.post("/api/v1/experience", json=ACME)).status_code == 401
    gone = await owner_client.delete("/api/v1/experience/engineer-globex")
    assert gone.status_code == 204
    assert (await owner_client.get("/api/v1/experience/engineer-globex")).status_code == 404


async def test_public_rule_hides_unpublished_roles(owner_client, anon):
    await _add_all(owner_client)
    listed = (await anon.get("/api/v1/experience")).json()
    assert [i["slug"] for i in listed["items"]] == ["senior-engineer-acme", "engineer-globex"]
    assert (await anon.get("/api/v1/experience/contractor-initech")).status_code == 404
    assert (await anon.get("/p/experience/contractor-initech")).status_code == 404
    found = (await anon.get("/api/v1/search", params={"q": "zeppelin telemetry"})).json()["results"]
    assert "contractor-initech" not in [h["slug"] for h in found]
    owner_found = (await owner_client.get("/api/v1/search", params={"q": "zeppelin telemetry"})).json()["results"]
    assert [h["slug"] for h in owner_found if h["type"] == "experience"][0] == "contractor-initech"
    shown = await owner_client.patch("/api/v1/experience/contractor-initech", json={"published": True})
    assert shown.status_code == 200
    assert (await anon.get("/api/v1/experience/contractor-initech")).status_code == 200


async def test_search_page_and_jsonld(owner_client, anon):
    await _add_all(owner_client)
    found = await anon.get("/api/v1/search", params={"q": "ingestion latency Kafka"})
    assert found.status_code == 200, found.text
    hits = [h for h in found.json()["results"] if h["type"] == "experience"]
    assert hits and hits[0]["slug"] == "senior-engineer-acme"
    assert hits[0]["title"] == "Senior Engineer at Acme" and hits[0]["url"] == "/api/v1/experience/senior-engineer-acme"
    tech = (await anon.get("/api/v1/experience", params={"tech": "go"})).json()
    assert [i["slug"] for i in tech["items"]] == ["engineer-globex"]
    page = await anon.get("/p/experience/senior-engineer-acme")
    assert page.status_code == 200
    assert "Senior Engineer at Acme" in page.text and "Mar 2021 – now" in page.text
    assert "Led the ingestion team." in page.text and "Cut ingestion latency to seconds" in page.text
    doc = await anon.get("/api/v1/experience/senior-engineer-acme/jsonld")
    assert doc.status_code == 200, doc.text
    assert doc.json()["@type"] == "OrganizationRole" and doc.json()["startDate"] == "2021-03-01"


async def test_the_owners_jsonld_lists_published_roles_as_occupations(owner_client, anon):
    await _add_all(owner_client)
    doc = await anon.get("/api/v1/profile/jsonld")
    assert doc.status_code == 200, doc.text
    person = doc.json()
    assert [r["roleName"] for r in person["hasOccupation"]] == ["Senior Engineer", "Engineer"]  # no hidden role
    assert person["hasOccupation"][0]["memberOf"] == {"@type": "Organization", "name": "Acme"}
    assert all(w["@type"] != "OrganizationRole" for w in person["workExample"])
