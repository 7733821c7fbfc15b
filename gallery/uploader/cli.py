"""`gallery-upload DIR --gallery ID` (also `flask --app wsgi gallery upload`)."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from gallery.uploader.client import UploadError, Uploader, find_files, hash_file


@click.command("upload")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gallery", "gallery_id", required=True, help="Gallery id.")
@click.option("--url", envvar="GALLERY_API_URL", default="http://127.0.0.1:5000", show_default=True,
              help="The platform's base URL (or GALLERY_API_URL).")
@click.option("--token", envvar="GALLERY_API_TOKEN", required=True, help="API token (or GALLERY_API_TOKEN).")
@click.option("--jobs", "-j", default=4, show_default=True, type=click.IntRange(1, 32), help="Parallel uploads.")
@click.option("--recursive", "-r", is_flag=True, help="Include sub-folders.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def upload_command(folder, gallery_id, url, token, jobs, recursive, quiet):
    """Upload every photo in FOLDER; files already in the gallery (same sha256) are skipped, so an
    interrupted run can simply be started again."""
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    console = Console(stderr=True, quiet=quiet)
    files = find_files(folder, recursive)
    if not files:
        raise click.ClickException(f"no files in {folder}")
    uploader = None
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
                        TransferSpeedColumn(), TimeRemainingColumn(), console=console, disable=quiet)
    try:
        with progress:
            total = sum(f.size for f in files)
            hashing = progress.add_task("hashing", total=total)
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                for local in pool.map(hash_file, files):
                    progress.advance(hashing, local.size)
            uploading = progress.add_task("uploading", total=total)
            uploader = Uploader(url, token, gallery_id, jobs=jobs,
                                advance=lambda n: progress.advance(uploading, n))
            uploader.check_gallery()

            def done(local, status):
                if status.startswith(("failed", "error", "not an image")):
                    progress.console.print(f"[red]{local.path.name}[/]: {status}")

            report = uploader.run(files, on_done=done)
    except UploadError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if uploader is not None:
            uploader.close()
    click.echo(f"uploaded {len(report.uploaded)}, already there {len(report.skipped)}, "
               f"not images {len(report.not_images)}, failed {len(report.failed)}")
    if report.failed:
        sys.exit(1)


def main() -> None:
    upload_command(prog_name="gallery-upload")
