"""A fake GitHub REST API on 127.0.0.1 (testkit.fake_http), answering with the documented shapes of
GET /users/{user}/repos (pagination through Link headers, per_page/page, sort=updated), GET
/repos/{owner}/{repo} and GET /repos/{owner}/{repo}/readme (base64 content), ETag 304s, and a primary
rate limit (403 with X-RateLimit-Remaining: 0 and X-RateLimit-Reset) when asked to.
Shapes: https://docs.github.com/rest/repos/repos#list-repositories-for-a-user and
https://docs.github.com/rest/repos/contents#get-a-repository-readme."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from testkit.fake_http import Answer, FakeHTTP

JSON = {"Content-Type": "application/json; charset=utf-8", "X-GitHub-Media-Type": "github.v3; format=json",
        "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59", "X-RateLimit-Resource": "core"}


@dataclass
class Repo:
    name: str
    description: str | None = None
    language: str | None = None
    topics: list[str] = field(default_factory=list)
    homepage: str | None = None
    fork: bool = False
    archived: bool = False
    private: bool = False
    readme: str | None = None
    readme_path: str = "README.md"
    created_at: str = "2023-02-01T10:00:00Z"
    pushed_at: str = "2024-06-01T10:00:00Z"
    updated_at: str = "2024-06-01T10:00:00Z"
    default_branch: str = "main"
    id: int = 0


def repo_json(owner: str, repo: Repo, api: str) -> dict[str, Any]:
    full = f"{owner}/{repo.name}"
    return {
        "id": repo.id, "node_id": f"R_kgDO{repo.id:08d}", "name": repo.name, "full_name": full,
        "private": repo.private,
        "owner": {"login": owner, "id": 583231, "node_id": "MDQ6VXNlcjU4MzIzMQ==", "type": "User",
                  "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
                  "html_url": f"https://github.com/{owner}", "url": f"{api}/users/{owner}", "site_admin": False},
        "html_url": f"https://github.com/{full}", "description": repo.description, "fork": repo.fork,
        "url": f"{api}/repos/{full}", "languages_url": f"{api}/repos/{full}/languages",
        "contents_url": f"{api}/repos/{full}/contents/{{+path}}",
        "clone_url": f"https://github.com/{full}.git", "git_url": f"git://github.com/{full}.git",
        "ssh_url": f"git@github.com:{full}.git", "homepage": repo.homepage, "language": repo.language,
        "forks_count": 0, "stargazers_count": 3, "watchers_count": 3, "size": 120, "open_issues_count": 0,
        "default_branch": repo.default_branch, "topics": list(repo.topics), "visibility":
            "private" if repo.private else "public", "archived": repo.archived, "disabled": False,
        "has_issues": True, "has_wiki": False, "has_pages": False, "is_template": False,
        "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT", "url": f"{api}/licenses/mit",
                    "node_id": "MDc6TGljZW5zZTEz"},
        "pushed_at": repo.pushed_at, "created_at": repo.created_at, "updated_at": repo.updated_at,
    }


class FakeGitHub(FakeHTTP):
    def __init__(self, owner: str = "octocat"):
        super().__init__()
        self.owner = owner
        self.repos: list[Repo] = []
        self.routes = [self._list, self._readme, self._repo]

    def add(self, repo: Repo) -> Repo:
        repo.id = repo.id or 1_000_000 + len(self.repos) + 1
        self.repos.append(repo)
        return repo

    def find(self, name: str) -> Repo:
        return next(r for r in self.repos if r.name == name)

    def rate_limit_next(self, seconds: int = 1) -> None:
        """The next request is refused by the primary rate limit, which resets `seconds` from now."""
        body = json.dumps({"message": f"API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                                      "Authenticated requests get a higher rate limit.)",
                           "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"})
        self.before.append(Answer(403, body.encode(), {**JSON, "X-RateLimit-Remaining": "0",
                                                       "X-RateLimit-Used": "60",
                                                       "X-RateLimit-Reset": str(int(time.time()) + seconds)},
                                  conditional=False))

    def _visible(self) -> list[Repo]:
        return sorted((r for r in self.repos if not r.private), key=lambda r: r.updated_at, reverse=True)

    def _list(self, path: str, query: dict, headers: dict) -> Answer | None:
        if path != f"/users/{self.owner}/repos":
            return None
        per_page = min(100, int(query.get("per_page", ["30"])[0]))
        page = int(query.get("page", ["1"])[0])
        repos = self._visible()
        last = max(1, -(-len(repos) // per_page))
        chunk = repos[(page - 1) * per_page: page * per_page]
        links = []
        base = f"{self.url}/users/{self.owner}/repos?per_page={per_page}"
        if page < last:
            links += [f'<{base}&page={page + 1}>; rel="next"', f'<{base}&page={last}>; rel="last"']
        if page > 1:
            links += [f'<{base}&page=1>; rel="first"', f'<{base}&page={page - 1}>; rel="prev"']
        extra = {"Link": ", ".join(links)} if links else {}
        body = json.dumps([repo_json(self.owner, r, self.url) for r in chunk]).encode()
        return Answer(200, body, {**JSON, **extra})

    def _repo(self, path: str, query: dict, headers: dict) -> Answer | None:
        prefix = f"/repos/{self.owner}/"
        if not path.startswith(prefix) or path.count("/") != 3:
            return None
        name = path[len(prefix):]
        repo = next((r for r in self.repos if r.name == name and not r.private), None)
        if repo is None:
            return None  # 404, as GitHub answers for a private repository without a token
        return Answer(200, json.dumps(repo_json(self.owner, repo, self.url)).encode(), JSON)

    def _readme(self, path: str, query: dict, headers: dict) -> Answer | None:
        prefix = f"/repos/{self.owner}/"
        if not (path.startswith(prefix) and path.endswith("/readme")):
            return None
        name = path[len(prefix):-len("/readme")]
        repo = next((r for r in self.repos if r.name == name and not r.private), None)
        if repo is None or repo.readme is None:
            return None
        full = f"{self.owner}/{repo.name}"
        content = base64.encodebytes(repo.readme.encode()).decode()
        body = {"type": "file", "encoding": "base64", "size": len(repo.readme.encode()),
                "name": repo.readme_path.rsplit("/", 1)[-1], "path": repo.readme_path, "content": content,
                "sha": "3d21ec53a331a6f037a91c368710b99387d012c1",
                "url": f"{self.url}/repos/{full}/contents/{repo.readme_path}?ref={repo.default_branch}",
                "git_url": f"{self.url}/repos/{full}/git/blobs/3d21ec53a331a6f037a91c368710b99387d012c1",
                "html_url": f"https://github.com/{full}/blob/{repo.default_branch}/{repo.readme_path}",
                "download_url": f"https://raw.githubusercontent.com/{full}/{repo.default_branch}/{repo.readme_path}",
                "_links": {"self": f"{self.url}/repos/{full}/contents/{repo.readme_path}?ref={repo.default_branch}",
                           "git": f"{self.url}/repos/{full}/git/blobs/3d21ec53a331a6f037a91c368710b99387d012c1",
                           "html": f"https://github.com/{full}/blob/{repo.default_branch}/{repo.readme_path}"}}
        return Answer(200, json.dumps(body).encode(), JSON)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


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
    """A sourced repository with a README of relative links, a fork, an archived one and a private one."""
    github.add(Repo("tide-gauge", "Coastal water-level sensors.", "Python", ["iot", "timescaledb", "python"],
                    homepage="tide.example.dev", readme=README, updated_at="2024-06-03T10:00:00Z"))
    github.add(Repo("left-pad-fork", "A fork.", "JavaScript", fork=True, readme="# fork",
                    updated_at="2024-06-02T10:00:00Z"))
    github.add(Repo("old-crawler", "A crawler, retired.", "Go", ["go", "scraping"], archived=True,
                    created_at="2021-04-05T10:00:00Z", pushed_at="2022-11-30T10:00:00Z",
                    readme="# Old crawler\n\nIt crawled.", updated_at="2024-06-01T10:00:00Z"))
    github.add(Repo("secret-sauce", "Private.", "Rust", private=True, readme="# secret"))
