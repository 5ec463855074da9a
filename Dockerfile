# syntax=docker/dockerfile:1
# folio's app image: REST and chat on one port. PostgreSQL, the chat model and the embedding model
# run as their own services (docker-compose.yml), so the embedded ones (the `local` and `llm`
# extras: embedded PostgreSQL, torch, llama.cpp) are not installed here.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
# Dependencies first, in their own layer, from the lock (every package pinned, with its hashes: pip
# refuses any other file): a change to folio's source reuses this layer; only a new lock rebuilds it.
COPY requirements/app.lock /tmp/app.lock
RUN python -m venv /opt/folio && /opt/folio/bin/pip install --require-hashes -r /tmp/app.lock
COPY . .
RUN /opt/folio/bin/pip install --no-deps .

FROM python:${PYTHON_VERSION}-slim-bookworm
ENV PATH=/opt/folio/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FOLIO_HOST=0.0.0.0 \
    FOLIO_PORT=8000 \
    FOLIO_DATA_DIR=/data
RUN groupadd --system --gid 10001 folio \
    && useradd --system --uid 10001 --gid folio --home-dir /home/folio --create-home folio \
    && mkdir /data && chown folio:folio /data
COPY --from=build /opt/folio /opt/folio
USER folio
WORKDIR /home/folio
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('FOLIO_PORT', '8000'), timeout=4)"]
# Migrations first (a failed migration stops the container), then the server.
CMD ["sh", "-c", "folio db upgrade && exec folio serve"]
