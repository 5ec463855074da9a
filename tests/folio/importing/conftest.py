"""Fixtures for the imports: a fake GitHub API and blog feeds served over HTTP on 127.0.0.1, and an
ImportService over the test database pointed at them."""

from __future__ import annotations

import pytest
from testkit.fake_feeds import FakeFeeds
from testkit.fake_github import FakeGitHub, standard_repos

from folio.services.importing import GitHubConfig, ImportService


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
