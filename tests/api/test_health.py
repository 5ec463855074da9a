"""/healthz, /readyz, request ids and the shape of every error."""

import uuid

from testkit.api import client_for, running_app


async def test_healthz(anon):
    r = await anon.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


async def test_readyz_reports_database_embedder_and_llm(anon):
    r = await anon.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["llm"] == {"status": "ok"}  # the scripted model answers /v1/models
    assert body["checks"]["embedder"]["status"] in {"ok", "in_process"}


async def test_readyz_is_503_naming_the_database_when_it_is_down(pg, settings):
    missing = pg.url("no_such_db_" + uuid.uuid4().hex[:8])
    async with running_app(settings, missing) as app, client_for(app) as client:
        r = await client.get("/readyz")
        assert r.status_code == 503
        error = r.json()["error"]
        assert error["code"] == "unavailable" and "database" in error["message"]
        assert error["details"]["dependencies"][0] == "database"  # (the tests' chat model is down too)
        assert (await client.get("/healthz")).status_code == 200  # alive, not ready


async def test_readyz_is_503_naming_the_chat_model_when_it_is_down(app, anon):
    """A chat that can only apologise is not ready: an unreachable or unstarted model fails /readyz."""
    from folio.llm import ChatEndpoint

    app.state.chat_endpoint = ChatEndpoint(base_url="http://127.0.0.1:9/v1", model="x")
    r = await anon.get("/readyz")
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["details"]["dependencies"] == ["llm"] and "llm" in error["message"]
    assert error["details"]["checks"]["llm"]["status"] == "unreachable"
    assert error["details"]["checks"]["database"] == {"status": "ok"}
    app.state.chat_endpoint = None
    r = await anon.get("/readyz")
    assert r.status_code == 503 and r.json()["error"]["details"]["checks"]["llm"]["status"] == "not_started"


async def test_request_id_is_generated_or_honoured(anon):
    r = await anon.get("/api/v1/projects")
    assert len(r.headers["x-request-id"]) >= 16
    r = await anon.get("/api/v1/projects/nope", headers={"X-Request-ID": "client-chosen-42"})
    assert r.headers["x-request-id"] == "client-chosen-42"
    assert r.json()["request_id"] == "client-chosen-42"
    # An unusable incoming id (too long, odd characters) is replaced, never reflected.
    r = await anon.get("/api/v1/projects", headers={"X-Request-ID": "x" * 300})
    assert r.headers["x-request-id"] != "x" * 300


async def test_unknown_routes_and_methods_have_the_error_shape(anon):
    r = await anon.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert r.json()["request_id"] == r.headers["x-request-id"]
    r = await anon.put("/api/v1/projects/glint", json={})
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert r.headers["allow"]


async def test_openapi_and_docs(anon):
    spec = (await anon.get("/openapi.json")).json()
    paths = spec["paths"]
    for path in ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/projects",
                 "/api/v1/projects/{slug}", "/api/v1/posts", "/api/v1/posts/{slug}", "/api/v1/certifications",
                 "/api/v1/certifications/{slug}", "/api/v1/search", "/api/v1/ai/write", "/healthz", "/readyz"]:
        assert path in paths, path
    schemes = spec["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer" and schemes["APIKeyCookie"]["name"] == "folio_session"
    # Every schema has examples, and every field a description.
    for name, schema in spec["components"]["schemas"].items():
        assert schema.get("examples"), f"{name} has no examples"
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field} has no description"
    assert (await anon.get("/docs")).status_code == 200


def test_schema_examples_are_valid():
    from pydantic import BaseModel

    from folio import schemas

    models = [m for m in vars(schemas).values() if isinstance(m, type) and issubclass(m, BaseModel)
              and m.__module__ == schemas.__name__ and not m.__name__.startswith("_")]
    assert len(models) >= 10
    for model in models:
        examples = (model.model_config.get("json_schema_extra") or {}).get("examples", [])
        assert examples, model.__name__
        for example in examples:
            model.model_validate(example)
