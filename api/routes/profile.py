"""/api/v1/profile: the owner's profile (GET for everyone, PUT for the owner)."""

from typing import Annotated

from fastapi import APIRouter, Body

from api.deps import ActorDep, ServicesDep, SignedInDep
from api.errors import COMMON, READ, WRITE
from folio.schemas_profile import ProfileIn, ProfileOut

router = APIRouter(prefix="/profile", tags=["profile"], responses=COMMON)


@router.get("", response_model=ProfileOut, responses=READ, operation_id="getProfile",
            summary="The owner's profile", description="404 until the owner writes one.")
async def get_profile(services: ServicesDep, actor: ActorDep):
    return await services.profile.get(actor)


@router.put("", response_model=ProfileOut, responses=WRITE, operation_id="putProfile",
            summary="Write the owner's profile (owner)", description="Replaces the whole profile.")
async def put_profile(services: ServicesDep, actor: SignedInDep, data: Annotated[ProfileIn, Body()]):
    return await services.profile.put(actor, data)
