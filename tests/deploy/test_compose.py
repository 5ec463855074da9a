"""docker-compose.yml and the CPU override, as Docker Compose v2 resolves them (no engine needed)."""

from urllib.parse import urlsplit

import pytest

from folio.settings import Settings, load_settings
from testkit.deploy import BASE, CPU, ENV_EXAMPLE, compose_config, compose_run, flag
from testkit.procs import ROOT


@pytest.fixture(scope="module")
def empty_env(tmp_path_factory):
    """Only what compose requires: POSTGRES_PASSWORD (`:?`, no default)."""
    path = tmp_path_factory.mktemp("env") / "required.env"
    path.write_text("POSTGRES_PASSWORD=s3cret\n")
    return path


@pytest.fixture(scope="module")
def example_env(tmp_path_factory):
    """.env.example as an operator fills it in: the required password set."""
    path = tmp_path_factory.mktemp("env") / "example.env"
    path.write_text(ENV_EXAMPLE.read_text().replace("\nPOSTGRES_PASSWORD=\n", "\nPOSTGRES_PASSWORD=s3cret\n"))
    assert "POSTGRES_PASSWORD=s3cret" in path.read_text()
    return path


@pytest.fixture(scope="module")
def gpu(empty_env):
    return compose_config(BASE, env_file=empty_env)["services"]


@pytest.fixture(scope="module")
def cpu(empty_env):
    return compose_config(BASE, CPU, env_file=empty_env)["services"]


def _port(command: list[str]) -> int:
    value = flag(command, "port")
    assert value is not None, f"no --port in {command}"
    return int(value)


def _health_url(service: dict) -> str:
    test = " ".join(service["healthcheck"]["test"])
    url = next(word.strip("'\",)") for word in test.replace("(", " ").split() if "://" in word)
    return url


@pytest.mark.parametrize("files", [[BASE], [BASE, CPU]], ids=["gpu", "cpu"])
@pytest.mark.parametrize("env", ["defaults", ".env.example"])
def test_the_files_are_valid_compose(files, env, empty_env, example_env):
    env_file = example_env if env == ".env.example" else empty_env
    result = compose_run(*[a for f in files for a in ("-f", str(f))], "config", "--quiet", env_file=env_file)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings (an unset variable without a default warns)


@pytest.mark.parametrize("env", ["nothing", ".env.example"])
def test_compose_refuses_to_start_without_a_database_password(tmp_path, env):
    env_file = ENV_EXAMPLE if env == ".env.example" else tmp_path / "empty.env"
    if env == "nothing":
        env_file.write_text("")
    result = compose_run("-f", str(BASE), "config", "--quiet", env_file=env_file)
    assert result.returncode != 0 and "set POSTGRES_PASSWORD in .env" in result.stderr, result.stderr


@pytest.mark.parametrize("body, message", [
    ("services:\n  app:\n    image: x\n    depends_on:\n      db: {condition: service_ready}\n  db:\n    image: y\n",
     "depends_on.db.condition value must be one of"),
    ("services:\n  db:\n    image: y\n    helthcheck: {test: [CMD, 'true']}\n", "helthcheck"),
])
def test_a_broken_file_is_caught(tmp_path, empty_env, body, message):
    """The validator really validates (the checks above could not pass on anything)."""
    bad = tmp_path / "bad.yml"
    bad.write_text(body)
    result = compose_run("-f", str(bad), "config", "--quiet", env_file=empty_env)
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_services_and_their_health(gpu):
    assert set(gpu) == {"db", "llm", "embeddings", "app"}
    db = gpu["db"]
    assert db["image"].startswith("pgvector/pgvector:") and db["image"].endswith("-pg18")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v["type"] == "volume" and v["target"].startswith("/var/lib/postgresql") for v in db["volumes"])

    llm = gpu["llm"]
    assert llm["image"].startswith("vllm/vllm-openai:")
    assert "--enable-auto-tool-choice" in llm["command"] and flag(llm["command"], "tool-call-parser") == "hermes"
    assert flag(llm["command"], "model") == "Qwen/Qwen2.5-7B-Instruct-AWQ"
    devices = llm["deploy"]["resources"]["reservations"]["devices"]
    assert any(d["driver"] == "nvidia" and "gpu" in d["capabilities"] for d in devices)
    assert any(v["type"] == "volume" and v["target"] == "/root/.cache/huggingface" for v in llm["volumes"])
    assert _health_url(llm) == f"http://127.0.0.1:{_port(llm['command'])}/health"

    emb = gpu["embeddings"]
    assert emb["image"].startswith("michaelf34/infinity:")
    assert flag(emb["command"], "model-id") == "BAAI/bge-base-en-v1.5" and flag(emb["command"], "url-prefix") == "/v1"
    assert _health_url(emb) == f"http://127.0.0.1:{_port(emb['command'])}/health"
    for service in gpu.values():
        assert service.get("restart") == "unless-stopped"


