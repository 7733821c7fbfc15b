"""`flask --app wsgi gallery worker`: an RQ worker plus the periodic schedule."""
from __future__ import annotations

import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from gallery.core.queues import QUEUE_NAMES, get_queue, redis_connection
from gallery.extensions import db
from workers import schedule


@click.command("worker")
@click.option("--queues", default="mail,default,renditions", show_default=True,
              help="Comma-separated queues, in priority order.")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty (tests, cron).")
@click.option("--no-schedule", is_flag=True, help="Do not enqueue the periodic jobs from this worker.")
@with_appcontext
def worker_command(queues, burst, no_schedule):
    """Process background jobs (renditions, mail, deletions) and enqueue periodic ones."""
    settings = current_app.config["GALLERY"]
    names = [name.strip() for name in queues.split(",") if name.strip()]
    unknown = set(names) - set(QUEUE_NAMES)
    if unknown:
        raise click.BadParameter(f"unknown queue(s) {', '.join(sorted(unknown))}; known: {', '.join(QUEUE_NAMES)}")
    if not settings.redis_url:
        click.echo("GALLERY_REDIS_URL is not set: jobs run inline in the web process; "
                   "running only the periodic jobs here.")
        schedule.run_inline_forever()
        return
    from workers.observed import ObservedWorker as Worker


    stop = threading.Event()
    if not no_schedule:
        schedule.start_thread(settings.redis_url, stop)
    # Work horses are forked with this app context: hand them no open database connection.
    db.session.remove()
    db.engine.dispose()
    worker = Worker([get_queue(name) for name in names], connection=redis_connection())
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
    finally:
        stop.set()


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Only enqueue the periodic jobs (run one beside workers started with --no-schedule)."""
    from workers import schedule

    settings = current_app.config["GALLERY"]
    if not settings.redis_url:
        click.echo("GALLERY_REDIS_URL is not set: running the periodic jobs in this process.")
        schedule.run_inline_forever()
        return
    stop = threading.Event()
    schedule.start_thread(settings.redis_url, stop).join()
