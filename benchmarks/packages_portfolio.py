"""Build data/eval/packages_portfolio.json: real third-party text (PyPI summaries of 30 packages, from the
package index list in /work/.library/env/packages/pypi.tsv) written as portfolio projects, for
`folio eval --chat`. Tags and tech stacks are the packages' own languages and domains.

    python benchmarks/packages_portfolio.py [path/to/pypi.tsv]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "eval" / "packages_portfolio.json"
# name: (tech stack, tags, started, finished)
PACKAGES = {
    "pystac-client": (["Python", "STAC"], ["geospatial", "satellite-imagery", "api-client"], "2021-03-01", "2024-06-30"),
    "binaryornot": (["Python"], ["files", "detection"], "2019-05-01", "2020-01-15"),
    "deep-translator": (["Python"], ["translation", "nlp"], "2020-02-01", "2023-06-30"),
    "httpx": (["Python", "asyncio"], ["http", "api-client", "async"], "2020-01-01", None),
    "pendulum": (["Python"], ["datetime", "timezones"], "2018-06-01", "2024-10-01"),
    "tqdm": (["Python"], ["cli", "progress-bar"], "2017-01-01", None),
    "scrapy": (["Python", "Twisted"], ["web-scraping", "crawling"], "2016-01-01", None),
    "celery": (["Python", "Redis", "RabbitMQ"], ["task-queue", "distributed-systems"], "2016-06-01", None),
    "ruff": (["Rust", "Python"], ["linter", "formatter", "developer-tools"], "2022-08-01", None),
    "polars": (["Rust", "Python", "Apache Arrow"], ["dataframes", "analytics"], "2021-01-01", None),
    "orjson": (["Rust", "Python"], ["json", "serialization", "performance"], "2019-01-01", None),
    "duckdb": (["C++", "Python"], ["analytics", "database", "sql"], "2019-06-01", None),
    "lxml": (["Python", "C", "libxml2"], ["xml", "html", "parsing"], "2015-01-01", None),
    "beautifulsoup4": (["Python"], ["html", "parsing", "web-scraping"], "2015-06-01", None),
    "paramiko": (["Python"], ["ssh", "networking", "security"], "2016-01-01", None),
    "cryptography": (["Python", "Rust", "OpenSSL"], ["security", "cryptography"], "2016-01-01", None),
    "shapely": (["Python", "GEOS"], ["geospatial", "geometry"], "2017-01-01", None),
    "rasterio": (["Python", "GDAL", "NumPy"], ["geospatial", "raster"], "2017-06-01", None),
    "geopandas": (["Python", "pandas", "Shapely"], ["geospatial", "dataframes"], "2018-01-01", None),
    "networkx": (["Python"], ["graphs", "algorithms"], "2016-01-01", None),
    "sympy": (["Python"], ["mathematics", "symbolic-computation"], "2016-01-01", None),
    "jinja2": (["Python"], ["templating", "web"], "2016-01-01", None),
    "faker": (["Python"], ["testing", "fake-data"], "2018-01-01", None),
    "loguru": (["Python"], ["logging"], "2018-06-01", "2024-12-31"),
    "tenacity": (["Python"], ["retries", "resilience"], "2017-01-01", None),
    "psycopg": (["Python", "PostgreSQL", "libpq"], ["database", "postgresql"], "2020-01-01", None),
    "uvicorn": (["Python", "asyncio", "uvloop"], ["asgi", "web-server", "async"], "2018-06-01", None),
    "sqlalchemy": (["Python", "PostgreSQL", "SQLite"], ["database", "orm", "sql"], "2015-01-01", None),
    "boto3": (["Python", "AWS"], ["aws", "cloud", "sdk"], "2016-01-01", None),
}


def main(tsv: Path) -> None:
    summaries: dict[str, str] = {}
    with tsv.open(newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["name"] in PACKAGES:
                summaries[row["name"]] = (row.get("summary") or "").strip()
    projects = []
    for name, spec in PACKAGES.items():
        if spec is None or not summaries.get(name):
            continue
        tech, tags, started, finished = spec
        summary = summaries[name]
        body = (f"{summary}\n\nThis project is the PyPI package `{name}`, listed here as portfolio work for "
                f"evaluating the chat. Written with {', '.join(tech)}.")
        projects.append({"title": name, "slug": name.lower().replace("_", "-").replace(".", "-"), "summary": summary,
                         "body": body, "tags": tags, "tech_stack": tech, "repo_url": f"https://pypi.org/project/{name}/",
                         "featured": False, "published": True, "started_on": started, "finished_on": finished})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"projects": projects, "posts": [], "certifications": []}, indent=1) + "\n")
    print(f"{len(projects)} projects -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/.library/env/packages/pypi.tsv"))
