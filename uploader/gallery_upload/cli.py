"""`gallery-upload FOLDER --gallery ID` (also `flask --app wsgi gallery upload` on the server)."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gallery_upload import credentials
from gallery_upload.api import Api, ApiError, RetryPolicy
from gallery_upload.display import Display
from gallery_upload.files import find_files
from gallery_upload.session import Options, Session
from gallery_upload.watch import Watcher

INTERRUPTED = 130


@click.command("upload")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gallery", "gallery_id", envvar="GALLERY_ID", required=True, help="Gallery id (or GALLERY_ID).")
@click.option("--url", envvar=["GALLERY_URL", "GALLERY_API_URL"], default="http://127.0.0.1:5000", show_default=True,
              help="The platform's base URL (or GALLERY_URL).")
@click.option("--token", help="API token. Better: GALLERY_TOKEN in the environment, or the OS keyring "
                              "(--save-token stores this one there).")
@click.option("--save-token", is_flag=True, help="Store --token in the OS keyring for this URL, then use it.")
@click.option("--jobs", "-j", default=4, show_default=True, type=click.IntRange(1, 32), help="Files sent at once.")
@click.option("--recursive", "-r", is_flag=True, help="Include sub-folders (into the same set).")
@click.option("--sets-from-folders", is_flag=True,
              help="Each sub-folder becomes a set of that name (created if missing); files on top take --set.")
@click.option("--set", "set_name", metavar="NAME", help="Put the photos into this set (created if missing).")
@click.option("--order", type=click.Choice(["capture", "name"]), default="capture", show_default=True,
              help="Gallery order: EXIF capture time (files without one last, by name) or file name.")
@click.option("--watch", is_flag=True, help="Keep watching FOLDER; upload each new photo once it is complete.")
@click.option("--settle", default=5.0, show_default=True, type=click.FloatRange(0.5, 3600),
              help="With --watch: seconds a file's size and mtime must stay unchanged before it is sent.")
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="With --watch: seconds between two looks at the folder.")
@click.option("--retries", default=8, show_default=True, type=click.IntRange(1, 1000),
              help="Attempts per request on connection errors, timeouts, 429 and 5xx (--watch: for ever).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent, and to which set; send nothing.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.pass_context
def upload_command(ctx, folder, gallery_id, url, token, save_token, jobs, recursive, sets_from_folders, set_name,
                   order, watch, settle, interval, retries, dry_run, quiet):
    """Upload the photos of FOLDER into a gallery. Files the gallery already has (same content) are skipped,
    and an interrupted upload continues where it stopped, inside large files too: run the same command again.

    Ctrl-C stops at once and says what arrived and what did not (exit status 130)."""
    console = Console(stderr=True, quiet=quiet, highlight=False)
    try:
        token = credentials.resolve(url, token, save=save_token)
    except credentials.NoToken as error:
        raise click.UsageError(str(error)) from None
    if watch and dry_run:
        raise click.UsageError("--dry-run shows one look at the folder; leave out --watch.")
    scan = {"recursive": recursive, "sets_from_folders": sets_from_folders, "set_name": set_name}
    if not watch and not find_files(folder, **scan):
        raise click.ClickException(f"no files in {folder}")
    policy = RetryPolicy(attempts=None, cap=60.0) if watch else RetryPolicy(attempts=retries)
    display = Display(console, enabled=not quiet)
    stop = {"interrupted": False}
    code = _run_interruptibly(_main(display, folder, gallery_id, url, token, policy, scan,
                                    Options(jobs=jobs, order=order, dry_run=dry_run),
                                    watch=watch, settle=settle, interval=interval, stop=stop), stop)
    if code:
        ctx.exit(code)


def _run_interruptibly(coroutine, stop: dict) -> int:
    """Run the upload; the first Ctrl-C (or SIGTERM) cancels every request in flight at once and lets the
    run print its summary; a second one leaves without it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called from a program that runs an event loop in this thread: the upload gets a thread of its own
        result: dict = {}

        def run():
            try:
                result["code"] = _run_interruptibly(coroutine, stop)
            except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
                result["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        if "error" in result:
            raise result["error"]
        return result["code"]
    loop = asyncio.new_event_loop()
    main = loop.create_task(coroutine)

    def interrupt():
        if stop["interrupted"]:
            os._exit(INTERRUPTED)
        stop["interrupted"] = True
        main.cancel()

    handled = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, interrupt)
            handled.append(sig)
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or Windows
            pass
    try:
        return loop.run_until_complete(main)
    except KeyboardInterrupt:  # where signal handlers could not be installed
        return INTERRUPTED
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


