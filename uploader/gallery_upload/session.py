"""A run: inspect the files, create the sets they go to, ask the gallery what it has, send the rest
(a few at a time), put them in order in one call, and keep the account of what arrived."""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Callable

from gallery_upload.api import Api, ApiError, MaybeDone
from gallery_upload.files import Cancelled, LocalFile, inspect, ordered, set_names_in_order
from gallery_upload.transfer import Transfer

CHECK_BATCH = 1000
ARRANGE_BATCH = 10_000


@dataclass
class Report:
    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the gallery already had them
    not_images: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file -> reason
    sets_created: list[str] = field(default_factory=list)
    resumed_parts: int = 0

    def arrived(self) -> int:
        return len(self.uploaded) + len(self.skipped)


@dataclass
class Options:
    jobs: int = 4
    order: str = "capture"
    dry_run: bool = False


class Session:
    def __init__(self, api: Api, gallery_id: str, options: Options, *, progress=None,
                 say: Callable[[str], None] = print):
        self.api = api
        self.gallery_id = gallery_id
        self.options = options
        self.ui = progress  # gallery_upload.display.Display or None
        self.say = say
        self.report = Report()
        self.cancel = threading.Event()
        self.sets: dict[str, str] = {}  # name -> id
        self.placed: list[LocalFile] = []  # every photo of this run the gallery holds, for ordering
        self.transfer = Transfer(api, gallery_id, progress=lambda n: self.ui and self.ui.advance(n))

    # -- steps ---------------------------------------------------------------------------------

    async def gallery(self) -> dict:
        gallery = await self.api.json("GET", f"/api/v1/galleries/{self.gallery_id}")
        self.sets = {s["name"]: s["id"] for s in gallery.get("sets") or []}
        return gallery

    async def inspect(self, files: list[LocalFile]) -> list[LocalFile]:
        """Hash and sniff in threads (a few at once); Ctrl-C stops them between two blocks."""
        capture = self.options.order == "capture"
        limit = asyncio.Semaphore(max(2, self.options.jobs))
        if self.ui:
            self.ui.start_hashing(sum(f.size for f in files))

        async def one(local):
            async with limit:
                await asyncio.to_thread(inspect, local, self.cancel, capture_time=capture)
                if self.ui:
                    self.ui.hashed(local.size)

        try:
            await asyncio.gather(*(one(f) for f in files))
        except (asyncio.CancelledError, Cancelled):
            self.cancel.set()
            raise
        images = []
        for local in files:
            if local.content_type is None:
                self.report.not_images.append(str(local.path))
                self.say(f"{local.path.name}: not a photo (JPEG, PNG, TIFF, WebP or HEIC), skipped")
            else:
                images.append(local)
        return ordered(images, self.options.order)

    async def ensure_sets(self, files: list[LocalFile]) -> None:
        for name in set_names_in_order(files):
            if name in self.sets:
                continue
            if self.options.dry_run:
                self.say(f"would create the set {name!r}")
                continue
            self.sets[name] = await self._create_set(name)
            self.report.sets_created.append(name)
            self.say(f"created the set {name!r}")

    async def _create_set(self, name: str) -> str:
        """Create a set once: when an answer is lost on the way, look at the gallery before trying again."""
        for attempt in range(self.api.policy.attempts or 1_000_000):
            try:
                created = await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/sets",
                                              {"name": name[:120]}, repeatable=False)
                return created["id"]
            except MaybeDone:
                await asyncio.sleep(self.api.policy.delay(attempt))
                await self.gallery()
                if name[:120] in self.sets:
                    return self.sets[name[:120]]
        raise ApiError(f"could not create the set {name!r}")

    async def existing(self, files: list[LocalFile]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        hashes = list(dict.fromkeys(f.sha256 for f in files))
        for start in range(0, len(hashes), CHECK_BATCH):
            answer = await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/uploads/check",
                                         {"sha256": hashes[start:start + CHECK_BATCH]})
            found.update(answer["existing"])
        return found

    async def upload(self, files: list[LocalFile], pending: list[str]) -> None:
        """Send what the gallery lacks, `jobs` at a time. `pending` holds the files not yet arrived
        (what the summary lists after Ctrl-C)."""
        have = await self.existing(files)
        todo = []
        for local in files:
            photo = have.get(local.sha256)
            if photo and photo["status"] in {"ready", "processing"}:
                local.photo_id = photo["id"]
                self.report.skipped.append(str(local.path))
                self.placed.append(local)
                if self.ui:
                    self.ui.skipped(local.size)
            else:
                todo.append((local, photo["id"] if photo and photo["status"] == "uploading" else None))
        pending.extend(str(local.path) for local, _ in todo)
        if self.ui:
            self.ui.start_upload(sum(local.size for local, _ in todo), len(todo))
        limit = asyncio.Semaphore(self.options.jobs)

        async def one(local: LocalFile, resume_id: str | None):
            async with limit:
                try:
                    photo, how = await self.transfer.send(local, set_id=self.sets.get(local.set_name or ""),
                                                          resume_photo_id=resume_id)
                except ApiError as error:
                    self.report.failed[str(local.path)] = str(error)
                    self.say(f"[red]{local.path.name}[/]: {error}")
                    pending.remove(str(local.path))
                    return
            pending.remove(str(local.path))
            if how == "already there":
                self.report.skipped.append(str(local.path))
            elif photo.get("status") == "failed":
                reason = photo.get("failure_reason") or "failed"
                self.report.failed[str(local.path)] = reason
                self.say(f"[red]{local.path.name}[/]: {reason}")
                return
            else:
                self.report.uploaded.append(str(local.path))
            local.photo_id = photo["id"]
            self.placed.append(local)
            if self.ui:
                self.ui.file_done()

        async with asyncio.TaskGroup() as group:
            for local, resume_id in todo:
                group.create_task(one(local, resume_id))
        self.report.resumed_parts = self.transfer.resent_parts

    async def arrange(self) -> None:
        """The run's photos in the chosen order (capture time or name), in one call."""
        photos = [f.photo_id for f in ordered(self.placed, self.options.order) if f.photo_id]
        if len(photos) > 1:
            for start in range(0, len(photos), ARRANGE_BATCH):
                await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/photos/arrange",
                                    {"photo_ids": photos[start:start + ARRANGE_BATCH]})

    async def dry_run(self, files: list[LocalFile]) -> list[tuple[LocalFile, str]]:
        have = await self.existing(files) if files else {}
        plan = []
        for local in files:
            photo = have.get(local.sha256)
            if photo and photo["status"] in {"ready", "processing"}:
                plan.append((local, "already there"))
            elif photo and photo["status"] == "uploading":
                plan.append((local, "resume"))
            else:
                plan.append((local, "upload"))
        return plan
