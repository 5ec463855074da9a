"""A PostgreSQL restart under the running app, over real HTTP: while the database is down REST answers
503 with a message (never 500), and once it is back every request works again at once, the owner's
login included: pooled connections are checked before use (pool_pre_ping), and search, which skips
that round trip, runs its statement again once on a new connection."""

import asyncio
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from testkit.api import OWNER_EMAIL, OWNER_PASSWORD
from testkit.live_server import LiveServer
from testkit.pg_ctl import last_options, restart, start_as_before, stop

from data import migrate
from data.embedded_pg import EmbeddedPostgres
from launch.composition import open_services
from folio.settings import load_settings


@pytest.fixture(scope="module")
def own_pg():
    """A PostgreSQL of this module's own: restarting the shared one would disturb other tests."""
    root = Path(tempfile.mkdtemp(prefix="frst", dir="/tmp"))
    server = EmbeddedPostgres(root / "pg")
    url = load_settings().sqlalchemy_url(server.start())
    migrate.upgrade(url)
    yield root / "pg", url
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def live(own_pg, embedder):
    pgdata, url = own_pg

    async def owner():
        services = open_services(url, embedder=embedder)
        try:
            await services.users.ensure_owner(OWNER_EMAIL, OWNER_PASSWORD)
        finally:
            await services.db.dispose()

    asyncio.run(owner())
    from launch.composition import build_app

    settings = load_settings(secret_key="restart-test-secret-" + uuid.uuid4().hex,
                             data_dir=str(pgdata.parent / "data"), rate_read_requests=100_000)
    with LiveServer(build_app(settings, url)) as server:
        yield server, pgdata


def _login(client: httpx.Client) -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"email": OWNER_EMAIL, "password": OWNER_PASSWORD})


def test_database_down_is_503_and_back_up_is_fine_at_once(live):
    server, pgdata = live
    options = last_options(pgdata)
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        for _ in range(5):  # a pool of live connections, then the server goes away under it
            assert client.get("/api/v1/projects").status_code == 200
            assert client.get("/api/v1/search", params={"q": "rust"}).status_code == 200
        token = _login(client).json()["access_token"]
        stop(pgdata)
        try:
            for path in ("/api/v1/projects", "/api/v1/auth/me"):
                r = client.get(path, headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 503, r.text
                assert r.json()["error"]["code"] == "unavailable" and "database" in r.json()["error"]["message"]
                assert r.headers["retry-after"]
            assert _login(client).status_code == 503
        finally:
            start_as_before(pgdata, options)
        # The first search after the restart: its pooled connection is dead (search skips the pre-ping);
        # the statement fails once inside and runs again on a new connection.
        assert client.get("/api/v1/search", params={"q": "rust"}).status_code == 200
        statuses = [client.get("/api/v1/projects").status_code for _ in range(20)]
        assert statuses == [200] * 20, statuses
        assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert _login(client).status_code == 200
        client.cookies.clear()


def test_restart_under_traffic_costs_at_most_503s_while_down(live):
    server, pgdata = live
    statuses: list[int] = []
    done = threading.Event()

    def traffic():
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            while not done.is_set():
                statuses.append(client.get("/api/v1/projects").status_code)

    worker = threading.Thread(target=traffic)
    worker.start()
    time.sleep(0.5)
    restart(pgdata)
    time.sleep(0.5)
    done.set()
    worker.join(30)
    assert statuses and set(statuses) <= {200, 503}, sorted(set(statuses))
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        after = [client.get("/api/v1/projects").status_code for _ in range(20)]
        assert after == [200] * 20
        assert _login(client).status_code == 200
