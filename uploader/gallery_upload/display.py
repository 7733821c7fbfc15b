"""Progress on the terminal (rich): bytes and files sent, with speed and time left."""
from __future__ import annotations

from rich.console import Console
from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                           TimeRemainingColumn, TransferSpeedColumn)


class Display:
    def __init__(self, console: Console, *, enabled: bool = True):
        self.console = console
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
                                 TransferSpeedColumn(), TimeRemainingColumn(), console=console,
                                 disable=not enabled, transient=False)
        self.sending = None
        self.count = 0
        self.total_files = 0

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def say(self, message: str) -> None:
        self.console.print(message)

    def start_upload(self, total: int, files: int) -> None:
        self.total_files, self.count = files, 0
        label = f"sending 0/{files}"
        if self.sending is None:
            self.sending = self.progress.add_task(label, total=total)
        else:
            self.progress.reset(self.sending, total=total, description=label)

    def advance(self, size: int) -> None:
        if self.sending is not None:
            self.progress.advance(self.sending, size)

    def file_done(self) -> None:
        self.count += 1
        if self.sending is not None:
            self.progress.update(self.sending, description=f"sending {self.count}/{self.total_files}")
