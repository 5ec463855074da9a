from data.repositories.content import ContentRepository, ListQuery
from data.repositories.users import UserRepository

__all__ = ["ContentRepository", "ListQuery", "UserRepository"]
