"""One photo to the gallery: plan, send (a presigned PUT, parts to the bucket or through the app, or a
form POST on servers without resumable uploads), complete. An upload interrupted earlier is resumed:
the server lists the parts that arrived (S3 ListParts), only the others are sent."""
from __future__ import annotations

from typing import Callable

from gallery_upload.api import Api, ApiError, file_slice
from gallery_upload.files import LocalFile


class Transfer:
    def __init__(self, api: Api, gallery_id: str, progress: Callable[[int], None] = lambda n: None):
        self.api = api
        self.gallery_id = gallery_id
        self.progress = progress
        self.resent_parts = 0  # parts found already stored by a resumed upload (not sent again)

    async def send(self, local: LocalFile, *, set_id: str | None, resume_photo_id: str | None = None) -> tuple[dict, str]:
        """Returns (photo, how): how is "uploaded", "resumed" or "already there"."""
        if resume_photo_id:
            photo = await self._resume(local, resume_photo_id)
            if photo is not None:
                return photo, "resumed"
        answer = await self.api.json("POST", f"/api/v1/galleries/{self.gallery_id}/uploads", {
            "filename": local.name, "bytes": local.size, "sha256": local.sha256,
            "content_type": local.content_type, "set_id": set_id, "resumable": True})
        if answer.get("duplicate"):
            self.progress(local.size)
            return answer["photo"], "already there"
        plan = answer["plan"]
        if plan["strategy"] == "form":
            return await self._form(plan["url"], local, set_id), "uploaded"
        if plan["strategy"] == "put":
            await self.api.request("PUT", plan["url"], body=file_slice(local.path, 0, local.size), length=local.size,
                                   headers=plan.get("headers") or {}, progress=self.progress)
            return await self._complete(plan, None), "uploaded"
        return await self._parts(local, plan, {}), "uploaded"

    async def _resume(self, local: LocalFile, photo_id: str) -> dict | None:
        try:
            state = await self.api.json("GET", f"/api/v1/galleries/{self.gallery_id}/uploads/{photo_id}")
        except ApiError as error:
            if error.status in {404, 405, 409, 410}:
                return None  # gone, expired, or a server without resumable uploads: plan the file again
            raise
        plan = state.get("plan")
        if not plan or plan.get("strategy") != "multipart":
            return None
        arrived = {p["part_number"]: p for p in state.get("uploaded_parts") or []}
        self.resent_parts += len(arrived)
        self.progress(sum(p["bytes"] for p in arrived.values()))
        return await self._parts(local, plan, arrived)

    async def _parts(self, local: LocalFile, plan: dict, arrived: dict[int, dict]) -> dict:
        etags = []
        for part in plan["parts"]:
            number = part["part_number"]
            if number in arrived:
                etags.append({"part_number": number, "etag": arrived[number]["etag"]})
                continue
            start = (number - 1) * plan["part_size"]
            response = await self.api.request("PUT", part["url"], body=file_slice(local.path, start, part["bytes"]),
                                              length=part["bytes"], progress=self.progress)
            etag = response.headers.get("ETag")
            if not etag:
                raise ApiError(f"{local.name}: the storage answered part {number} without an ETag")
            etags.append({"part_number": number, "etag": etag})
        return await self._complete(plan, etags)

    async def _complete(self, plan: dict, parts: list[dict] | None) -> dict:
        return await self.api.json("POST", plan["complete_url"], {"parts": parts} if parts else {})

    async def _form(self, url: str, local: LocalFile, set_id: str | None) -> dict:
        """Servers that only take a form POST: the whole file in one request (resumes per file only)."""

        def files(advance):
            return {"file": (local.name, _CountingFile(local.path, advance), local.content_type)}

        data = {"sha256": local.sha256, **({"set_id": set_id} if set_id else {})}
        response = await self.api.request("POST", url, files_factory=files, data=data, progress=self.progress)
        return response.json()["photo"]


class _CountingFile:
    def __init__(self, path, advance):
        self.handle = open(path, "rb")
        self.advance = advance

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.advance(len(block))
        if not block:
            self.handle.close()
        return block

    def __getattr__(self, name):
        return getattr(self.handle, name)
