"""`flask --app wsgi gallery ...`: operator and photographer commands."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from gallery.core import transaction
from gallery.extensions import db

gallery_cli = AppGroup("gallery", help="Gallery platform commands.")


@gallery_cli.command("create-photographer")
@click.option("--email", required=True)
@click.option("--studio", "studio_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--locale", default="en", show_default=True)
def create_photographer_command(email, studio_name, password, timezone, locale):
    """Create a photographer account."""
    from gallery.accounts.schemas import SignupSchema
    from marshmallow import ValidationError

    from gallery.accounts import services
    from gallery.errors import Problem

    try:
        data = SignupSchema().load({"email": email, "password": password, "studio_name": studio_name,
                                    "timezone": timezone, "locale": locale})
        photographer = services.create_photographer(**data)
    except ValidationError as error:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in error.messages.items())) from None
    except Problem as error:
        raise click.ClickException(error.detail) from None
    transaction.commit()
    click.echo(f"created photographer {photographer.id} <{photographer.email}>")


@gallery_cli.command("create-token")
@click.option("--email", required=True)
@click.option("--name", default="cli", show_default=True)
def create_token_command(email, name):
    """Issue an API token for a photographer (printed once)."""
    from sqlalchemy import select

    from gallery.accounts import services
    from gallery.accounts.models import Photographer

    photographer = db.session.scalar(select(Photographer).where(Photographer.email == services.normalize_email(email)))
    if photographer is None:
        raise click.ClickException(f"no photographer with email {email}")
    _, plain = services.issue_token(photographer, name)
    transaction.commit()
    click.echo(plain)


@gallery_cli.command("seed-demo")
def seed_demo_command():
    """Create the demo photographer, client and gallery (idempotent)."""
    from gallery import demo

    result = demo.seed()
    transaction.commit()
    for line in result.summary():
        click.echo(line)


@gallery_cli.command("sweep")
@click.option("--now", "now_text", default=None, help="Run the sweep as of this ISO-8601 instant (default: now).")
def sweep_command(now_text):
    """Run one retention sweep: plan what is due, send what is due in clients' local morning."""
    from datetime import UTC, datetime

    from gallery.core import clock
    from gallery.retention.sweep import sweep

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter(f"not an ISO-8601 instant: {now_text!r}", param_hint="--now") from None
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    from gallery.observability import metrics

    with clock.frozen(now or clock.now()) as moment, metrics.SWEEP_SECONDS.time():
        result = sweep(moment)
        transaction.commit()
    click.echo(" ".join(f"{key}={value}" for key, value in result.as_dict().items()))


def register(app: Flask) -> None:
    from gallery.uploader.cli import upload_command
    from workers.cli import scheduler_command, worker_command

    gallery_cli.add_command(worker_command)
    gallery_cli.add_command(scheduler_command)
    gallery_cli.add_command(upload_command)
    app.cli.add_command(gallery_cli)
