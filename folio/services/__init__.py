"""The service layer: every rule lives here; REST routes and agent tools call into it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from data.db import Database
from data.embeddings import Embedder
from folio.kinds import BY_PLURAL, KINDS, POST, PROFILE
from folio.services.answers import DEFAULT_MIN_RELEVANCE, AnswerService
from folio.services.auth import Sessions
from folio.services.catalogue import Catalogue
from folio.services.changes import DEFAULT_TTL, ChangeService
from folio.services.content import ContentService
from folio.services.cv import CvService
from folio.services.drafts import DraftService
from folio.services.importing import GitHubConfig, ImportService
from folio.services.inbox import InboxService
from folio.services.insights import DEFAULT_KEEP_DAYS, InsightsService
from folio.services.indexing import SearchIndexer
from folio.services.logins import LoginPolicy, LoginService
from folio.services.profile import ProfileService
from folio.services.profile_changes import ProfileChanges
from folio.services.ratelimit import Limit, RateLimiter
from folio.services.search import SearchHit, SearchService
from folio.services.users import UserService


@dataclass
class Services:
    db: Database
    contents: dict[str, ContentService]  # one per kind (folio.kinds), by kind name
    users: UserService
    search: SearchService
    changes: ChangeService
    drafts: DraftService
    indexer: SearchIndexer
    inbox: InboxService
    answers: AnswerService
    logins: LoginService  # every password door (REST, chat) goes through its throttle
    limiter: RateLimiter  # rate limits shared by every process
    profile: ProfileService  # who the owner is (one row)
    profile_changes: ProfileChanges  # the owner's chat proposes profile changes; confirmed via `changes`
    sessions: Sessions  # whether a signed-in session (REST or chat) still stands: logout, password change, reset
    insights: InsightsService  # visitors' questions recorded (anonymised) and the owner's figures
    cv: CvService  # the CV (/cv, /cv.pdf) from what visitors may see
    imports: ImportService  # GitHub repositories and blog feeds: previewed, confirmed, kept in sync

    def content(self, kind: str) -> ContentService:
        return self.contents[kind]

    def __getattr__(self, name: str) -> ContentService:
        """A kind's service by its plural: `services.projects`, `services.posts`..."""
        spec = BY_PLURAL.get(name)
        if spec is None or name.startswith("__"):
            raise AttributeError(name)
        return self.contents[spec.name]


def build_services(db: Database, embedder: Embedder | None = None,
                   change_ttl: timedelta = DEFAULT_TTL, min_relevance: float = DEFAULT_MIN_RELEVANCE,
                   login_policy: LoginPolicy | None = None, secret_key: str | None = None,
                   contact_limit: Limit | None = None, insights_keep_days: int = DEFAULT_KEEP_DAYS,
                   github: GitHubConfig | None = None) -> Services:
    """Without an embedder, content is indexed for full text only (vectors wait for `folio reindex`).
    `secret_key` signs known-device tokens (none without it); `contact_limit` caps contact requests per
    client address (none without it)."""
    indexer = SearchIndexer(embedder)
    limiter = RateLimiter(db)
    content = {spec.name: ContentService(spec, db, indexer) for spec in KINDS.values()}
    search, inbox = SearchService(db, embedder), InboxService(db, limiter, contact_limit)
    changes = ChangeService(db, content.__getitem__, change_ttl, search=search)
    users, profile = UserService(db), ProfileService(db, indexer)
    catalogue = Catalogue(db, content.__getitem__)
    profile_changes = ProfileChanges(db, profile, change_ttl)
    changes.appliers[PROFILE.name] = profile_changes.apply_in
    return Services(
        db=db,
        contents=content,
        users=users,
        search=search,
        changes=changes,
        drafts=DraftService(changes, content[POST.name]),
        indexer=indexer,
        inbox=inbox,
        answers=AnswerService(search, inbox, embedder, min_relevance, content=content.__getitem__, profile=profile,
                              catalogue=catalogue),
        logins=LoginService(db, users, login_policy, secret_key=secret_key),
        limiter=limiter,
        profile=profile,
        profile_changes=profile_changes,
        sessions=Sessions(db),
        insights=InsightsService(db, embedder, secret_key=secret_key, keep_days=insights_keep_days),
        cv=CvService(profile, catalogue),
        imports=ImportService(db, content.__getitem__, github, profile=profile),
    )


__all__ = ["KINDS", "SearchHit", "SearchService", "Services", "build_services"]
