"""Shared helpers for folio's tests (a real embedded PostgreSQL per test session)."""
