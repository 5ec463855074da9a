"""Field mapping: a GitHub repository and its README to a project, a feed entry to a post.

Values are JSON (dates as ISO strings, lists as lists) so each can be stored as the source's value."""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from markdownify import markdownify

TAG_MAX, TAGS_MAX, TECH_MAX, TITLE_MAX, URL_MAX = 60, 20, 30, 200, 500
TEXT_MAX = 100_000

#: GitHub topics that name a technology, and how folio spells it (topics are lower-case slugs).
TECH_TOPICS = {
    "python": "Python", "rust": "Rust", "go": "Go", "golang": "Go", "java": "Java", "kotlin": "Kotlin",
    "javascript": "JavaScript", "typescript": "TypeScript", "nodejs": "Node.js", "node": "Node.js", "deno": "Deno",
    "ruby": "Ruby", "rails": "Rails", "php": "PHP", "laravel": "Laravel", "c": "C", "cpp": "C++", "csharp": "C#",
    "dotnet": ".NET", "swift": "Swift", "scala": "Scala", "elixir": "Elixir", "erlang": "Erlang",
    "haskell": "Haskell", "clojure": "Clojure", "zig": "Zig", "lua": "Lua", "dart": "Dart", "flutter": "Flutter",
    "react": "React", "vue": "Vue", "svelte": "Svelte", "angular": "Angular", "nextjs": "Next.js",
    "django": "Django", "flask": "Flask", "fastapi": "FastAPI", "spring": "Spring", "express": "Express",
    "postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite", "redis": "Redis",
    "mongodb": "MongoDB", "kafka": "Kafka", "elasticsearch": "Elasticsearch", "clickhouse": "ClickHouse",
    "timescaledb": "TimescaleDB", "pgvector": "pgvector", "docker": "Docker", "kubernetes": "Kubernetes",
    "terraform": "Terraform", "ansible": "Ansible", "aws": "AWS", "gcp": "GCP", "azure": "Azure",
    "graphql": "GraphQL", "grpc": "gRPC", "webassembly": "WebAssembly", "wasm": "WebAssembly",
    "pytorch": "PyTorch", "tensorflow": "TensorFlow", "opentelemetry": "OpenTelemetry", "prometheus": "Prometheus",
    "grafana": "Grafana", "tailwindcss": "Tailwind CSS", "htmx": "htmx", "bash": "Bash", "shell": "Shell",
}


def humanise(name: str) -> str:
    """"tide-gauge_v2" -> "Tide gauge v2" (only when the owner asks for it)."""
    words = re.sub(r"[-_.]+", " ", name).strip()
    return (words[:1].upper() + words[1:]) if words else name


def _day(stamp: str | None) -> str | None:
    return stamp[:10] if stamp else None


def _url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > URL_MAX:
        return None
    return value


def _tags(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        value = " ".join(str(value).split())[:TAG_MAX]
        if value and value.lower() not in (t.lower() for t in out):
            out.append(value)
    return out


def project_values(repo: dict[str, Any], readme: str | None, *, humanised: bool = False) -> dict[str, Any]:
    """A repository (the REST API's repository object) as a project's fields. `readme`: the README as
    Markdown (None: unchanged since the last read, so the body is left out)."""
    topics = [str(t) for t in repo.get("topics") or []]
    tech = [repo["language"]] if repo.get("language") else []
    tech += [TECH_TOPICS[t] for t in topics if t in TECH_TOPICS]
    archived = bool(repo.get("archived"))
    name = str(repo["name"])
    values: dict[str, Any] = {
        "title": (humanise(name) if humanised else name)[:TITLE_MAX],
        "summary": (repo.get("description") or "").strip()[:TEXT_MAX],
        "tech_stack": _tags(tech)[:TECH_MAX],
        "tags": _tags(topics)[:TAGS_MAX],
        "repo_url": _url(repo.get("html_url")),
        "live_url": _url(repo.get("homepage")),
        "started_on": _day(repo.get("created_at")),
        "finished_on": _day(repo.get("pushed_at")) if archived else None,
    }
    if values["finished_on"] and values["started_on"] and values["finished_on"] < values["started_on"]:
        values["finished_on"] = None  # a clock skew at the source: no end before the start
    if readme is not None:
        values["body"] = readme[:TEXT_MAX]
    return values


# ---- README -> Markdown with absolute links ------------------------------------------------------

MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
MD_REF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.M)
HTML_BLOCK = re.compile(r"^\s*<(?:p|div|h[1-6]|img|a|picture|table|br|details|summary|center)\b.*?(?:\n\s*\n|\Z)",
                        re.S | re.M | re.I)


def _absolute(url: str, blob_base: str, raw_base: str, image: bool) -> str:
    if url.startswith(("#", "mailto:")) or urlsplit(url).scheme in ("http", "https"):
        return url
    if url.startswith("//"):
        return "https:" + url
    base = raw_base if image else blob_base
    if url.startswith("/"):
        return urljoin(base, posixpath.normpath(url.lstrip("/")))
    return urljoin(base, url)


def readme_markdown(text: str, path: str, blob_base: str, raw_base: str) -> str:
    """The README as Markdown: HTML blocks converted, relative links made absolute (pages under the
    repository's blob URL), images turned into links to the picture (nothing loads from outside)."""
    if not path.lower().endswith((".md", ".markdown", ".mdown", ".mkd")):
        return text.strip()  # reStructuredText, plain text: shown as written

    def html(match: re.Match) -> str:
        return markdownify(match.group(0), heading_style="ATX", escape_underscores=False).strip() + "\n\n"

    text = HTML_BLOCK.sub(html, text)

    def link(match: re.Match) -> str:
        bang, label, url, title = match.groups()
        image = bool(bang)
        target = _absolute(url, blob_base, raw_base, image)
        if image:
            return f"[{label or 'image'}]({target})"
        return f"[{label}]({target}{title or ''})"

    text = MD_LINK.sub(link, text)
    text = MD_REF.sub(lambda m: m.group(1) + _absolute(m.group(2), blob_base, raw_base, False), text)
    return text.strip()


# ---- feed entries -> posts ----------------------------------------------------------------------

def html_to_markdown(html: str) -> str:
    """An entry's HTML as Markdown; images become links to the picture."""
    text = markdownify(html or "", heading_style="ATX", bullets="-", strip=["script", "style", "iframe"],
                       escape_underscores=False)  # snake_case words stay readable (CommonMark: no intraword emphasis)
    text = MD_LINK.sub(lambda m: f"[{m.group(2) or 'image'}]({m.group(3)})" if m.group(1) else m.group(0), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def plain_text(html: str) -> str:
    return " ".join(html_to_markdown(html).replace("*", "").replace("#", "").split())


def post_values(entry: dict[str, Any]) -> dict[str, Any]:
    """A normalised feed entry (folio.services.importing.feeds) as a post's fields."""
    body = html_to_markdown(entry.get("content") or entry.get("summary") or "")
    summary = plain_text(entry.get("summary") or "") if entry.get("summary") else ""
    if not summary or summary == " ".join(body.split()):
        summary = " ".join(body.split())[:280]
    published: datetime | None = entry.get("published")
    return {
        "title": (" ".join((entry.get("title") or "").split()) or "Untitled")[:TITLE_MAX],
        "excerpt": summary[:TEXT_MAX],
        "body": body[:TEXT_MAX],
        "tags": _tags(entry.get("tags") or [])[:TAGS_MAX],
        "canonical_url": _url(entry.get("link")),
        "published_at": published.isoformat() if published else None,
    }
