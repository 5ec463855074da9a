"""The owner's requests for benchmarks/owner_changes_bench.py: phrased as people phrase them, each with the
exact change expected (or none), the answer the owner would give if folio asks a question, and a typo
planted first where the request fixes one. Ordered so that no case depends on an item an earlier case
deletes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from folio.kinds import KINDS
from folio.services.changes import ProposedChange

Check = Callable[[ProposedChange], bool]


def low(values: Any) -> set[str]:
    return {str(v).lower() for v in values or []}


def diff(change: ProposedChange) -> dict[str, Any]:
    return {d.field: d.after for d in change.diff}


def nothing_invented(change: ProposedChange, given: set[str]) -> bool:
    """A create sets only the fields the owner gave: every other field keeps the schema's default."""
    model = KINDS[change.kind].create
    for name, value in change.fields.items():
        if name in given or name == "slug":
            continue
        declared = model.model_fields[name]
        default = declared.default_factory() if declared.default_factory else declared.default
        if value != default:
            return False
    return True


def replaced(find: str, replace: str) -> Check:
    def check(change: ProposedChange) -> bool:
        return len(change.diff) == 1 and str(change.diff[0].after) == str(change.diff[0].before).replace(find, replace)
    return check


@dataclass(frozen=True)
class Case:
    says: str
    expect: tuple[str, str, str | None] | None  # (action, kind, slug or None for a create); None: no change
    check: Check = lambda change: True
    answer: str | None = None  # what the owner answers if folio asks for a missing field
    then: tuple[str, ...] = ()  # further messages in the same thread (drafting)
    plant: tuple[str, str, str, str, str] | None = None  # (kind, slug, field, right, typo): a typo to fix
    group: str = "update"
    extra: dict[str, Any] = field(default_factory=dict)


