"""Drafting steps: the writer's Markdown layout, change previews."""

import uuid

from agent import drafting
from folio.services.changes import FieldChange, ProposedChange
from folio.services.drafts import Draft
from tools.previews import render_change, summarize_change


def test_writer_layout_parses_and_round_trips():
    text = "```markdown\n# HNSW in pgvector\nTags: Postgres, #vectors\nExcerpt: Why graphs.\n\nBody.\n\n```sql\nSELECT 1;"
    draft = drafting.parse_draft(text)
    assert (draft.title, draft.tags, draft.excerpt) == ("HNSW in pgvector", ["postgres", "vectors"], "Why graphs.")
    assert draft.body == "Body.\n\n```sql\nSELECT 1;\n```"  # the cut-off code block is closed
    assert drafting.parse_draft(drafting.draft_markdown(draft)) == draft
    loose = drafting.parse_draft("**Title: Foo**\n\nFirst paragraph here.\n\nSecond.")
    assert (loose.title, loose.excerpt, loose.tags) == ("Foo", "First paragraph here.", [])
    assert drafting.parse_draft("# Only a title") is None
    assert drafting.parse_draft("   ") is None


def test_revision_keeps_the_saved_post_and_counts_versions():
    saved = Draft(title="A", body="long", tags=["x"], slug="a", version=2)
    new = saved.revised(Draft(title="A, shorter", body="short"))
    assert (new.title, new.body, new.tags, new.slug, new.version) == ("A, shorter", "short", ["x"], "a", 3)
    assert Draft.from_dict(new.to_dict()) == new
    assert Draft.from_dict(None) is None and Draft.from_dict({"title": ""}) is None


def _change(**kw) -> ProposedChange:
    return ProposedChange(id=uuid.uuid4(), kind=kw.pop("kind", "post"), action=kw.pop("action"),
                          slug=kw.pop("slug", "hnsw"), title=kw.pop("title", "HNSW"), **kw)


def test_preview_shows_every_field_of_a_create_and_what_a_delete_loses():
    create = render_change(_change(action="create", kind="project", slug="tide-gauge", title="Tide Gauge",
                                   fields={"title": "Tide Gauge", "tech_stack": ["Python", "TimescaleDB"],
                                           "repo_url": None, "featured": False, "body": "line1\nline2"}))
    assert "**Create project** “Tide Gauge” · `tide-gauge`" in create
    assert "| tech_stack | Python, TimescaleDB |" in create and "| repo_url | — |" in create
    assert "| featured | no |" in create and "```markdown\nline1\nline2\n```" in create
    delete = render_change(_change(action="delete", fields={"title": "HNSW", "tags": ["a|b"]}))
    assert "cannot be undone" in delete and "| tags | a\\|b |" in delete


def test_preview_of_an_update_is_a_field_by_field_diff():
    change = _change(action="update", diff=[FieldChange("title", "Postgres tunning", "Postgres tuning"),
                                            FieldChange("body", "a\nb\nc", "a\nB\nc")])
    text = render_change(change)
    assert "2 fields change" in text
    assert "| title | Postgres tunning | Postgres tuning |" in text
    assert "> a ~~b~~ **B** c" in text  # changed words highlighted in context, as text that wraps
    summary = summarize_change(change)
    assert "NOT saved yet" in summary and "Confirm" in summary
