"""Fixtures for the imports: a fake GitHub API and blog feeds served over HTTP on 127.0.0.1, and an
ImportService over the test database pointed at them."""

from __future__ import annotations

import pytest
from testkit.fake_feeds import FakeFeeds
from testkit.fake_github import FakeGitHub, Repo

from folio.services.importing import GitHubConfig, ImportService

README = """<p align="center"><img src="docs/logo.png" alt="Tide Gauge logo" width="120"></p>

# Tide Gauge

Water-level sensors on three piers report the sea level every minute over LoRaWAN.

![architecture diagram](docs/arch.png)

See [the setup guide](docs/setup.md), the [changelog](/CHANGELOG.md) and [usage](#usage).
Upstream: [LoRaWAN spec](https://lora-alliance.org/).

[license]: LICENSE

## Usage

Run `tide serve`.
"""


def standard_repos(github: FakeGitHub) -> None:
    github.add(Repo("tide-gauge", "Coastal water-level sensors.", "Python", ["iot", "timescaledb", "python"],
                    homepage="tide.example.dev", readme=README, updated_at="2024-06-03T10:00:00Z"))
    github.add(Repo("left-pad-fork", "A fork.", "JavaScript", fork=True, readme="# fork",
                    updated_at="2024-06-02T10:00:00Z"))
    github.add(Repo("old-crawler", "A crawler, retired.", "Go", ["go", "scraping"], archived=True,
                    created_at="2021-04-05T10:00:00Z", pushed_at="2022-11-30T10:00:00Z", readme="# Old crawler\n\nIt crawled.",
                    updated_at="2024-06-01T10:00:00Z"))
    github.add(Repo("secret-sauce", "Private.", "Rust", private=True, readme="# secret"))


@pytest.fixture
def github():
    with FakeGitHub("octocat") as fake:
        standard_repos(fake)
        yield fake


@pytest.fixture
def feeds():
    with FakeFeeds() as fake:
        yield fake


@pytest.fixture
def imports(services, github):
    return ImportService(services.db, services.content, GitHubConfig(github.url))