P, PO, C = "project", "post", "certification"
CASES: list[Case] = [
    # ---- create ------------------------------------------------------------------------------
    Case("Add a project called Harbour Watch: a Rust service that tracks ship positions in PostGIS. "
         "Repo github.com/example/harbour-watch", ("create", P, None),
         lambda c: c.fields["title"] == "Harbour Watch" and c.slug == "harbour-watch"
         and "ship positions" in c.fields["summary"] and c.fields["repo_url"] == "https://github.com/example/harbour-watch"
         and nothing_invented(c, {"title", "summary", "tech_stack", "repo_url", "tags"}), group="create"),
    Case("Add a project called Tide Gauge, built with Python and TimescaleDB, repo github.com/x/tide-gauge",
         ("create", P, None),
         lambda c: c.fields["title"] == "Tide Gauge" and {"python", "timescaledb"} <= low(c.fields["tech_stack"])
         and "github.com/x/tide-gauge" in (c.fields["repo_url"] or "")
         and nothing_invented(c, {"title", "tech_stack", "repo_url", "tags", "summary"}), group="create"),
    Case("new project: Quill, a markdown note taking app in Svelte", ("create", P, None),
         lambda c: c.fields["title"] == "Quill" and nothing_invented(c, {"title", "summary", "tech_stack", "tags"}),
         answer="Quill", group="create"),
    Case("I built something new, it's called Beacon. It's a uptime checker written in Go, live at beacon.example.com",
         ("create", P, None),
         lambda c: c.fields["title"] == "Beacon" and c.fields["live_url"] == "https://beacon.example.com"
         and nothing_invented(c, {"title", "summary", "tech_stack", "tags", "live_url"}), group="create"),
    Case("Add my certification Certified Kubernetes Application Developer (CKAD), issued by The Linux Foundation "
         "on 2025-01-10", ("create", C, None),
         lambda c: "CKAD" in c.fields["name"] and "Linux Foundation" in c.fields["issuer"]
         and c.fields["issued_on"] == "2025-01-10"
         and nothing_invented(c, {"name", "issuer", "issued_on", "description"}), group="create"),
    Case("I passed the Azure Fundamentals exam (AZ-900) from Microsoft, please add it", ("create", C, None),
         lambda c: "Azure Fundamentals" in c.fields["name"] and c.fields["issuer"] == "Microsoft"
         and nothing_invented(c, {"name", "issuer", "description", "credential_id"}), group="create"),
    Case("Add a certification called Scrum Master", ("create", C, None),
         lambda c: c.fields["name"] == "Scrum Master" and c.fields["issuer"] == "Scrum Alliance",
         answer="Scrum Alliance", group="create"),
    Case("put my new cert on the site: Google Cloud Digital Leader, issued by Google Cloud on 2025-09-01, "
         "expires 2028-09-01", ("create", C, None),
         lambda c: c.fields["issuer"] == "Google Cloud" and c.fields["issued_on"] == "2025-09-01"
         and c.fields["expires_on"] == "2028-09-01", group="create"),
    # ---- update ------------------------------------------------------------------------------
    Case("Change the summary of the Glint project to 'A fast terminal log viewer.'", ("update", P, "glint"),
         lambda c: diff(c) == {"summary": "A fast terminal log viewer."}),
    Case("Mark the Heartbeat project as featured", ("update", P, "heartbeat"), lambda c: diff(c) == {"featured": True}),
    Case("My AWS Solutions Architect certification now expires on 2028-05-14",
         ("update", C, "aws-solutions-architect-associate"), lambda c: diff(c) == {"expires_on": "2028-05-14"}),
    Case("the AWS cert got renewed, new expiry 2029-05-14", ("update", C, "aws-solutions-architect-associate"),
         lambda c: diff(c) == {"expires_on": "2029-05-14"}),
    Case("Set the tags of the Ferrox project to rust, cli and performance", ("update", P, "ferrox"),
         lambda c: diff(c) == {"tags": ["rust", "cli", "performance"]}),
    Case("pgdrift has a website now: pgdrift.dev", ("update", P, "pgdrift"),
         lambda c: diff(c) == {"live_url": "https://pgdrift.dev"}),
    Case("Tidewater should be featured on the front page", ("update", P, "tidewater"),
         lambda c: diff(c) == {"featured": True}),
    Case("Hide the Ledgerline project from visitors", ("update", P, "ledgerline"),
         lambda c: diff(c) == {"published": False}),
    Case("The repo for Tidewater is github.com/mayaokafor/tidewater", ("update", P, "tidewater"),
         lambda c: diff(c) == {"repo_url": "https://github.com/mayaokafor/tidewater"}),
    Case("Update my Kubernetes admin cert: the credential id is LF-99XYZ", ("update", C, "certified-kubernetes-administrator"),
         lambda c: diff(c) == {"credential_id": "LF-99XYZ"}),
    Case("The Docsift project isn't featured anymore", ("update", P, "docsift"),
         lambda c: diff(c) == {"featured": False}),
    Case("Rename the Shelfmate project to Shelfmate Library", ("update", P, "shelfmate"),
         lambda c: diff(c) == {"title": "Shelfmate Library"}),
    Case("Keystone started on 2023-04-01", ("update", P, "keystone"), lambda c: diff(c) == {"started_on": "2023-04-01"}),
    # ---- text edits: typos found by description --------------------------------------------
    Case("Fix the typo Postgress in my posts", ("update", PO, "postgres-index-tuning-explain-analyze"),
         replaced("Postgress", "Postgres"), group="text edit"),
    Case("there's a typo in the Canopy project, 'greenhuose' should be 'greenhouse'", ("update", P, "canopy"),
         replaced("greenhuose", "greenhouse"), plant=(P, "canopy", "summary", "greenhouse", "greenhuose"),
         group="text edit"),
    Case("In my Kafka post, replace \"consumer grups\" with \"consumer groups\"",
         ("update", PO, "kafka-exactly-once-consumer-groups"), replaced("consumer grups", "consumer groups"),
         plant=(PO, "kafka-exactly-once-consumer-groups", "body", "consumer groups", "consumer grups"),
         group="text edit"),
    Case("fix the spelling of Kuberntes in the CKA certification", ("update", C, "certified-kubernetes-administrator"),
         replaced("Kuberntes", "Kubernetes"),
         plant=(C, "certified-kubernetes-administrator", "description", "Kubernetes", "Kuberntes"), group="text edit"),
    Case("The Tokio post says 'cancelation' somewhere, it should be 'cancellation'",
         ("update", PO, "tokio-cancellation-safety"), replaced("cancelation", "cancellation"),
         plant=(PO, "tokio-cancellation-safety", "excerpt", "shutdown", "cancelation"), group="text edit"),
    Case("typo in the Pocket Transit summary: ofline -> offline", ("update", P, "pocket-transit"),
         replaced("ofline", "offline"), plant=(P, "pocket-transit", "summary", "offline", "ofline"), group="text edit"),
    # ---- delete ------------------------------------------------------------------------------
    Case("Delete the Lookalike project", ("delete", P, "lookalike"), group="delete"),
    Case("remove the Confluent Kafka certification, it expired", ("delete", C, "confluent-certified-developer-kafka"),
         group="delete"),
    Case("Please get rid of my post about technical interviews", ("delete", PO, "designing-fair-technical-interviews"),
         group="delete"),
    Case("Delete the Harbour Watch project", ("delete", P, "harbour-watch"), group="delete"),
    # ---- publish -----------------------------------------------------------------------------
    Case("Publish my post about DuckDB", ("publish", PO, "duckdb-local-analytics-notes"), group="publish"),
    Case("make the Heartbeat project public", ("update", P, "heartbeat"), lambda c: diff(c) == {"published": True},
         group="publish", extra={"also": ("publish", P, "heartbeat")}),
    # ---- inbox and questions: no change ---------------------------------------------------------
    Case("What did visitors ask that I couldn't answer?", None, group="inbox"),
    Case("any contact requests?", None, group="inbox"),
    Case("Which of my projects use Rust?", None, group="question"),
    Case("How many posts have I published?", None, group="question"),
    Case("Delete the Voyager project", None, group="delete"),  # no such project: ask, change nothing
    # ---- drafting ----------------------------------------------------------------------------
    Case("Draft a short blog post about tuning HNSW indexes in pgvector", ("create", PO, None),
         lambda c: c.fields["status"] == "draft" and bool(c.fields["title"]) and len(c.fields["body"]) > 100,
         then=("Save it as a draft",), group="draft"),
    Case("Draft a post about lessons learned running pgvector in production", ("create", PO, None),
         lambda c: c.fields["status"] == "draft" and "```" in c.fields["body"],
         then=("make it shorter and add a code example", "save the draft"), group="draft",
         extra={"shorter": True}),
]
