"""A run: look at the files, create the sets they go to, then hash, ask the gallery what it has and send
the rest as a pipeline (the first files are on their way while later ones are still being hashed), put
the photos in order in one call, and keep the account of what arrived."""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Callable

from gallery_upload.api import Api, ApiError, MaybeDone
from gallery_upload.files import Cancelled, LocalFile, hash_file, look, ordered, set_names_in_order
from gallery_upload.hash_cache import HashCache
from gallery_upload.transfer import Transfer

CHECK_BATCH = 32  # files hashed, then asked about in one call
ARRANGE_BATCH = 10_000
HASHING_THREADS = 2


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
        self.transfer = Transfer(api, gallery_id, progress=self._advance)
        self._hashing = asyncio.Semaphore(HASHING_THREADS)
        self.hashes = HashCache()

    def _advance(self, n: int) -> None:
        if self.ui:
            self.ui.advance(n)

    # -- steps ---------------------------------------------------------------------------------

    async def gallery(self) -> dict:
        gallery = await self.api.json("GET", f"/api/v1/galleries/{self.gallery_id}")
        self.sets = {s["name"]: s["id"] for s in gallery.get("sets") or []}
        return gallery

    async def look(self, files: list[LocalFile]) -> list[LocalFile]:
        """The photos among `files` (by content), with capture times when ordering by them, in gallery order."""
        capture = self.options.order == "capture"
        limit = asyncio.Semaphore(4)

        async def one(local):
            async with limit:
                await asyncio.to_thread(look, local, capture_time=capture)

        await asyncio.gather(*(one(f) for f in files))
        images = []
        for local in files:
            if local.content_type is None:
                self.report.not_images.append(str(local.path))
                self.say(f"{local.path.name}: not a photo (JPEG, PNG, TIFF, WebP or HEIC), skipped")
            else:
                images.append(local)
        return ordered(images, self.options.order)

    async def hash(self, files: list[LocalFile]) -> None:
        """sha256 of each, two threads at a time; Ctrl-C stops them between two blocks."""
        async def one(local):
            async with self._hashing:
                await asyncio.to_thread(hash_file, local, self.cancel)
            self.hashes.put(local.path, local.size, local.mtime_ns, local.sha256)

        for local in files:
            if not local.sha256:
                local.sha256 = self.hashes.get(local.path, local.size, local.mtime_ns) or ""
        try:
            await asyncio.gather(*(one(f) for f in files if not f.sha256))
        except (asyncio.CancelledError, Cancelled):
            self.cancel.set()
            raise

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
                                              {"name": name}, repeatable=False)
                return created["id"]
            except MaybeDone:
                await asyncio.sleep(self.api.policy.delay(attempt))
                await self.gallery()
                if name in self.sets:
                    return self.sets[name]
        raise ApiError(f"could not create the set {name!r}")

    async def existing(self, files: list[LocalFile]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        hashes = list(dict.fromkeys(f.sha256 for f in files))
        for start in range(0, len(hashes), 1000):
            answer = await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/uploads/check",
                                         {"sha256": hashes[start:start + 1000]})
            found.update(answer["existing"])
        return found

    async def upload(self, images: list[LocalFile], pending: list[str]) -> None:
        """Hash, check and send, `jobs` files at a time. `pending` holds the files that have not arrived yet
        (what the summary lists after Ctrl-C)."""
        jobs = self.options.jobs
        pending.extend(str(local.path) for local in images)
        if self.ui:
            self.ui.start_upload(sum(local.size for local in images), len(images))
        queue: asyncio.Queue = asyncio.Queue(maxsize=jobs * 2)

        async def producer():
            start, size = 0, jobs  # a small first batch: the first bytes leave at once
            while start < len(images):
                batch = images[start:start + size]
                start, size = start + size, CHECK_BATCH
                await self.hash(batch)
                have = await self.existing(batch)
                for local in batch:
                    photo = have.get(local.sha256)
                    if photo and photo["status"] in {"ready", "processing"}:
                        local.photo_id = photo["id"]
                        self._arrived(local, self.report.skipped, pending)
                        self._advance(local.size)
                    else:
                        await queue.put((local, photo["id"] if photo and photo["status"] == "uploading" else None))
            for _ in range(jobs):
                await queue.put(None)

        async def sender():
            while (item := await queue.get()) is not None:
                await self._send(*item, pending)

        async with asyncio.TaskGroup() as group:
            group.create_task(producer())
            for _ in range(jobs):
                group.create_task(sender())
        self.report.resumed_parts = self.transfer.resent_parts

    async def _send(self, local: LocalFile, resume_id: str | None, pending: list[str]) -> None:
        try:
            photo, how = await self.transfer.send(local, set_id=self.sets.get(local.set_name or ""),
                                                  resume_photo_id=resume_id)
        except ApiError as error:
            self.report.failed[str(local.path)] = str(error)
            self.say(f"[red]{local.path.name}[/]: {error}")
            pending.remove(str(local.path))
            return
        if photo.get("status") == "failed":
            reason = photo.get("failure_reason") or "failed"
            self.report.failed[str(local.path)] = reason
            self.say(f"[red]{local.path.name}[/]: {reason}")
            pending.remove(str(local.path))
            return
        local.photo_id = photo["id"]
        self._arrived(local, self.report.skipped if how == "already there" else self.report.uploaded, pending)

    def _arrived(self, local: LocalFile, bucket: list[str], pending: list[str]) -> None:
        bucket.append(str(local.path))
        pending.remove(str(local.path))
        self.placed.append(local)
        if self.ui:
            self.ui.file_done()

    async def arrange(self) -> None:
        """The run's photos in the chosen order (capture time or name), in one call."""
        photos = [f.photo_id for f in ordered(self.placed, self.options.order) if f.photo_id]
        if len(photos) > 1:
            for start in range(0, len(photos), ARRANGE_BATCH):
                await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/photos/arrange",
                                    {"photo_ids": photos[start:start + ARRANGE_BATCH]})

    async def dry_run(self, images: list[LocalFile]) -> list[tuple[LocalFile, str]]:
        await self.hash(images)
        have = await self.existing(images) if images else {}
        plan = []
        for local in images:
            photo = have.get(local.sha256)
            if photo and photo["status"] in {"ready", "processing"}:
                plan.append((local, "already there"))
            elif photo and photo["status"] == "uploading":
                plan.append((local, "resume"))
            else:
                plan.append((local, "upload"))
        return plan
