"""Each kind is described once (folio/kinds/): its spec must agree with its model and schemas, and the
one public rule (the model's `is_public` hybrid) must give the same answer in Python and in SQL."""

import pytest
from sqlalchemy import select

from folio.kinds import KINDS, kind_named
from folio.schemas import CertificationCreate, PostCreate, ProjectCreate
from folio.schemas_experience import ExperienceCreate

SPECS = list(KINDS.values())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_names_real_fields(spec):
    columns = set(spec.model.__table__.columns.keys())
    for name in (spec.title_field, spec.summary_field, spec.body_field, *spec.text_fields, *spec.required):
        assert name in columns, f"{spec.name}.{name} is no column"
    assert set(spec.text_fields) <= set(spec.update.model_fields)
    assert set(spec.message_fields + spec.message_update_fields) <= set(spec.update.model_fields)
    assert set(spec.message_fields) <= set(spec.create.model_fields)
    assert all(f.column in columns for f in spec.filters)
    assert set(spec.publish or {}) <= set(spec.update.model_fields)
    assert spec.published_stamp is None or spec.published_stamp in columns
    assert all(name in spec.create.model_fields for name in spec.file_aliases.values())
    # Every required field of the create schema is named in the owner's field help.
    required = [n for n, f in spec.create.model_fields.items() if f.is_required()]
    assert all(f"{n}*" in spec.fields_help for n in required)


def test_words_name_one_kind_each():
    seen: dict[str, str] = {}
    for spec in SPECS:
        for word in (spec.name, spec.plural, *spec.words):
            assert seen.setdefault(word, spec.name) == spec.name, f"'{word}' names two kinds"
            assert kind_named(word) is spec


ROWS = {
    "project": [ProjectCreate(title="Shown"), ProjectCreate(title="Hidden", published=False)],
    "post": [PostCreate(title="Shown", body="Text.", status="published"), PostCreate(title="Hidden")],
    "certification": [CertificationCreate(name="Shown", issuer="Org")],
    "experience": [ExperienceCreate(title="Shown", organisation="Acme", started_on="2021-03"),
                   ExperienceCreate(title="Hidden", organisation="Acme", started_on="2020-01", published=False)],
}


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
async def test_public_rule_is_the_same_in_python_and_sql(services, owner, visitor, spec):
    for data in ROWS[spec.name]:
        await services.content(spec.name).create(owner, data)
    async with services.db.read() as session:
        rows = list(await session.scalars(select(spec.model)))
        public_in_sql = set(await session.scalars(select(spec.model.slug).where(spec.model.is_public)))
    shown = "shown-acme" if spec.slug_fields else "shown"  # generated from the spec's slug fields
    assert {r.slug for r in rows if r.is_public} == public_in_sql == {shown}
    listed = await services.content(spec.name).list(visitor)
    assert [getattr(i, spec.title_field) for i in listed.items] == ["Shown"]