def test_the_app_is_wired_to_the_other_services(gpu):
    app, env = gpu["app"], gpu["app"]["environment"]
    assert app["build"]["context"] == str(ROOT)
    assert {name: dep["condition"] for name, dep in app["depends_on"].items()} == {
        "db": "service_healthy", "llm": "service_healthy", "embeddings": "service_healthy"}

    url = urlsplit(env["FOLIO_DATABASE_URL"])
    db_env = gpu["db"]["environment"]
    assert (url.scheme, url.hostname, url.port) == ("postgresql", "db", 5432)
    assert (url.username, url.password, url.path) == (
        db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"], "/" + db_env["POSTGRES_DB"])

    llm_cmd, emb_cmd = gpu["llm"]["command"], gpu["embeddings"]["command"]
    assert env["FOLIO_LLM_BASE_URL"] == f"http://llm:{_port(llm_cmd)}/v1"
    assert env["FOLIO_LLM_MODEL"] == flag(llm_cmd, "served-model-name")
    assert env["FOLIO_EMBEDDINGS_BASE_URL"] == f"http://embeddings:{_port(emb_cmd)}/v1"
    assert env["FOLIO_EMBEDDINGS_MODEL"] == flag(emb_cmd, "served-model-name")
    assert env["FOLIO_HOST"] == "0.0.0.0"
    assert [p["target"] for p in app["ports"]] == [int(env["FOLIO_PORT"])]
    assert any(v["target"] == env["FOLIO_DATA_DIR"] for v in app["volumes"])


def test_every_setting_reaches_the_app_and_the_result_loads(gpu, monkeypatch):
    env = gpu["app"]["environment"]
    expected = {f"FOLIO_{name.upper()}" for name in Settings.model_fields}
    given = {k for k in env if k.startswith("FOLIO_")}
    assert given - expected == set(), "docker-compose.yml sets FOLIO_ variables folio does not know"
    assert expected - given == set(), "add these settings to the app service in docker-compose.yml"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(_env_file=None)
    assert settings.database_url.startswith("postgresql://") and not settings.uses_embedded_db
    assert settings.seed_demo is False and settings.owner_email is None and settings.secret_key is None


def test_cpu_override_swaps_vllm_for_llama_cpp_and_nothing_else(gpu, cpu):
    llm = cpu["llm"]
    assert llm["image"].startswith("ghcr.io/ggml-org/llama.cpp:server")
    assert "deploy" not in llm or not llm["deploy"].get("resources"), "the CPU variant must not reserve a GPU"
    assert "ipc" not in llm and not llm.get("environment")
    assert "--jinja" in llm["command"]  # the model's chat template carries its tool-call format
    model = flag(llm["command"], "model")
    mounts = [v for v in llm["volumes"] if model.startswith(v["target"] + "/")]
    assert len(mounts) == 1 and mounts[0]["read_only"] is True and mounts[0]["target"] == "/models"
    assert [v["target"] for v in llm["volumes"]] == ["/models"]
    assert _health_url(llm) == f"http://127.0.0.1:{_port(llm['command'])}/health"
    env = cpu["app"]["environment"]
    assert env["FOLIO_LLM_BASE_URL"] == f"http://llm:{_port(llm['command'])}/v1"
    assert env["FOLIO_LLM_MODEL"] == flag(llm["command"], "alias")
    for name in ("db", "embeddings", "app"):
        assert cpu[name] == gpu[name]
