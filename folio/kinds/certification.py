"""Certifications: credentials the developer earned; always public."""

from __future__ import annotations

from datetime import date
from typing import Any

from data.chunking import Document
from data.models import Certification
from folio import schemas
from folio.kinds.spec import KindSpec, VisitorFacts, featured_filter, present


def _certification_evidence(c, today: date) -> VisitorFacts:
    expired = bool(c.expires_on and c.expires_on < today)
    validity = ((f"expired {c.expires_on}" if expired else f"valid until {c.expires_on}") if c.expires_on
                else "no expiry")
    return VisitorFacts(present(f"issued by {c.issuer}", f"issued {c.issued_on}" if c.issued_on else "", validity),
                        [("credential", c.credential_url)], [c.issuer], expired)


def _certification_page(c, today: date) -> VisitorFacts:
    expiry = ""
    if c.expires_on:
        expiry = f"Expired {c.expires_on}" if c.expires_on < today else f"Valid until {c.expires_on}"
    return VisitorFacts(present(f"Issued by {c.issuer}", f"Issued {c.issued_on}" if c.issued_on else "", expiry,
                                f"Credential ID {c.credential_id}" if c.credential_id else ""),
                        [("Verify the credential", c.credential_url)], [])


def _certification_jsonld(c, author: dict[str, Any] | None) -> dict[str, Any]:
    issuer = {"@type": "Organization", "name": c.issuer} if author is not None else None
    return {"recognizedBy": issuer, "about": author, "description": c.description,
            "credentialCategory": "certification", "dateCreated": c.issued_on, "expires": c.expires_on,
            "sameAs": c.credential_url}


CERTIFICATION = KindSpec(
    "certification", "certifications", Certification, schemas.CertificationCreate,
    schemas.CertificationUpdate, schemas.CertificationOut,
    title_field="name", summary_field="description", body_field="description",
    text_fields=("name", "issuer", "description"),
    required=frozenset({"name", "slug", "issuer", "description", "featured"}),
    recency_field="issued_on",
    order=lambda: (Certification.featured.desc(), Certification.issued_on.desc().nulls_last()),
    document=lambda c: Document(c.name, c.description, (c.issuer, c.credential_id or ""), ""),
    facts=lambda c: present(f"issuer: {c.issuer}", f"issued {c.issued_on}" if c.issued_on else "",
                            f"expires {c.expires_on}" if c.expires_on else "",
                            f"verify at {c.credential_url}" if c.credential_url else ""),
    evidence=_certification_evidence, page=_certification_page,
    schema_type="EducationalOccupationalCredential", jsonld=_certification_jsonld,
    words=("certification", "certifications", "cert", "certs", "certificate", "certificates"),
    cues=("certified", "credential", "credentials", "exam", "exams"), terms_are_topics=False,
    writer_noun="certification description",
    fields_help="name*, issuer*, description, issued_on, expires_on, credential_id, credential_url",
    message_fields=("name", "issuer", "issued_on", "expires_on", "credential_id", "credential_url", "description"),
    message_update_fields=("featured",),
    filters=(featured_filter(),), date_order=("issued_on", "expires_on"),
)