async def _main(display: Display, folder: Path, gallery_id: str, url: str, token: str, policy: RetryPolicy,
                scan: dict, options: Options, *, watch: bool, settle: float, interval: float, stop: dict) -> int:
    api = Api(url, token, policy=policy, connections=max(4, options.jobs * 2),
              on_retry=lambda message: display.say(f"[yellow]{escape(message)}[/]"))
    session = Session(api, gallery_id, options, progress=display, say=display.say)
    pending: list[str] = []
    try:
        with display:
            try:
                await session.gallery()
            except ApiError as error:
                raise click.ClickException(str(error)) from None
            if watch:
                watcher = Watcher(folder, settle=settle, interval=interval, say=display.say, **scan)

                async def batch(files):
                    images = await session.look(files)
                    await session.ensure_sets(images)
                    await session.upload(images, pending)
                    await session.arrange()

                await watcher.run(batch)  # until Ctrl-C
            files = await session.look(find_files(folder, **scan))
            await session.ensure_sets(files)
            if options.dry_run:
                _show_plan(display, session, folder, await session.dry_run(files))
                return 0
            await session.upload(files, pending)
            await session.arrange()
    except asyncio.CancelledError:
        if not stop["interrupted"]:
            raise
        asyncio.current_task().uncancel()
        session.cancel.set()
        _summary(display, session, pending, interrupted=True)
        return INTERRUPTED
    finally:
        await api.aclose()
        session.hashes.close()
    _summary(display, session, pending, interrupted=False)
    return 1 if session.report.failed else 0


def _summary(display: Display, session: Session, pending: list[str], *, interrupted: bool) -> None:
    report = session.report
    if report.resumed_parts:
        display.say(f"resumed: {report.resumed_parts} part(s) had already arrived and were not sent again")
    for path, reason in report.failed.items():
        display.say(f"[red]failed[/] {escape(path)}: {escape(reason)}")
    line = (f"uploaded {len(report.uploaded)}, already there {len(report.skipped)}, "
            f"not images {len(report.not_images)}, failed {len(report.failed)}")
    if interrupted:
        display.say(f"[bold]interrupted[/]: {report.arrived()} photo(s) arrived, {len(pending)} did not:")
        for path in pending[:20]:
            display.say(f"  not arrived: {escape(path)}")
        if len(pending) > 20:
            display.say(f"  ... and {len(pending) - 20} more")
        display.say("run the same command again to continue where it stopped")
        line += f", not arrived {len(pending)}, interrupted"
    click.echo(line)


def _show_plan(display: Display, session: Session, folder: Path, plan) -> None:
    table = Table(title="dry run: nothing is sent")
    for column in ("file", "set", "bytes", "would"):
        table.add_column(column, justify="right" if column == "bytes" else "left", overflow="fold")
    for local, action in plan:
        set_label = local.set_name or ""
        if set_label and set_label not in session.sets:
            set_label += " (new)"
        table.add_row(escape(str(local.path.relative_to(folder))), escape(set_label), f"{local.size:,}", action)
    # Piped into a file or another program: wide enough that nothing is cut.
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    counts = {action: sum(1 for _, a in plan if a == action) for action in ("upload", "resume", "already there")}
    click.echo(f"would upload {counts['upload']}, resume {counts['resume']}, already there {counts['already there']}, "
               f"not images {len(session.report.not_images)}")


def main() -> None:
    upload_command(prog_name="gallery-upload")
