"""--watch: upload each new photo of an export folder once it is complete, for as long as it runs.

A polling loop rather than file-system events (inotify, FSEvents, ReadDirectoryChangesW): it must stat
every file again anyway to tell a finished export from one Lightroom is still writing (size and mtime
unchanged for the settle period), it sees the same on network shares and external drives where events
are lost or never sent, and after a laptop sleep (when event queues overflow or watches die) the next
scan simply sees everything again. A few thousand stat calls every two seconds cost next to nothing.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gallery_upload.files import LocalFile, find_files

SLEEP_GAP = 30.0  # the wall clock ran this much further than the monotonic one: the machine slept


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float  # monotonic time the signature was first seen


class Watcher:
    def __init__(self, folder: Path, *, settle: float = 5.0, interval: float = 2.0, recursive: bool = False,
                 sets_from_folders: bool = False, set_name: str | None = None,
                 say: Callable[[str], None] = print):
        self.folder = folder
        self.settle = settle
        self.interval = interval
        self.scan_options = {"recursive": recursive, "sets_from_folders": sets_from_folders, "set_name": set_name}
        self.say = say
        self.seen: dict[Path, _Seen] = {}
        self.done: dict[Path, tuple[int, int]] = {}  # path -> signature handled (uploaded, skipped or refused)
        self._last = (time.time(), time.monotonic())

    def woke_up(self) -> bool:
        """True once after the machine slept (suspend stops the monotonic clock, not the wall clock)."""
        wall, mono = time.time(), time.monotonic()
        gap = (wall - self._last[0]) - (mono - self._last[1])
        self._last = (wall, mono)
        return gap > SLEEP_GAP

    def complete_files(self) -> list[LocalFile]:
        """Files not handled yet whose size and mtime have not changed for the settle period."""
        now = time.monotonic()
        if self.woke_up():
            self.say("woke up after a sleep: looking at the folder again")
            self.seen.clear()  # files may have changed while asleep: watch them settle again
        ready = []
        try:
            files = find_files(self.folder, **self.scan_options)
        except OSError as error:  # the folder is on a drive that went away; wait for it
            self.say(f"cannot read {self.folder}: {error}")
            return []
        present = set()
        for local in files:
            present.add(local.path)
            signature = (local.size, local.mtime_ns)
            if self.done.get(local.path) == signature:
                continue
            seen = self.seen.get(local.path)
            if seen is None or seen.signature != signature:
                # Written long ago and unchanged since the first look: an export that finished before we
                # started. Otherwise wait for the settle period from now.
                old = time.time() - local.mtime_ns / 1e9 >= self.settle
                self.seen[local.path] = _Seen(signature, now - (self.settle if old else 0))
                continue
            if local.size > 0 and now - seen.since >= self.settle:
                ready.append(local)
        for path in list(self.seen):
            if path not in present:
                del self.seen[path]
        return ready

    def handled(self, local: LocalFile) -> None:
        self.done[local.path] = (local.size, local.mtime_ns)
        self.seen.pop(local.path, None)

    async def run(self, upload_batch) -> None:
        """For ever: scan, send the complete files (`await upload_batch(files)`), wait, scan again."""
        self.say(f"watching {self.folder} (Ctrl-C to stop)")
        while True:
            ready = self.complete_files()
            if ready:
                await upload_batch(ready)
                for local in ready:
                    self.handled(local)
            await asyncio.sleep(self.interval)
