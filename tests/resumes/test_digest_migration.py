"""Migration 0019: resumes carry their document's digest (a generated column) and the stored
PDFs of each resume's current document are re-keyed to it on the way up (and back on the way
down), so that none is rendered again; PDFs of earlier versions keep their key."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import psycopg
from alembic import command
from psycopg.types.json import Jsonb

from resumate.core.db import libpq_url
from resumate.core.migrations import alembic_config, upgrade


def old_digest(data: Any) -> str:
    """The key stored PDFs had before 0019 (the server's digest of the document)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


CURRENT = {
    "basics": {"name": "Zoë 李", "label": "مهندس 🚀", "summary": 'tab\there, quote " and \\'},
    "work": [{"name": "Acme", "highlights": ["x", "y"], "startDate": "2020-01"}],
    "skills": [{"name": "Python", "level": 3.5}],
}
EARLIER = {"basics": {"name": "Zoë"}}


def _pdf(conn: psycopg.Connection[Any], resume_id: uuid.UUID, digest: str, template: str) -> None:
    conn.execute(
        "INSERT INTO resume_pdfs (id, resume_id, template_version, template_digest, data_sha256,"
        " sha256, size_bytes, pages, storage_key) VALUES (%s, %s, 1, %s, %s, %s, 1, 1, %s)",
        (uuid.uuid4(), resume_id, template, digest, "0" * 64, f"pdfs/{uuid.uuid4()}.pdf"),
    )


def test_the_pdfs_of_current_documents_are_rekeyed_both_ways(database_url: str) -> None:
    url = libpq_url(database_url)
    user_id, resume_id = uuid.uuid4(), uuid.uuid4()
    config = alembic_config(database_url)
    command.downgrade(config, "0014")
    try:
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO users (id, email, password_hash, role, is_active, email_verified)"
                " VALUES (%s, %s, 'x', 'user', true, false)",
                (user_id, f"digest-{user_id}@example.com"),
            )
            conn.execute(
                "INSERT INTO resumes (id, user_id, title, data, version, share_enabled)"
                " VALUES (%s, %s, 'CV', %s, 1, false)",
                (resume_id, user_id, Jsonb(CURRENT)),
            )
            _pdf(conn, resume_id, old_digest(CURRENT), "a" * 64)
            _pdf(conn, resume_id, old_digest(CURRENT), "b" * 64)
            _pdf(conn, resume_id, old_digest(EARLIER), "a" * 64)
        upgrade(database_url)
        with psycopg.connect(url) as conn:
            (digest,) = conn.execute(
                "SELECT data_sha256 FROM resumes WHERE id = %s", (resume_id,)
            ).fetchone() or (None,)
            assert digest is not None and len(digest) == 64 and digest != old_digest(CURRENT)
            # The same document written again (keys in another order) has the same digest; a
            # change of the document changes it.
            conn.execute(
                "UPDATE resumes SET data = %s WHERE id = %s",
                (Jsonb(dict(reversed(list(CURRENT.items())))), resume_id),
            )
            again = conn.execute("SELECT data_sha256 FROM resumes WHERE id = %s", (resume_id,))
            assert again.fetchone() == (digest,)
            pdfs = conn.execute(
                "SELECT data_sha256 FROM resume_pdfs WHERE resume_id = %s", (resume_id,)
            ).fetchall()
            assert sorted(row[0] for row in pdfs) == sorted([digest, digest, old_digest(EARLIER)])
        command.downgrade(config, "0014")
        with psycopg.connect(url) as conn:
            pdfs = conn.execute(
                "SELECT data_sha256 FROM resume_pdfs WHERE resume_id = %s", (resume_id,)
            ).fetchall()
            assert sorted(row[0] for row in pdfs) == sorted(
                [old_digest(CURRENT), old_digest(CURRENT), old_digest(EARLIER)]
            )
    finally:
        upgrade(database_url)
        with psycopg.connect(url) as conn:
            conn.execute("DELETE FROM users WHERE id = %s", (user_id,))
