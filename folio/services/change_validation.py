"""Checking a proposed change's fields before anything is stored: the kind's schema, read leniently
(what people type), with errors that name the missing, unknown and invalid fields."""

from __future__ import annotations

import re
from typing import Any, get_origin

from pydantic import BaseModel, ValidationError

from folio.errors import ValidationFailed
from folio import kinds
from folio.kinds import KINDS, KindSpec


def validation_problem(spec: KindSpec, exc: ValidationError, *, creating: bool) -> ValidationFailed:
    """A schema error as a typed error whose details name missing and invalid fields."""
    missing = sorted({str(e["loc"][0]) for e in exc.errors() if e["type"] == "missing" and e["loc"]})
    unknown = sorted({str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden" and e["loc"]})
    invalid = [{"field": ".".join(str(p) for p in e["loc"]) or "(item)", "message": e["msg"]}
               for e in exc.errors() if e["type"] not in ("missing", "extra_forbidden")]
    parts = []
    if missing:
        parts.append(f"missing required field(s): {', '.join(missing)}")
    if unknown:
        allowed = ", ".join((spec.create if creating else spec.update).model_fields)
        parts.append(f"unknown field(s): {', '.join(unknown)} (a {spec.name} has: {allowed})")
    parts += [f"{p['field']}: {p['message']}" for p in invalid]
    return ValidationFailed(f"the {spec.name} is not valid: " + "; ".join(parts),
                            details={"missing": missing, "unknown": unknown, "invalid": invalid})


def _lenient(spec: KindSpec, fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Accept what people type (and what they see again in the preview): a comma-separated string for a
    list field, a web address without its scheme ("github.com/x/y" -> "https://github.com/x/y"), and ""
    for an optional field meaning "none" (left out of a create, cleared by an update)."""
    out = dict(fields)
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        declared = spec.create.model_fields.get(name)
        if value.strip() == "" and declared is not None and declared.default is None and not declared.is_required():
            if creating:
                del out[name]
            else:
                out[name] = None
        elif declared is not None and get_origin(declared.annotation) is list:
            out[name] = [part.strip() for part in value.split(",") if part.strip()]
        elif name.endswith("_url") and value and not _SCHEME.match(value) and _BARE_HOST.match(value):
            out[name] = "https://" + value
    return out


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_BARE_HOST = re.compile(r"^(www\.)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+(/\S*)?$")


def validated(model: type[BaseModel], spec: KindSpec, fields: dict[str, Any], *, creating: bool) -> BaseModel:
    if not isinstance(fields, dict):
        raise ValidationFailed("fields must be an object of field names and values")
    try:
        return model.model_validate(_lenient(spec, fields, creating=creating))
    except ValidationError as exc:
        raise validation_problem(spec, exc, creating=creating) from None


def spec_of(kind: str) -> KindSpec:
    spec = kinds.spec_of(kind)
    if spec is None:
        raise ValidationFailed(f"unknown kind '{kind}': use one of {', '.join(KINDS)}")
    return spec


