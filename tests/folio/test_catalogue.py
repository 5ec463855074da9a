"""The catalogue (every item an actor may see, with every field) is kept in the process between chat turns
and re-read whenever the content changed, whoever wrote it: this process, another one, or a
transaction that committed late."""

import psycopg
from testkit.portfolio import AUTHOR, add_sample_portfolio

from folio.schemas import ProjectCreate, ProjectUpdate
from folio.services.catalogue import Catalogue
from launch.composition import open_services


def _titles(items) -> set[str]:
    return {e.title for e in items}


def _counting(services, calls: list[str]):
    def content(kind: str):
        calls.append(kind)
        return services.content(kind)
    return content


async def test_items_are_read_once_until_the_content_changes(services, visitor, owner):
    await add_sample_portfolio(services)
    calls: list[str] = []
    catalogue = Catalogue(services.db, _counting(services, calls))
    first = await catalogue.records(visitor)
    assert "Ferrox" in _titles(first) and "Secret Draft" not in _titles(first)  # visitors: public items only
    read = len(calls)
    assert _titles(await catalogue.records(visitor)) == _titles(first)
    assert len(calls) == read  # kept: no content read
    assert "Secret Draft" in _titles(await catalogue.records(owner))  # the owner's view is its own
    read = len(calls)
    await services.projects.update(AUTHOR, "secret-draft", ProjectUpdate(published=True))
    assert "Secret Draft" in _titles(await catalogue.records(visitor))
    assert len(calls) > read


async def test_a_write_by_another_process_is_seen_at_the_next_question(services, db_url, embedder, visitor):
    await add_sample_portfolio(services)
    assert "Ferrox" in _titles(await services.answers.catalogue.records(visitor))
    other = open_services(db_url, embedder=embedder)  # another worker on the same database
    try:
        await other.projects.create(AUTHOR, ProjectCreate(title="Quill", slug="quill", summary="A note taker.",
                                                          body="Quill keeps notes.", tech_stack=["Go"]))
        assert "Quill" in _titles(await services.answers.catalogue.records(visitor))
        await other.projects.update(AUTHOR, "ferrox", ProjectUpdate(title="Ferrox Two"))
        assert {"Ferrox Two", "Quill"} <= _titles(await services.answers.catalogue.records(visitor))
        await other.projects.delete(AUTHOR, "quill")
        assert "Quill" not in _titles(await services.answers.catalogue.records(visitor))
    finally:
        await other.db.dispose()


async def test_a_transaction_that_commits_after_a_later_one_is_not_missed(services, db_url, visitor):
    """Writes are told by row versions, not timestamps: a transaction that started first but commits
    last (its updated_at older than what the cache has seen) is still seen; so is a write by hand."""
    await add_sample_portfolio(services)
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as slow:
        slow.execute("UPDATE projects SET title = 'Ferrox Late' WHERE slug = 'ferrox'")  # not committed yet
        await services.projects.update(AUTHOR, "glint", ProjectUpdate(title="Glint Two"))
        seen = _titles(await services.answers.catalogue.records(visitor))
        assert "Glint Two" in seen and "Ferrox" in seen
        slow.commit()
    assert "Ferrox Late" in _titles(await services.answers.catalogue.records(visitor))
