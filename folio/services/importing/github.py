"""GitHub repositories through githubkit (typed REST client): a user's public repositories, page by
page (Link rel="next"), each with its README, as project candidates.

Requests are conditional: the repository list's first page carries the ETag of the last read
(sorted by last update, so any change to any repository changes that page), and an unchanged source
costs that one 304. A README is read again only when its repository was pushed to since, and then
conditionally too. A rate limit (403/429 with X-RateLimit-Reset or Retry-After) is waited out and the
read resumes, unless the wait is longer than MAX_WAIT_S: then RateLimited says until when."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
from githubkit import GitHub
from githubkit.exception import GitHubException, RateLimitExceeded, RequestError, RequestFailed
from githubkit.retry import RetryChainDecision, RetryOption, RetryServerError

from folio.errors import NotFound, RateLimited, Unavailable, ValidationFailed
from folio.services.importing.mapping import project_values, readme_markdown
from folio.services.importing.records import Candidate, Fetched, Progress, tell

PUBLIC_API = "https://api.github.com"
PER_PAGE = 100
MAX_WAIT_S = 900.0  # a rate-limit reset further away than this ends the read (the import resumes later)
RATE_RETRIES = 5
LIST = "repos"  # validators' key of the list's first page
TIMEOUT_S = 30.0


class _RateLimitWait:
    """githubkit's retry decision: wait out a rate limit up to MAX_WAIT_S, a few times."""

    def __init__(self, max_wait_s: float):
        self.max_wait_s = max_wait_s

    def __call__(self, exc: GitHubException, retry_count: int) -> RetryOption:
        if isinstance(exc, RateLimitExceeded) and retry_count < RATE_RETRIES:
            wait = exc.retry_after or timedelta(seconds=60)
            if wait.total_seconds() <= self.max_wait_s:
                return RetryOption(True, wait + timedelta(seconds=0.05))
        return RetryOption(False)


def parse_target(target: str) -> tuple[str, str | None]:
    """"USER" or "USER/REPO" (or a github.com URL of either) -> (user, repo or None)."""
    text = target.strip().removesuffix("/").removesuffix(".git")
    for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    parts = [p for p in text.split("/") if p]
    from folio.setting_values import GITHUB_NAME

    if not 1 <= len(parts) <= 2 or not GITHUB_NAME.match(parts[0]) or (
            len(parts) == 2 and not all(c.isalnum() or c in "-_." for c in parts[1])):
        raise ValidationFailed(f"“{target}” is not a GitHub user (github:USER) or repository (github:USER/REPO)")
    return parts[0], parts[1] if len(parts) == 2 else None


def _next_page(link_header: str | None) -> int | None:
    """The page number of the Link header's rel="next", if any."""
    for part in (link_header or "").split(","):
        if 'rel="next"' in part:
            url = part.split(";")[0].strip().strip("<>")
            page = httpx.URL(url).params.get("page")
            return int(page) if page and page.isdigit() else None
    return None


