"""Property-based checks of the whole API against its own /openapi.json (schemathesis), over real HTTP:
anonymous and owner-authenticated, a bounded number of examples per operation. No 5xx; status codes,
content types, headers and bodies conform to the schema."""

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)
from testkit.api import OWNER_EMAIL, OWNER_PASSWORD
from testkit.live_server import LiveServer

from launch.composition import build_app
from folio.settings import load_settings

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Logging out would end the owner's session for every later case; it is exercised anonymously.
OWNER_SKIPS = {("POST", "/api/v1/auth/logout")}
CALLS: list[tuple[str, str, int]] = []


@pytest.fixture(scope="module")
def live_api(pg, api_template, llm, tmp_path_factory):
    name = pg.create(template=api_template.template)
    app_settings = load_settings(secret_key="schemathesis-secret-key-0123456789",
                                 data_dir=str(tmp_path_factory.mktemp("st")), llm_base_url=llm.base_url,
                                 llm_model="scripted", rate_search_requests=100_000,
                                 rate_read_requests=100_000, rate_login_requests=100_000)
    with LiveServer(build_app(app_settings, pg.url(name))) as server:
        r = httpx.post(server.base_url + "/api/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})
        r.raise_for_status()
        yield server.base_url, r.json()["access_token"]
    pg.drop(name)


def _openapi_document() -> dict:
    """The document the app serves at /openapi.json (building it needs no database)."""
    offline = load_settings(secret_key="schemathesis-offline-key-0123456789", data_dir="/nonexistent")
    return build_app(offline, "postgresql+psycopg://unused@/unused").openapi()


OPENAPI = _openapi_document()
schema = schemathesis.openapi.from_dict(OPENAPI)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, live_api):
    base_url, token = live_api
    identities = [("anonymous", {})]
    if (case.method.upper(), case.path) not in OWNER_SKIPS:
        identities.append(("owner", {"Authorization": f"Bearer {token}"}))
    for who, headers in identities:
        response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)
        CALLS.append((who, f"{case.method.upper()} {case.path}", response.status_code))


def test_schemathesis_ran_every_operation_both_ways(live_api):
    """The property tests above really ran: every operation, as both identities, with many cases; and
    the document they were generated from is the one the server serves."""
    base_url, _ = live_api
    assert httpx.get(base_url + "/openapi.json").json() == OPENAPI
    operations = {f"{method.upper()} {path}" for path, item in OPENAPI["paths"].items() for method in item}
    seen = {(who, op) for who, op, _ in CALLS}
    for op in operations:
        assert ("anonymous", op) in seen, op
        if tuple(op.split(" ", 1)) not in OWNER_SKIPS:
            assert ("owner", op) in seen, op
    assert not [c for c in CALLS if c[2] >= 500]
    # The owner's session lasted the whole run, so owner-only paths were really exercised as the owner.
    assert {status for who, op, status in CALLS if (who, op) == ("owner", "GET /api/v1/auth/me")} == {200}
    statuses = {status for *_, status in CALLS}
    assert {200, 201, 401, 404, 422} <= statuses, statuses
    print(f"\nschemathesis: {len(CALLS)} calls over {len(operations)} operations, statuses {sorted(statuses)}")

