"""`flask --app wsgi gallery ...`: operator and photographer commands."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

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
    db.session.commit()
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
    db.session.commit()
    click.echo(plain)


@gallery_cli.command("seed-demo")
def seed_demo_command():
    """Create the demo photographer, client and gallery (idempotent)."""
    from gallery import demo

    result = demo.seed()
    db.session.commit()
    for line in result.summary():
        click.echo(line)


def register(app: Flask) -> None:
    from gallery.uploader.cli import upload_command
    from workers.cli import worker_command

    gallery_cli.add_command(worker_command)
    gallery_cli.add_command(upload_command)
    app.cli.add_command(gallery_cli)
