"""/api/v1/<plural>: one router factory, instantiated per kind from folio.kinds."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, create_model

from api.deps import ActorDep, ServicesDep, SignedInDep
from api.errors import COMMON, READ, WRITE
from folio.kinds import KINDS, KindSpec
from folio.schemas import SLUG_PATTERN
from folio.services.content import MAX_PAGE, list_filters

MAX_OFFSET = 1_000_000

SlugPath = Annotated[str, Path(description="The item's URL name", min_length=1, max_length=120,
                               pattern=SLUG_PATTERN, examples=["tide-gauge"])]


class ListParams(BaseModel):
    # A misspelt filter is an error, not a silently unfiltered list.
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(20, ge=1, le=MAX_PAGE, description="Page size")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ContentService.list beyond paging (the kind's filters, folio.kinds)."""
        return list_filters(self.spec, self.model_dump())  # type: ignore[attr-defined]


def list_params(spec: KindSpec) -> type[ListParams]:
    """The kind's list query parameters: paging and its filters."""
    fields = {f.name: (f.annotation | None, Field(None, description=f.description, examples=list(f.examples) or None))
              for f in spec.filters}
    model = create_model(f"{spec.out.__name__.removesuffix('Out')}ListParams", __base__=ListParams, **fields)
    model.spec = spec
    return model


class PageBase(BaseModel):
    total: int = Field(description="Items matching the filters, across all pages", examples=[42])
    limit: int = Field(description="Page size used", examples=[20])
    offset: int = Field(description="Items skipped", examples=[0])


def page_model(spec: KindSpec) -> type[PageBase]:
    name = spec.out.__name__.removesuffix("Out") + "Page"
    item_examples = (spec.out.model_config.get("json_schema_extra") or {}).get("examples", [])
    model = create_model(name, __base__=PageBase,
                         items=(list[spec.out], Field(description=f"This page of {spec.plural}")))
    model.model_config["json_schema_extra"] = {
        "examples": [{"items": item_examples[:1], "total": 1, "limit": 20, "offset": 0}]}
    model.model_rebuild(force=True)
    return model


def content_router(spec: KindSpec) -> APIRouter:
    router = APIRouter(prefix=f"/{spec.plural}", tags=[spec.plural], responses=COMMON)
    Params = list_params(spec)  # noqa: N806
    Page = page_model(spec)  # noqa: N806
    Out, Create, Update = spec.out, spec.create, spec.update  # noqa: N806
    title = spec.plural.capitalize()

    def service(services):
        return services.content(spec.name)

    @router.get("", response_model=Page, operation_id=f"list{title}", summary=f"List {spec.plural}",
                description="Visitors see published items only; the owner sees everything.")
    async def list_items(services: ServicesDep, actor: ActorDep, params: Annotated[Params, Query()]):
        page = await service(services).list(actor, limit=params.limit, offset=params.offset, **params.filters())
        return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}

    @router.post("", response_model=Out, status_code=status.HTTP_201_CREATED, responses=WRITE,
                 operation_id=f"create{spec.name.capitalize()}", summary=f"Create a {spec.name} (owner)")
    async def create_item(services: ServicesDep, actor: SignedInDep, data: Annotated[Create, Body()],
                          response: Response):
        item = await service(services).create(actor, data)
        response.headers["Location"] = spec.url_of(item.slug)
        return item

    @router.get("/{slug}", response_model=Out, responses=READ,
                operation_id=f"get{spec.name.capitalize()}", summary=f"One {spec.name} by slug")
    async def get_item(services: ServicesDep, actor: ActorDep, slug: SlugPath):
        return await service(services).get(actor, slug)

    @router.patch("/{slug}", response_model=Out, responses={**READ, **WRITE},
                  operation_id=f"update{spec.name.capitalize()}",
                  summary=f"Change a {spec.name} (owner)", description="Only the fields sent change.")
    async def update_item(services: ServicesDep, actor: SignedInDep, slug: SlugPath,
                          data: Annotated[Update, Body()]):
        return await service(services).update(actor, slug, data)

    @router.delete("/{slug}", status_code=status.HTTP_204_NO_CONTENT, responses={**READ, **WRITE},
                   operation_id=f"delete{spec.name.capitalize()}", summary=f"Delete a {spec.name} (owner)",
                   response_class=Response)
    async def delete_item(services: ServicesDep, actor: SignedInDep, slug: SlugPath) -> Response:
        await service(services).delete(actor, slug)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def content_routers() -> list[APIRouter]:
    return [content_router(spec) for spec in KINDS.values()]
