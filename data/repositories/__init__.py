from data.repositories.changes import ChangeRepository
from data.repositories.content import ContentRepository, ListQuery
from data.repositories.inbox import InboxRepository
from data.repositories.limits import LoginThrottleRepository, RateCounterRepository
from data.repositories.users import UserRepository

__all__ = ["ChangeRepository", "ContentRepository", "InboxRepository", "ListQuery", "LoginThrottleRepository",
           "RateCounterRepository", "UserRepository"]
