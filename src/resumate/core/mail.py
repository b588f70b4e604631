"""Outgoing mail, always through the job queue (retried on failure).

A message is rendered when it is queued and kept in the ``mail_outbox`` table, written in the
same transaction as the job; the job itself carries only the row's id, the recipient and the
kind. The row is deleted once the message is delivered, so one-time links (password reset,
email verification) never stay behind in the job queue's history.

With SMTP configured, messages go through aiosmtplib. On the embedded default each message is
written to ``<data dir>/outbox/`` as an .eml file and its links are logged, so a self-hoster
without a mail server can still verify an account or reset a password.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

import aiosmtplib
import structlog
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from procrastinate import RetryStrategy
from sqlalchemy import DateTime, Index, String, Text, delete, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from resumate.config import Settings, get_settings
from resumate.core.db import Base, UUIDPk, get_database
from resumate.core.queue import defer, queue, register_maintenance

log = structlog.get_logger(__name__)

_POLICY = policy.SMTP.clone(max_line_length=998)

_settings: Settings | None = None


def configure_mail(settings: Settings) -> None:
    global _settings
    _settings = settings


def _mail_settings() -> Settings:
    return _settings or get_settings()


# A message whose every delivery attempt failed is kept this long (for an operator to look at),
# then removed by the periodic maintenance job.
UNSENT_MAIL_KEPT_DAYS = 7


class MailOutbox(UUIDPk, Base):
    """A rendered message waiting for its ``send_email`` job; deleted once delivered."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_created_at", "created_at"),)

    recipient: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("resumate", "templates/mail"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) from ``templates/mail/<template>.{subject,txt,html}``."""
    env = _environment()
    subject = env.get_template(f"{template}.subject.txt").render(context).strip()
    text = env.get_template(f"{template}.txt").render(context)
    html = env.get_template(f"{template}.html").render(context)
    return subject, text, html


async def queue_mail(
    session: AsyncSession,
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    kind: str | None = None,
) -> None:
    """Render now and send from a job committed with ``session``'s transaction."""
    subject, text, html = render_mail(template, {**context, "app_name": "Resumate"})
    entry = MailOutbox(
        recipient=to,
        kind=(kind or template)[:60],
        subject=subject,
        body_text=text,
        body_html=html,
        headers=headers or None,
    )
    session.add(entry)
    await session.flush()
    await defer(session, send_email, to=to, kind=entry.kind, mail_id=str(entry.id))


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    # Header lines up to SMTP's 998: a long List-Unsubscribe URL must stay one plain line (the
    # default 78 would turn an unbreakable URL into RFC 2047 encoded words, which mail clients
    # do not read as a URL).
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="resumate.local")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


async def deliver(message: EmailMessage, settings: Settings) -> str:
    """Send through SMTP, or write to the outbox; returns where it went."""
    if settings.smtp_host:
        # Flattened here with our policy: aiosmtplib would re-flatten with 78-character
        # header lines (see _POLICY).
        sender = parseaddr(str(message["From"]))[1]
        recipients = [address for _, address in getaddresses(message.get_all("To", []))]
        await aiosmtplib.send(
            message.as_bytes(),
            sender=sender,
            recipients=recipients,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls and not settings.smtp_use_tls,
            use_tls=settings.smtp_use_tls,
            timeout=30,
        )
        return f"smtp://{settings.smtp_host}:{settings.smtp_port}"
    return str(await asyncio.to_thread(_write_outbox, message, settings.outbox_dir))


def _write_outbox(message: EmailMessage, outbox: Path) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    fd, tmp = tempfile.mkstemp(dir=outbox, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    os.chmod(tmp, 0o600)
    target = outbox / name
    os.replace(tmp, target)
    return target


@queue.task(
    name="send_email",
    retry=RetryStrategy(max_attempts=8, exponential_wait=5),
    pass_context=False,
)
async def send_email(
    to: str,
    kind: str = "",
    mail_id: str | None = None,
    subject: str | None = None,
    text: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Deliver the outbox row ``mail_id`` and delete it. Jobs queued before the outbox existed
    carry the message itself (``subject``, ``text``, ``html``) and are still sent."""
    settings = _mail_settings()
    if mail_id is not None:
        async with get_database().sessionmaker() as session:
            entry = await session.get(MailOutbox, uuid.UUID(mail_id))
            if entry is None:  # delivered by an earlier run of this job, then retried
                log.info("mail already sent", kind=kind, mail_id=mail_id)
                return
            subject, text, html = entry.subject, entry.body_text, entry.body_html
            headers = entry.headers
    if subject is None or text is None or html is None:
        raise ValueError("send_email needs mail_id, or subject, text and html")
    message = build_message(
        sender=settings.mail_from, to=to, subject=subject, text=text, html=html, headers=headers
    )
    where = await deliver(message, settings)
    if mail_id is not None:
        async with get_database().sessionmaker() as session, session.begin():
            await session.execute(delete(MailOutbox).where(MailOutbox.id == uuid.UUID(mail_id)))
    links = re.findall(r"https?://\S+", text)
    log.info(
        "mail sent", kind=kind, to=to, via=where, links=links if not settings.smtp_host else None
    )


@register_maintenance
async def forget_unsent_mail() -> int:
    """Remove messages whose every delivery attempt failed, after ``UNSENT_MAIL_KEPT_DAYS``."""
    async with get_database().sessionmaker() as session, session.begin():
        result = await session.execute(
            delete(MailOutbox).where(
                MailOutbox.created_at < func.now() - timedelta(days=UNSENT_MAIL_KEPT_DAYS)
            )
        )
    return int(getattr(result, "rowcount", 0) or 0)
