"""/api/v1/search: hybrid search over everything the asker may see."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, ServicesDep
from api.errors import COMMON
from folio.kinds import KindName as Kind
from folio.services.search import MAX_LIMIT, MAX_QUERY

router = APIRouter(tags=["search"], responses=COMMON)


EXAMPLE = {"type": "project", "slug": "tide-gauge", "title": "Tide Gauge",
           "snippet": "Coastal water-level sensors that report every minute...", "score": 0.0325,
           "url": "/api/v1/projects/tide-gauge"}


class SearchResult(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})
    type: Kind | Literal["profile"] = Field(description="What was found", examples=["project"])
    slug: str = Field(description="Its URL name", examples=["tide-gauge"])
    title: str = Field(description="Its title or name", examples=["Tide Gauge"])
    snippet: str = Field(description="The passage that matched",
                         examples=["Coastal water-level sensors that report every minute..."])
    score: float = Field(description="Relevance; higher is better, comparable within one response",
                         examples=[0.0325])
    url: str = Field(description="Where the item lives in this API", examples=["/api/v1/projects/tide-gauge"])


class SearchResults(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"results": [EXAMPLE]}]})
    results: list[SearchResult] = Field(description="Best first")


@router.get("/search", response_model=SearchResults, operation_id="search", summary="Search the portfolio",
            description="Visitors search published content; the owner also finds drafts.")
async def search(
    services: ServicesDep,
    actor: ActorDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="What to look for",
                            examples=["rust embedded sensors"])],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many results")] = 5,
    type: Annotated[Kind | None, Query(description="Only this kind of content")] = None,  # noqa: A002
):
    hits = await services.search.search(actor, q, limit=limit, kind=type)
    return {"results": hits}