class GitHubSource:
    def __init__(self, api_url: str | None = None, token: str | None = None, *, humanise: bool = False,
                 max_wait_s: float = MAX_WAIT_S):
        self.api_url = (api_url or PUBLIC_API).rstrip("/")
        self.token = token
        self.humanise = humanise
        self.max_wait_s = max_wait_s
        self.requests = 0

    def _client(self) -> GitHub:
        async def count(_request: httpx.Request) -> None:
            self.requests += 1

        return GitHub(self.token or None, base_url=self.api_url + "/", http_cache=False, timeout=TIMEOUT_S,
                      user_agent="folio-import/1", async_event_hooks={"request": [count]},
                      auto_retry=RetryChainDecision(_RateLimitWait(self.max_wait_s), RetryServerError(2)))

    async def fetch(self, target: str, validators: dict[str, Any], progress: Progress = None) -> Fetched:
        """Every repository of USER (or the one USER/REPO) as candidates; `validators` are the last read's
        (only those of items already imported: a README answered 304 keeps the stored body)."""
        user, repo_name = parse_target(target)
        self.requests = 0
        github = self._client()
        try:
            if repo_name:
                repos, fresh = [await self._one(github, user, repo_name)], {}
            else:
                listed = await self._list(github, user, validators.get(LIST))
                if listed is None:
                    return Fetched(None, validators, self.requests)
                repos, fresh = listed
            out = {LIST: fresh} if fresh else {}
            candidates = []
            for done, repo in enumerate(repos, start=1):
                readme, seen = await self._readme(github, repo, validators.get(f"readme:{repo['id']}"))
                if seen:
                    out[f"readme:{repo['id']}"] = seen
                candidates.append(self._candidate(repo, readme, named=bool(repo_name)))
                await tell(progress, done, len(repos), repo["name"])
            return Fetched(candidates, out, self.requests)
        except RateLimitExceeded as exc:
            raise RateLimited(f"GitHub's rate limit is spent until {_reset_of(exc)}; run the import again then "
                              f"(set FOLIO_GITHUB_TOKEN for a higher limit). Nothing imported before is lost.",
                              retry_after=int((exc.retry_after or timedelta(seconds=60)).total_seconds())) from None
        except RequestError as exc:
            raise Unavailable(f"GitHub cannot be reached at {self.api_url}: {exc.exc}") from None
        except RequestFailed as exc:
            raise Unavailable(f"GitHub answered {exc.response.status_code} for {exc.request.url.path}") from None

    async def _list(self, github: GitHub, user: str, last: dict | None):
        headers = {"If-None-Match": last["etag"]} if last and last.get("etag") else {}
        repos, page, fresh = [], 1, {}
        while page:
            try:
                response = await github.rest.repos.async_list_for_user(
                    user, type="owner", sort="updated", direction="desc", per_page=PER_PAGE, page=page,
                    headers=headers if page == 1 else None)
            except RequestFailed as exc:
                if exc.response.status_code == 404:
                    raise NotFound(f"GitHub has no user or organisation “{user}”") from None
                raise
            if response.status_code == 304:
                return None
            if page == 1 and response.headers.get("etag"):
                fresh = {"etag": response.headers["etag"]}
            repos += [r for r in response.json() if isinstance(r, dict)]
            page = _next_page(response.headers.get("link"))
        return repos, fresh

    async def _one(self, github: GitHub, user: str, name: str) -> dict[str, Any]:
        try:
            response = await github.rest.repos.async_get(user, name)
        except RequestFailed as exc:
            if exc.response.status_code in (403, 404):
                raise NotFound(f"the repository {user}/{name} cannot be read: it does not exist or it is private "
                               f"(set FOLIO_GITHUB_TOKEN to a token that may read it)") from None
            raise
        return response.json()

    async def _readme(self, github: GitHub, repo: dict[str, Any], last: dict | None) -> tuple[str | None, dict]:
        """(the README as Markdown, or None when unchanged since `last`; the validators to keep)."""
        if last and last.get("pushed_at") == repo.get("pushed_at"):
            return None, last
        headers = {"If-None-Match": last["etag"]} if last and last.get("etag") else None
        owner = repo.get("owner", {}).get("login") or repo["full_name"].split("/")[0]
        try:
            response = await github.rest.repos.async_get_readme(owner, repo["name"], headers=headers)
        except RequestFailed as exc:
            if exc.response.status_code == 404:  # no README
                return "", {"pushed_at": repo.get("pushed_at")}
            raise
        seen = {"pushed_at": repo.get("pushed_at"), "etag": response.headers.get("etag")}
        if response.status_code == 304:
            return None, seen
        data = response.json()
        raw = base64.b64decode(data.get("content") or "").decode("utf-8", errors="replace")
        branch = repo.get("default_branch") or "main"
        html_url = repo["html_url"].rstrip("/")
        raw_base = data.get("download_url") or ""
        raw_base = raw_base.rsplit("/", 1)[0] + "/" if raw_base else f"{html_url}/raw/{branch}/"
        blob_base = f"{html_url}/blob/{branch}/"
        folder = data.get("path", "README.md").rpartition("/")[0]
        if folder:
            blob_base += folder + "/"
        return readme_markdown(raw, data.get("path") or data.get("name") or "README.md", blob_base, raw_base), seen

    def _candidate(self, repo: dict[str, Any], readme: str | None, named: bool) -> Candidate:
        """`named`: the owner asked for this one repository, so it is selected even if a fork or archived."""
        notes = tuple(n for n in ("fork", "archived", "private") if repo.get(n))
        return Candidate(external_id=str(repo["id"]), kind="project",
                         values=project_values(repo, readme, humanised=self.humanise),
                         url=repo.get("html_url"), selected=named or not notes, notes=notes)


def _reset_of(exc: RateLimitExceeded) -> str:
    reset = exc.response.headers.get("x-ratelimit-reset")
    if reset and reset.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(reset), UTC).strftime("%H:%M UTC")
    return f"{int((exc.retry_after or timedelta(seconds=60)).total_seconds())} s from now"
