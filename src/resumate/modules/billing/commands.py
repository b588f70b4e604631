"""`resumate billing ...`: set up the PayPal catalog for the paid plans."""

from __future__ import annotations

import asyncio

import typer

billing_app = typer.Typer(help="Billing (RESUMATE_BILLING=paypal)", no_args_is_help=True)


@billing_app.command("sync-paypal")
def sync_paypal() -> None:
    """Create the PayPal catalog product and one PayPal billing plan per paid plan that has
    none, and store their ids (safe to run again: plans already linked are left alone)."""
    from resumate.cli import _database_url, _fail, _settings

    settings = _settings()
    if settings.billing != "paypal":
        raise _fail(
            "billing is off: set RESUMATE_BILLING=paypal and the RESUMATE_PAYPAL_* settings"
        )
    url = _database_url(settings)

    async def run() -> list[tuple[str, str, bool]]:
        from resumate.core.db import Database
        from resumate.core.errors import AppError
        from resumate.modules.billing import service as billing_service

        database = Database(url, pool_size=1, max_overflow=0)
        try:
            async with database.sessionmaker() as session, session.begin():
                return await billing_service.sync_paypal_catalog(session)
        except AppError as exc:
            reason, debug = exc.details.get("reason"), exc.details.get("debug_id")
            message = exc.message + (f" {reason}" if reason else "")
            raise _fail(message + (f" (PayPal debug id {debug})" if debug else "")) from exc
        finally:
            from resumate.modules.billing.paypal import close_clients

            await close_clients()
            await database.dispose()

    results = asyncio.run(run())
    if not results:
        typer.echo("no paid plan to sync")
    for slug, plan_id, created in results:
        typer.echo(f"{slug}: {'created' if created else 'already linked to'} PayPal plan {plan_id}")
