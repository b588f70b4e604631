"""resumes.data_sha256: the document's digest, kept by PostgreSQL

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-01

A stored PDF is reused while its resume's data and template are unchanged; it is found by the
data's digest. That digest was computed by the server from the document after reading it, so
"is there a PDF for this exact data?" was a second query after the resume's. The resume row now
carries the digest of its data as a generated column (sha256 of the jsonb's canonical text,
computed by PostgreSQL on every write, whoever writes: no writer can leave it stale), and a
request can look up the stored PDF in the query that loads the resume.

The PDFs' key changes with it: stored PDFs of each resume's current data are re-keyed from the
old digest (sha256 of ``json.dumps(data, sort_keys=True, ensure_ascii=False,
separators=(",", ":"))``) to the new one, so none is rendered again. PDFs of earlier versions
keep the old key (going back to such a version renders once more). The unique key's columns are
reordered so that its prefix (resume, data digest) serves the lookup by data alone.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def _old_digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rekey(*, to_new: bool) -> None:
    """Point the stored PDFs of each resume's current data at the other digest."""
    bind = op.get_bind()
    first = sa.text(
        "SELECT r.id, r.data, r.data_sha256 FROM resumes r "
        "WHERE EXISTS (SELECT 1 FROM resume_pdfs p WHERE p.resume_id = r.id) "
        "ORDER BY r.id LIMIT :batch"
    )
    after = sa.text(
        "SELECT r.id, r.data, r.data_sha256 FROM resumes r "
        "WHERE EXISTS (SELECT 1 FROM resume_pdfs p WHERE p.resume_id = r.id) AND r.id > :last "
        "ORDER BY r.id LIMIT :batch"
    )
    last = None
    while True:
        if last is None:
            rows = bind.execute(first, {"batch": BATCH}).all()
        else:
            rows = bind.execute(after, {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        for resume_id, data, new in rows:
            old = _old_digest(data)
            source, target = (old, new) if to_new else (new, old)
            if source != target:
                bind.execute(
                    sa.text(
                        "UPDATE resume_pdfs p SET data_sha256 = :target "
                        "WHERE p.resume_id = :id AND p.data_sha256 = :source "
                        # A PDF of this data and template under the other key already (the
                        # data went away and came back since): that one stays the PDF.
                        "AND NOT EXISTS (SELECT 1 FROM resume_pdfs q WHERE q.resume_id = :id "
                        "AND q.template_digest = p.template_digest AND q.data_sha256 = :target)"
                    ),
                    {"target": target, "source": source, "id": resume_id},
                )
        last = rows[-1][0]


def upgrade() -> None:
    # ``convert_to`` is only STABLE (it looks up a conversion); for a fixed target encoding
    # the result depends on the text alone, which is what a generated column needs.
    op.execute(
        "CREATE FUNCTION resume_data_digest(data jsonb) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        "AS $$ SELECT encode(sha256(convert_to(data::text, 'UTF8')), 'hex') $$"
    )
    op.add_column(
        "resumes",
        sa.Column(
            "data_sha256",
            sa.String(64),
            sa.Computed("resume_data_digest(data)", persisted=True),
            nullable=False,
        ),
    )
    _rekey(to_new=True)
    op.drop_constraint("uq_resume_pdfs_render_key", "resume_pdfs", type_="unique")
    op.create_unique_constraint(
        "uq_resume_pdfs_render_key", "resume_pdfs", ["resume_id", "data_sha256", "template_digest"]
    )


def downgrade() -> None:
    op.drop_constraint("uq_resume_pdfs_render_key", "resume_pdfs", type_="unique")
    op.create_unique_constraint(
        "uq_resume_pdfs_render_key", "resume_pdfs", ["resume_id", "template_digest", "data_sha256"]
    )
    _rekey(to_new=False)
    op.drop_column("resumes", "data_sha256")
    op.execute("DROP FUNCTION resume_data_digest(jsonb)")
