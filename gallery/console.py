"""`gallery`: the one command of an installed package (`pip install .`), usable from any directory.

    gallery serve [gunicorn options]   the web app under gunicorn with the shipped configuration
    gallery worker                     RQ workers plus the periodic jobs
    gallery scheduler                  only the periodic jobs (one per deployment, beside workers --no-schedule)
    gallery migrate                    upgrade the database to the latest schema
    gallery sweep | create-photographer | create-token | seed-demo | upload | ...

Every `flask --app wsgi gallery <command>` of the checkout is here as `gallery <command>`, the same
code; `.env` is read the same way by all of them (gallery.config.load_dotenv).
"""
from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext


def _create_app():
    from gallery.wsgi import app

    return app


class GalleryGroup(FlaskGroup):
    """The app's `gallery` command group, lifted to the top level, plus `serve` and `migrate`."""

    def _app_group(self, ctx):
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except Exception:  # noqa: BLE001 - a broken configuration: only the commands that need no app remain
            return None
        return app.cli.commands.get("gallery")

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx)) - {"gallery"}
        group = self._app_group(ctx)
        if group is not None:
            names |= set(group.list_commands(ctx))
        return sorted(names)

    def get_command(self, ctx, name):
        if name in self.commands:
            return self.commands[name]
        group = self._app_group(ctx)
        command = group.get_command(ctx, name) if group is not None else None
        if command is None and name != "gallery":
            command = super().get_command(ctx, name)  # `db` (Flask-Migrate) and other plugins
        return command


cli = GalleryGroup(name="gallery", create_app=_create_app, add_default_commands=False, load_dotenv=False,
                   set_debug_flag=False, help="Client galleries, proofing and retention for photographers.")
# Flask's own --app/--debug/--env-file make no sense here: the app is this package, .env is read by load_dotenv.
cli.params = [param for param in cli.params if param.name not in {"app", "debug", "env_file"}]


@cli.command("serve", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--bind", "-b", default=None, help="host:port (default GALLERY_WEB_BIND or 127.0.0.1:8000).")
@click.option("--workers", "-w", type=int, default=None, help="Processes (default GALLERY_WEB_WORKERS).")
@click.pass_context
def serve_command(ctx, bind, workers):
    """Serve the app under gunicorn (gallery/gunicorn_conf.py); extra options go to gunicorn."""
    args = [sys.executable, "-m", "gunicorn", "-c", "python:gallery.gunicorn_conf"]
    if bind:
        args += ["--bind", bind]
    if workers:
        args += ["--workers", str(workers)]
    args += [*ctx.args, "gallery.wsgi:app"]
    os.execv(sys.executable, args)  # noqa: S606 - become gunicorn (signals and the pid go to it), no shell


@cli.command("migrate")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def migrate_command(revision):
    """Upgrade the database schema (the same as `flask --app wsgi db upgrade`)."""
    from flask_migrate import upgrade

    upgrade(revision=revision)
    click.echo(f"database at {revision}")


def main(argv: list[str] | None = None) -> None:
    from gallery.config import ConfigError, load_dotenv

    try:
        load_dotenv()
    except ConfigError as error:
        raise SystemExit(f"configuration error: {error}") from None
    from gallery.observability import use_multiprocess_metrics

    use_multiprocess_metrics()
    cli.main(args=argv, prog_name="gallery")


if __name__ == "__main__":
    main()
